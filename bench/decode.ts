// `npm run bench:decode [-- --mb 10,100,1000]`: Lifeline's decoder against Go's reference reader on the big traces
// of the generator (traces/big, made on demand), same files, same run. Prints MB/s, events/s, peak RSS and model
// bytes per event, and the ratio of events per second (Lifeline / Go).
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'

// Run from the project root (npm run bench:decode); the built file lives in out/bench.
const root = process.cwd()
const arg = process.argv.indexOf('--mb')
const sizes = (arg > 0 ? process.argv[arg + 1]! : '10,100,1000').split(',').map(Number)

const goreader = join(root, 'out/bench/goreader')
execFileSync('go', ['build', '-o', goreader, '.'], { cwd: join(root, 'bench/goreader'), stdio: 'inherit' })

const rows: string[][] = []
for (const mb of sizes) {
  const file = join(root, 'traces/big', `big-${mb}mb.trace`)
  if (!existsSync(file)) execFileSync(process.execPath, [join(root, 'traces/big.mjs'), '--mb', String(mb)], { stdio: 'inherit' })
  const bytes = statSync(file).size
  const ours = JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=8192', join(root, 'out/bench/decode-one.js'), file], { encoding: 'utf8', maxBuffer: 1 << 20 }))
  const go = JSON.parse(execFileSync(goreader, [file], { encoding: 'utf8' }))
  const mbps = (bytes / 2 ** 20) / (ours.decodeMs / 1000)
  const evps = ours.events / (ours.decodeMs / 1000)
  const goEvps = go.events / (go.ns / 1e9)
  rows.push([
    `${(bytes / 2 ** 20).toFixed(0)} MB`, String(ours.events), `${mbps.toFixed(1)}`, `${(evps / 1e6).toFixed(2)} M`,
    `${(ours.modelMs).toFixed(0)} ms`, `${ours.analysisMs.toFixed(0)} ms (${((100 * ours.analysisMs) / (ours.decodeMs + ours.modelMs)).toFixed(1)}%)`, `${(ours.peakRssKB / 1024).toFixed(0)} MB`, `${((ours.eventBytes + ours.spanBytes) / ours.events).toFixed(1)}`,
    `${(goEvps / 1e6).toFixed(2)} M`, `${(go.peakRssKB / 1024).toFixed(0)} MB`, (evps / goEvps).toFixed(2),
  ])
  if (ours.events !== go.events) console.warn(`note: ${file}: Lifeline read ${ours.events} events, Go ${go.events}`)
}
const head = ['trace', 'events', 'MB/s', 'events/s', 'model build', 'leak analysis (of decode)', 'peak RSS', 'bytes/event', 'Go events/s', 'Go peak RSS', 'ratio']
const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(width[i]!)).join(' | ') + ' |'
console.log(line(head))
console.log('|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|')
for (const r of rows) console.log(line(r))
