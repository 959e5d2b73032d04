// The decoder's WebAssembly is generated (scripts/build-wasm.mjs) and committed: each module must be what its
// AssemblyScript source compiles to, or the decoder would run other code than the source shows.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { MODULES, compile, moduleText } from '../../../scripts/build-wasm.mjs'

for (const module of MODULES) {
  it(`has ${module.target} compiled from ${module.source} as it is`, async () => {
    const committed = readFileSync(join(import.meta.dirname, '../../..', module.target), 'utf8')
    expect(moduleText(module, await compile(module.source)) === committed, 'stale: run node scripts/build-wasm.mjs').toBe(true)
  }, 60_000)
}
