// Probe: JS decode 5 times reusing one Decoder's record array (memory touched after the first) vs a new Decoder each time.
import { readFileSync } from 'node:fs'
import { Decoder } from './js/decode.mjs'
const bytes = readFileSync(process.argv[2])
const reuse = []
const dec = new Decoder(bytes)
for (let i = 0; i < 5; i++) {
  dec.recCount = 0; dec.nM = 0; dec.nGen = 0; dec.nBatches = 0
  const t = performance.now(); dec.decode(); reuse.push(+(performance.now() - t).toFixed(1))
}
const fresh = []
for (let i = 0; i < 5; i++) {
  const d = new Decoder(bytes)
  const t = performance.now(); d.decode(); fresh.push(+(performance.now() - t).toFixed(1))
}
console.log(JSON.stringify({ sameArrayMs: reuse, newDecoderMs: fresh }))
