// The comparison worker's core (src-renderer/src/workers/compare.ts) in Node: what it reports while it works, side by
// side, and that its result does not depend on being watched.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareTraces, modelOfStream, type CompareInput, type CompareProgress } from '../../../src-renderer/src/workers/compare'

const dir = join(import.meta.dirname, '../../../traces/compare')
const side = (file: string, size: number | null): CompareInput => {
  const bytes = readFileSync(join(dir, file))
  return { name: file, load: (progress) => modelOfStream(new Blob([bytes]).stream(), size ?? bytes.byteLength, progress) }
}

describe('a comparison in progress', () => {
  it('reports each side read then built, the baseline first, then the leak analysis of both', async () => {
    const seen: CompareProgress[] = []
    const result = await compareTraces(side('timeout-leak.x1.go126.trace', null), side('timeout-leak.x3.go126.trace', null), (p) => seen.push(p))
    const steps = seen.map((p) => `${p.side}:${p.phase}`).filter((s, i, all) => s !== all[i - 1])
    expect(steps).toEqual(['0:reading', '0:building the model', '1:reading', '1:building the model', 'null:finding leaks'])
    // Reading reports bytes against the size given, up to the whole file.
    const size = readFileSync(join(dir, 'timeout-leak.x3.go126.trace')).byteLength
    const reads = seen.filter((p) => p.side === 1 && p.phase === 'reading')
    expect(reads.at(-1)).toMatchObject({ bytes: size, total: size })
    expect(reads.every((p, i) => i === 0 || p.bytes >= reads[i - 1]!.bytes)).toBe(true)
    // Watching changes nothing.
    const unwatched = await compareTraces(side('timeout-leak.x1.go126.trace', null), side('timeout-leak.x3.go126.trace', null))
    expect(unwatched.rows).toEqual(result.rows)
    expect(result.rows.some((r) => r.status === 'grown')).toBe(true)
  })

  it('reads a side of unknown size with a total of 0, and still completes', async () => {
    const seen: CompareProgress[] = []
    await compareTraces(side('timeout-leak.x1.go126.trace', 0), side('timeout-leak.fixed.go126.trace', 0), (p) => seen.push(p))
    expect(seen.filter((p) => p.phase === 'reading').every((p) => p.total === 0)).toBe(true)
    expect(seen.at(-1)!.phase).toBe('finding leaks')
  })

  it('names the side that could not be read', async () => {
    const bad: CompareInput = { name: 'notes.txt', load: (progress) => modelOfStream(new Blob([new TextEncoder().encode('hello, not a trace')]).stream(), 18, progress) }
    const err = await compareTraces(side('timeout-leak.x1.go126.trace', null), bad).catch((e: Error) => e)
    expect((err as Error).message).toMatch(/^notes\.txt: not a Go execution trace/)
  })
})
