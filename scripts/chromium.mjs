// How every Chromium run of the project starts (the end-to-end specs, bench:ui, bench:report, bench:decode): Debian's
// chromium, or CHROMIUM_PATH, with the flags that keep it quiet and offline in a container; and the memory its
// renderer processes hold, which the benchmarks report.
import { readdirSync, readFileSync } from 'node:fs'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Chromium's renderer processes (a page and its workers live there): each one's resident set size from /proc, in bytes. */
export function rendererRss() {
  const sizes = []
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue
      sizes.push(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024)
    } catch {}
  }
  return sizes
}

/** The resident set size of the largest renderer process (a page's, with its workers), in bytes. */
export function largestRenderer() {
  return Math.max(0, ...rendererRss())
}
