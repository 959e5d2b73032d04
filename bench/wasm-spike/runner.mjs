// Interleaved measurements, each in a fresh process: node runner.mjs <rounds> [out.jsonl]
// Each round runs every variant on every file once, in a shuffled order.
import { execFileSync } from 'node:child_process'
import { appendFileSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'

const rounds = Number(process.argv[2] ?? 10)
const out = process.argv[3] ?? new URL('./results/raw.jsonl', import.meta.url).pathname
const here = new URL('.', import.meta.url).pathname
// The repository's root: the big traces (npm run traces:big) and the built benchmarks (npm run bench:decode).
const main = new URL('../..', import.meta.url).pathname.replace(/\/$/, '')
const files = (process.env.FILES ?? '1,10').split(',').map((s) => `${main}/traces/big/big-${s}mb.trace`)
const only = process.env.VARIANTS?.split(',')

const variants = {
  go: (f) => [`${main}/out/bench/goreader`, [f]],
  wasm: (f) => ['node', [`${here}bench.mjs`, 'wasm', f]],
  js: (f) => ['node', [`${here}bench.mjs`, 'js', f]],
  'wasm-emit': (f) => ['node', [`${here}bench.mjs`, 'wasm-emit', f]],
  'js-emit': (f) => ['node', [`${here}bench.mjs`, 'js-emit', f]],
  // Reference only (V8 flags): WASM that never tiers up, and WASM compiled by TurboFan only.
  'wasm-liftoff-only': (f) => ['node', ['--liftoff-only', `${here}bench.mjs`, 'wasm', f]],
  'wasm-turbofan-only': (f) => ['node', ['--no-liftoff', `${here}bench.mjs`, 'wasm', f]],
  // Lifeline's own decoder, for context (two threads; and one thread).
  lifeline: (f) => ['node', ['--expose-gc', `${main}/out/bench/decode-one.js`, f]],
  'lifeline-1t': (f) => ['node', ['--expose-gc', `${main}/out/bench/decode-one.js`, f], { LIFELINE_ONE_THREAD: '1' }],
}
const names = Object.keys(variants).filter((n) => !only || only.includes(n))

let seed = 12345
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000)

for (let round = 0; round < rounds; round++) {
  const jobs = []
  for (const f of files) for (const n of names) jobs.push([n, f])
  for (let i = jobs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[jobs[i], jobs[j]] = [jobs[j], jobs[i]]
  }
  for (const [n, f] of jobs) {
    const [cmd, args, env] = variants[n](f)
    const load = loadavg()[0]
    const t = performance.now()
    let line
    try {
      line = execFileSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').pop()
    } catch (e) {
      line = JSON.stringify({ error: String(e.message).slice(0, 300) })
    }
    const wallMs = performance.now() - t
    const rec = { round, variant: n, file: f.split('/').pop(), load, wallMs, result: JSON.parse(line) }
    appendFileSync(out, JSON.stringify(rec) + '\n')
  }
  process.stderr.write(`round ${round + 1}/${rounds} done, load ${loadavg()[0].toFixed(2)}\n`)
}
