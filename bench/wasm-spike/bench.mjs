// One measurement in a fresh process: node bench.mjs <wasm|js|wasm-emit|js-emit> <trace> [--check]
// Prints one JSON line: the cold run (first in this process) and a warm run (second, same process; for WASM a new
// instance of the already-compiled module, so it has fresh memory like the JS run's fresh arrays).
// Times are from "file bytes in memory" to done. WASM: compile and instantiate are timed separately, and the copy of
// the file into linear memory is counted in the decode total.
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'

const t00 = performance.now()
const [impl, file] = process.argv.slice(2)
const check = process.argv.includes('--check')
const emitMode = impl.endsWith('-emit')

let emitCount = 0
let emitSum = 0
const emit = (typ, time, a0) => { emitCount++; emitSum += typ }

const wasmBytes = impl.startsWith('wasm') ? readFileSync(new URL('./build/decode.wasm', import.meta.url)) : null
const { Decoder } = impl.startsWith('js') ? await import('./js/decode.mjs') : { Decoder: null }
const bytes = readFileSync(file)
const startupMs = performance.now() - t00

function hashRecords(f64) {
  return createHash('sha1').update(new Uint8Array(f64.buffer, f64.byteOffset, f64.byteLength)).digest('hex').slice(0, 16)
}

let module = null
async function runWasm() {
  const r = {}
  let t = performance.now()
  if (!module) {
    module = await WebAssembly.compile(wasmBytes)
    r.compileMs = performance.now() - t
    t = performance.now()
  }
  const inst = await WebAssembly.instantiate(module, { env: { emit, abort: () => { throw new Error('abort') } } })
  r.instantiateMs = performance.now() - t
  const x = inst.exports
  const t0 = performance.now()
  x.emitMode.value = emitMode ? 1 : 0
  const ptr = x.prepare(bytes.length)
  new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes)
  const t1 = performance.now()
  const n = x.decode()
  const t2 = performance.now()
  if (n < 0) throw new Error(`wasm decode error at ${x.errPos.value}`)
  const sum = x.statePass()
  const t3 = performance.now()
  Object.assign(r, { copyMs: t1 - t0, decodeMs: t2 - t1, stateMs: t3 - t2, totalMs: t3 - t0, records: n, state: sum,
    gens: x.nGen.value, batches: x.nBatches.value, ms: x.nM.value, maxG: x.maxG.value, memMB: x.memory.buffer.byteLength / 2 ** 20 })
  if (check) {
    const recs = new Float64Array(x.memory.buffer, x.recPtr.value, n * 6)
    r.hash = hashRecords(recs)
    r.hist = hist(recs, n)
    r.trans = Array.from({ length: 64 }, (_, i) => x.transCount(i))
  }
  return r
}

function runJs() {
  const t0 = performance.now()
  const dec = new Decoder(bytes, emitMode ? emit : null)
  const n = dec.decode()
  const t2 = performance.now()
  if (n < 0) throw new Error(`js decode error at ${dec.errPos}`)
  const sum = dec.statePass()
  const t3 = performance.now()
  const r = { decodeMs: t2 - t0, stateMs: t3 - t2, totalMs: t3 - t0, records: n, state: sum,
    gens: dec.nGen, batches: dec.nBatches, ms: dec.nM, maxG: dec.maxG }
  if (check) {
    const recs = dec.recs.subarray(0, n * 6)
    r.hash = hashRecords(recs)
    r.hist = hist(recs, n)
    r.trans = Array.from(dec.trans)
  }
  return r
}

function hist(recs, n) {
  const h = {}
  for (let i = 0; i < n; i++) { const t = recs[i * 6] & 255; h[t] = (h[t] ?? 0) + 1 }
  return h
}

const run = impl.startsWith('wasm') ? runWasm : runJs
const cold = await run()
if (emitMode) { cold.emitCount = emitCount; emitCount = 0 }
const warm = await run()
process.stdout.write(JSON.stringify({ impl, file: file.split('/').pop(), bytes: bytes.length, startupMs, cold, warm }) + '\n')
