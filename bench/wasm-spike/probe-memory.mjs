// Probe: how much of the WASM decode is first-touch of fresh memory? Same instance decoded 5 times (memory reused
// after the first), vs a new instance each time. node probe-memory.mjs <trace>
import { readFileSync } from 'node:fs'
const bytes = readFileSync(process.argv[2])
const mod = await WebAssembly.compile(readFileSync(new URL('./build/decode.wasm', import.meta.url)))
const imports = { env: { emit() {}, abort() { throw new Error('abort') } } }
const same = await WebAssembly.instantiate(mod, imports)
const row = []
for (let i = 0; i < 5; i++) {
  const x = same.exports
  const ptr = x.prepare(bytes.length)
  new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes)
  const t = performance.now(); x.decode(); row.push(+(performance.now() - t).toFixed(1))
}
const fresh = []
for (let i = 0; i < 5; i++) {
  const x = (await WebAssembly.instantiate(mod, imports)).exports
  const ptr = x.prepare(bytes.length)
  new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes)
  const t = performance.now(); x.decode(); fresh.push(+(performance.now() - t).toFixed(1))
}
console.log(JSON.stringify({ sameInstanceMs: row, newInstanceMs: fresh }))
