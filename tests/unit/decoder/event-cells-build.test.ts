// The event store's WebAssembly is generated (scripts/build-wasm.mjs) and committed: it must be what its
// AssemblyScript source compiles to, or the store would run other code than the source shows.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { compile, moduleText } from '../../../scripts/build-wasm.mjs'

it('has src-shared/trace/event-cells.wasm.ts compiled from src-wasm/event-cells.ts as it is', async () => {
  const committed = readFileSync(join(import.meta.dirname, '../../../src-shared/trace/event-cells.wasm.ts'), 'utf8')
  expect(moduleText(await compile()) === committed, 'stale: run node scripts/build-wasm.mjs').toBe(true)
}, 60_000)
