// node summarize.mjs results/raw.jsonl  -> medians [min-max] (n) per variant and file.
import { readFileSync } from 'node:fs'

const rows = readFileSync(process.argv[2] ?? new URL('./results/raw.jsonl', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
const med = (a) => { const s = [...a].sort((x, y) => x - y); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2 }
const fmt = (a) => a.length ? `${med(a).toFixed(1)} [${Math.min(...a).toFixed(1)}-${Math.max(...a).toFixed(1)}] (n=${a.length})` : '-'
const groups = new Map()
for (const r of rows) {
  if (r.result.error) { console.log('ERROR', r.variant, r.file, r.result.error); continue }
  const k = `${r.file} ${r.variant}`
  if (!groups.has(k)) groups.set(k, [])
  groups.get(k).push(r)
}
const goMed = {}
for (const [k, rs] of [...groups].sort()) {
  const [file, variant] = k.split(' ')
  const res = rs.map((r) => r.result)
  const col = (f) => res.map(f).filter((x) => typeof x === 'number')
  let line
  if (variant === 'go') {
    const ms = col((r) => r.ns / 1e6)
    goMed[file] = med(ms)
    line = `readMs ${fmt(ms)}  events ${res[0].events}`
  } else if (variant.startsWith('lifeline')) {
    line = `decodeMs ${fmt(col((r) => r.decodeMs))}  events ${res[0].events}`
  } else {
    const c = (f) => col((r) => f(r.cold)), w = (f) => col((r) => f(r.warm))
    line = [
      `COLD pass1 ${fmt(c((r) => r.decodeMs))}`,
      `state ${fmt(c((r) => r.stateMs))}`,
      variant.startsWith('wasm') ? `copy ${fmt(c((r) => r.copyMs))} compile ${fmt(c((r) => r.compileMs))} inst ${fmt(c((r) => r.instantiateMs))}` : '',
      `total(+compile+inst) ${fmt(c((r) => r.totalMs + (r.compileMs ?? 0) + (r.instantiateMs ?? 0)))}`,
      `\n      WARM pass1 ${fmt(w((r) => r.decodeMs))} state ${fmt(w((r) => r.stateMs))} total ${fmt(w((r) => r.totalMs))}`,
      `  records ${res[0].cold.records} hashes ${[...new Set(res.map((r) => r.cold.hash ?? ''))].join(',')}`,
    ].join('  ')
  }
  console.log(`${file.padEnd(15)} ${variant.padEnd(19)} ${line}`)
}
console.log('\nGo reader medians (ms):', goMed)
console.log('load avg during runs: median', med(rows.map((r) => r.load)).toFixed(2), 'max', Math.max(...rows.map((r) => r.load)).toFixed(2))

// Paired with Go's reader in the same round (same minute): variant time / Go time, per round; median [range].
console.log('\nPaired per round: cold time / Go reader time (median [min-max], n)')
const goBy = new Map(rows.filter((r) => r.variant === 'go' && !r.result.error).map((r) => [`${r.round} ${r.file}`, r.result.ns / 1e6]))
const ratios = new Map()
for (const r of rows) {
  if (r.variant === 'go' || r.result.error) continue
  const go = goBy.get(`${r.round} ${r.file}`)
  if (!go) continue
  const add = (name, v) => { const k = `${r.file} ${r.variant} ${name}`; if (!ratios.has(k)) ratios.set(k, []); ratios.get(k).push(v / go) }
  if (r.variant.startsWith('lifeline')) add('decode', r.result.decodeMs)
  else {
    const c = r.result.cold
    add('pass1', c.decodeMs)
    add('pass1+state+copy+compile', c.totalMs + (c.compileMs ?? 0) + (c.instantiateMs ?? 0))
  }
}
const f2 = (a) => `${med(a).toFixed(3)} [${Math.min(...a).toFixed(3)}-${Math.max(...a).toFixed(3)}] (n=${a.length})`
for (const [k, a] of [...ratios].sort()) console.log(`  ${k.padEnd(60)} ${f2(a)}`)
