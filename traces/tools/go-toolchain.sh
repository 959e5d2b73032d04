#!/usr/bin/env bash
# Prints the GOROOT of Go 1.NN, fetching it from Debian's packages without root: a private apt configuration
# downloads golang-1.NN-go and golang-1.NN-src, and dpkg -x unpacks both into a cache folder outside the repo.
# Usage: go-toolchain.sh 1.22     (for the go on PATH, use `go env GOROOT` instead)
set -euo pipefail
ver="$1"
cache="${LIFELINE_GO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lifeline/go}"
root="$cache/$ver/usr/lib/go-$ver"
if [ -x "$root/bin/go" ]; then echo "$root"; exit 0; fi

apt_dir="$cache/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/etc/preferences.d" "$cache/$ver"
cat > "$apt_dir/sources.list" <<LIST
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian experimental main
LIST
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=-"
  -o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=$apt_dir/etc/preferences.d"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "Dir::Cache::Archives=$apt_dir/archives"
  -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
mkdir -p "$apt_dir/cache"
if [ ! -f "$apt_dir/lists/.updated" ] || [ -n "$(find "$apt_dir/lists/.updated" -mmin +1440)" ]; then
  apt-get "${apt_opts[@]}" update -qq >&2
  touch "$apt_dir/lists/.updated"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get "${apt_opts[@]}" download -qq "golang-$ver-go" "golang-$ver-src" >&2)
for deb in "$work"/*.deb; do dpkg -x "$deb" "$cache/$ver"; done
if [ ! -x "$root/bin/go" ]; then echo "go-toolchain: no Go $ver in $cache/$ver" >&2; exit 1; fi
echo "$root"
