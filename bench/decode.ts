// `npm run bench:decode [-- --mb 10,100,1000] [--shape churn] [--one-thread] [--runs N]`: Lifeline's decoder (on two
// threads where there are two cores, as the app and the CLI decode; --one-thread for one) against Go's reference
// reader on the big traces of the generator (traces/big, made on demand), same files, same run. Prints MiB/s,
// events/s, peak RSS and model bytes per event (measured after a full collection), and the ratio of events per second
// (Lifeline / Go) for reading the events, and for reading them and building the whole model. Each side runs N times
// (default 5 for traces up to 100 MB, 1 above), alternately, each time in a fresh process; the row is each side's
// median run, and the ratio's range over the runs follows it. Up to 100 MB, a third process per run decodes the file
// twice, and the second decode gives "ratio, next trace": a later trace of a session (the app's data worker, a
// two-trace CLI command), on the optimized code the first one left, and on its helper thread when that was kept (after
// traces of up to 64 MiB: the 100 MB trace's next decode has a new helper).
// A second table does the same in a worker of Debian's Chromium (bench/chromium-decode.mjs, a fresh browser per run),
// the engine of the app's renderer and of its desktop decoder process (Electron's V8), which is newer than Node 20's:
// a fresh worker's first trace; up to 100 MB, the first trace after the bundled sample (what the app decodes when it
// starts, so the first trace a user opens there) and the next trace in the same worker. --no-chromium leaves it out,
// and it is left out with a note where there is no Chromium.
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'

// Run from the project root (npm run bench:decode); the built file lives in out/bench.
const root = process.cwd()
const arg = process.argv.indexOf('--mb')
const sizes = (arg > 0 ? process.argv[arg + 1]! : '10,100,1000').split(',').map(Number)
const shapeArg = process.argv.indexOf('--shape')
const churn = shapeArg > 0 && process.argv[shapeArg + 1] === 'churn'
const env = process.argv.includes('--one-thread') ? { ...process.env, LIFELINE_ONE_THREAD: '1' } : process.env
/** What bench/decode-one.ts prints (its error field aside), and what bench/goreader prints. */
interface OursRun {
  threads: number
  events: number
  goroutines: number
  spans: number
  decodeMs: number
  modelMs: number
  analysisMs: number
  eventBytes: number
  spanBytes: number
  modelBytes: number
  decodePeakRssKB: number
  modelPeakRssKB: number
  peakRssKB: number
}
interface GoRun {
  events: number
  ns: number
  peakRssKB: number
}
const runsArg = process.argv.indexOf('--runs')
const runsFor = (mb: number) => (runsArg > 0 ? Math.max(1, Math.floor(Number(process.argv[runsArg + 1])) || 1) : mb <= 100 ? 5 : 1)
/** The median of the runs by `key` (the lower middle one for an even count). */
const median = <T>(runs: T[], key: (r: T) => number): T => [...runs].sort((a, b) => key(a) - key(b))[(runs.length - 1) >> 1]!

/** What bench/chromium-decode.mjs prints. */
interface ChromiumRun {
  events: number
  decodeMs: number
  decodePeakRssKB: number
  modelMs: number
  modelPeakRssKB: number
  againMs: number | null
}
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const withChromium = !process.argv.includes('--no-chromium') && existsSync(CHROMIUM)
if (!withChromium && !process.argv.includes('--no-chromium')) console.warn(`note: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH): the Chromium table is left out`)

const goreader = join(root, 'out/bench/goreader')
execFileSync('go', ['build', '-o', goreader, '.'], { cwd: join(root, 'bench/goreader'), stdio: 'inherit' })

const rows: string[][] = []
const chromiumRows: string[][] = []
for (const mb of sizes) {
  const file = join(root, 'traces/big', `big-${mb}mb${churn ? '.churn' : ''}.trace`)
  if (!existsSync(file)) execFileSync(process.execPath, [join(root, 'traces/big.mjs'), '--mb', String(mb), ...(churn ? ['--shape', 'churn'] : [])], { stdio: 'inherit' })
  const bytes = statSync(file).size
  const oursRuns: OursRun[] = []
  const goRuns: GoRun[] = []
  const nextRuns: { events: number; decodeMs: number }[] = []
  const chromiumRuns: ChromiumRun[] = []
  const afterSampleRuns: { events: number; decodeMs: number }[] = []
  const ours1 = (...extra: string[]) => JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', join(root, 'out/bench/decode-one.js'), file, ...extra], { encoding: 'utf8', maxBuffer: 1 << 20, env }))
  for (let run = 0; run < runsFor(mb); run++) {
    oursRuns.push(ours1())
    goRuns.push(JSON.parse(execFileSync(goreader, [file], { encoding: 'utf8' })))
    if (mb <= 100) nextRuns.push(ours1('--next'))
    if (withChromium) {
      const chromium1 = (...extra: string[]) => JSON.parse(execFileSync(process.execPath, [join(root, 'bench/chromium-decode.mjs'), file, ...extra], { encoding: 'utf8' }))
      chromiumRuns.push(chromium1('--model', ...(mb <= 100 ? ['--again'] : [])))
      if (mb <= 100) afterSampleRuns.push(chromium1('--after-sample'))
    }
  }
  const ours = median(oursRuns, (r) => r.decodeMs)
  const go = median(goRuns, (r) => r.ns)
  /** A run's events per second over those of Go's run beside it. */
  const vsGo = (r: { events: number; decodeMs: number }, i: number) => (r.events / r.decodeMs) / (goRuns[i]!.events / (goRuns[i]!.ns / 1e6))
  const ratios = oursRuns.map(vsGo)
  const nextRatios = nextRuns.map(vsGo)
  const range = (v: number[]) => (v.length > 1 ? ` (${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)})` : '')
  const next = nextRuns.length > 0 ? median(nextRuns, (r) => r.decodeMs) : null
  const mbps = (bytes / 2 ** 20) / (ours.decodeMs / 1000)
  const evps = ours.events / (ours.decodeMs / 1000)
  const goEvps = go.events / (go.ns / 1e9)
  const allEvps = ours.events / ((ours.decodeMs + ours.modelMs) / 1000)
  rows.push([
    `${(bytes / 2 ** 20).toFixed(0)} MiB`, String(ours.threads), String(ours.events), String(ours.goroutines), String(ours.spans), `${mbps.toFixed(1)}`, `${(evps / 1e6).toFixed(2)} M`,
    `${(ours.modelMs).toFixed(0)} ms`, `${ours.analysisMs.toFixed(0)} ms (${((100 * ours.analysisMs) / (ours.decodeMs + ours.modelMs)).toFixed(1)}%)`, `${(ours.decodePeakRssKB / 1024).toFixed(0)} / ${(ours.modelPeakRssKB / 1024).toFixed(0)} / ${(ours.peakRssKB / 1024).toFixed(0)} MiB`,
    `${(ours.modelBytes / ours.events).toFixed(1)} (events ${(ours.eventBytes / ours.events).toFixed(1)}, spans+counts ${(ours.spanBytes / ours.events).toFixed(1)})`,
    `${((bytes / 2 ** 20) / (go.ns / 1e9)).toFixed(1)}`, `${(goEvps / 1e6).toFixed(2)} M`, `${(go.peakRssKB / 1024).toFixed(0)} MiB`, `${(evps / goEvps).toFixed(2)}${range(ratios)}`,
    next ? `${(next.events / (next.decodeMs / 1000) / goEvps).toFixed(2)}${range(nextRatios)}` : '-', (allEvps / goEvps).toFixed(2), String(ratios.length),
  ])
  if (chromiumRuns.length > 0) {
    const c = median(chromiumRuns, (r) => r.decodeMs)
    const cRatios = chromiumRuns.map(vsGo)
    const again = chromiumRuns.filter((r) => r.againMs !== null).map((r) => ({ events: r.events, decodeMs: r.againMs! }))
    const againRatios = chromiumRuns.flatMap((r, i) => (r.againMs === null ? [] : [vsGo({ events: r.events, decodeMs: r.againMs }, i)]))
    const cAgain = again.length > 0 ? median(again, (r) => r.decodeMs) : null
    const cSample = afterSampleRuns.length > 0 ? median(afterSampleRuns, (r) => r.decodeMs) : null
    chromiumRows.push([
      `${(bytes / 2 ** 20).toFixed(0)} MiB`, String(c.events), `${((bytes / 2 ** 20) / (c.decodeMs / 1000)).toFixed(1)}`, `${(c.events / (c.decodeMs / 1000) / 1e6).toFixed(2)} M`,
      `${c.modelMs.toFixed(0)} ms`, `${(c.decodePeakRssKB / 1024).toFixed(0)} / ${(c.modelPeakRssKB / 1024).toFixed(0)} MiB`, `${(goEvps / 1e6).toFixed(2)} M`,
      `${(c.events / c.decodeMs / (goEvps / 1000)).toFixed(2)}${range(cRatios)}`,
      cSample ? `${(cSample.events / (cSample.decodeMs / 1000) / goEvps).toFixed(2)}${range(afterSampleRuns.map(vsGo))}` : '-', cAgain ? `${(cAgain.events / (cAgain.decodeMs / 1000) / goEvps).toFixed(2)}${range(againRatios)}` : '-', String(cRatios.length),
    ])
    if (c.events !== go.events) console.warn(`note: ${file}: Lifeline in Chromium read ${c.events} events, Go ${go.events}`)
  }
  if (ours.events !== go.events) console.warn(`note: ${file}: Lifeline read ${ours.events} events, Go ${go.events}`)
}
/** Prints a Markdown table, its columns padded. */
function table(head: string[], rows: string[][]): void {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(width[i]!)).join(' | ') + ' |'
  console.log(line(head))
  console.log('|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|')
  for (const r of rows) console.log(line(r))
}
table(['trace', 'threads', 'events', 'goroutines', 'spans', 'MiB/s', 'events/s', 'model build', 'leak analysis (of decode + model)', 'peak RSS (decode / with model / with analysis)', 'model bytes/event', 'Go MiB/s', 'Go events/s', 'Go peak RSS', 'ratio (range)', 'ratio, next trace', 'ratio with model', 'runs'], rows)
if (chromiumRows.length > 0) {
  console.log('\nIn a worker of Chromium (the app\'s engine), against the same Go runs:\n')
  table(['trace', 'events', 'MiB/s', 'events/s', 'model build', 'peak RSS (largest renderer: decode / with model)', 'Go events/s', 'ratio (range)', 'ratio, after the sample', 'ratio, next trace', 'runs'], chromiumRows)
}
