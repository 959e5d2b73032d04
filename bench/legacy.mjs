// `npm run bench:legacy`: the legacy (Go 1.11-1.21) decoder against Go's reference reader (bench/goreader,
// golang.org/x/exp/trace, which converts legacy traces like Go's own reader) on the same files in the same run:
// GOROOT's recorded v1 traces and a large trace recorded on demand by Go 1.19/1.21 (bench/legacy-big.go; the
// toolchains are the corpus's, from Debian packages). Prints events/s for both, peak RSS, and the ratio.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

const root = process.cwd()
const out = join(root, 'out/bench')
mkdirSync(out, { recursive: true })
const goreader = join(out, 'goreader')
execFileSync('go', ['build', '-o', goreader, '.'], { cwd: join(root, 'bench/goreader'), stdio: 'inherit' })

const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim()
const testdata = join(goroot, 'src/internal/trace/internal/tracev1/testdata')
const files = ['stress_1_11_good', 'stress_1_19_good', 'stress_1_21_good'].map((f) => join(testdata, f))

// Large legacy traces, recorded once by the old toolchains if they are installed.
const ms = Number(process.argv[process.argv.indexOf('--ms') + 1]) || 1000
for (const v of ['1.19', '1.21']) {
  const goBin = join(homedir(), '.cache/lifeline/go', v, `usr/lib/go-${v}/bin/go`)
  const file = join(out, `legacy-big-${ms}ms.go${v.replace('.', '')}.trace`)
  if (!existsSync(file)) {
    if (!existsSync(goBin)) {
      console.warn(`note: no Go ${v} toolchain at ${goBin}; skipping the large go ${v} trace`)
      continue
    }
    const trace = execFileSync(goBin, ['run', 'legacy-big.go', '-ms', String(ms)], {
      cwd: join(root, 'bench'), maxBuffer: 2 ** 31, env: { ...process.env, GOTOOLCHAIN: 'local', GOMAXPROCS: '2', GOROOT: '' },
    })
    writeFileSync(file, trace)
  }
  files.push(file)
}

const rows = []
for (const file of files) {
  const bytes = statSync(file).size
  const ours = JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=8192', join(out, 'decode-one.js'), file], { encoding: 'utf8' }))
  if (ours.error) throw new Error(`${file}: ${ours.error}`)
  const go = JSON.parse(execFileSync(goreader, [file], { encoding: 'utf8' }))
  const evps = ours.events / (ours.decodeMs / 1000)
  const goEvps = go.events / (go.ns / 1e9)
  if (ours.events !== go.events) console.warn(`note: ${file}: Lifeline read ${ours.events} events, Go ${go.events}`)
  rows.push([
    file.split('/').at(-1), `${(bytes / 2 ** 20).toFixed(1)} MB`, String(ours.events), `${(evps / 1e6).toFixed(2)} M`,
    `${(ours.peakRssKB / 1024).toFixed(0)} MB`, `${(goEvps / 1e6).toFixed(2)} M`, `${(go.peakRssKB / 1024).toFixed(0)} MB`, (evps / goEvps).toFixed(2),
  ])
}
const head = ['trace', 'size', 'events', 'events/s', 'peak RSS (+model)', 'Go events/s', 'Go peak RSS', 'ratio']
const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (r) => '| ' + r.map((c, i) => c.padEnd(width[i])).join(' | ') + ' |'
console.log(line(head))
console.log('|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|')
for (const r of rows) console.log(line(r))
