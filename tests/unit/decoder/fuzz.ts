// What the fuzz-style tests share: the real traces they mutate, and a small deterministic generator (xorshift32), so
// that a failing case can be replayed.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Real traces of four shapes and Go versions, as bytes. */
export function mutationSeeds(): Uint8Array[] {
  const root = join(import.meta.dirname, '../../../traces')
  return ['timeout-leak/timeout-leak.go126.trace', 'http-handler/http-handler.go125.trace', 'annotated/annotated.go123.trace', 'deadlock-cond/deadlock-cond.go122.trace']
    .map((p) => readFileSync(join(root, p)))
}

/** The next unsigned 32-bit number of a xorshift32 sequence from seed, on each call. */
export function xorshift32(seed: number): () => number {
  let x = seed
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return x >>> 0
  }
}
