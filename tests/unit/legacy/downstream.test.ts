// Everything downstream of the decoder works on legacy traces: for every scenario recorded by Go 1.21 and by Go 1.22,
// the model built from the legacy trace finds the same leak groups (same keys: creation site and block site) with the
// same goroutine counts as the current-format recording of the same program. Go 1.22 is the fair reference: from
// Go 1.23 on, goroutines that were already blocked when tracing started come with their stacks (GoStatusStack),
// which no legacy trace records, so a newer trace can name leaks a legacy one cannot (traces/preexisting).
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeLeaks } from '../../../src-shared/analysis/leaks'
import { loadModel } from '../../../src-shared/model/load'

const root = join(import.meta.dirname, '../../../traces')
const pairs = existsSync(root)
  ? readdirSync(root)
      .filter((d) => statSync(join(root, d)).isDirectory())
      .map((d) => [d, join(root, d, `${d}.go121.trace`), join(root, d, `${d}.go122.trace`)] as const)
      .filter(([, a, b]) => existsSync(a) && existsSync(b))
  : []

async function leaks(path: string): Promise<string[]> {
  const model = await loadModel(createReadStream(path) as AsyncIterable<Uint8Array>, { totalBytes: statSync(path).size })
  return analyzeLeaks(model).groups.filter((g) => g.verdict === 'leak').map((g) => `${g.key} ${g.count}x ${g.blockReason}`).sort()
}

describe('legacy traces downstream (model and leak analysis)', () => {
  it('has scenario pairs to compare', () => expect(pairs.length).toBeGreaterThan(5))
  it.each(pairs)('%s: go 1.21 finds the leaks go 1.22 finds', async (_d, legacy, current) => {
    expect(await leaks(legacy)).toEqual(await leaks(current))
  }, 60_000)
})
