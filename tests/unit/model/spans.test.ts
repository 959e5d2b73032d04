// The model's lifelines: each goroutine's state spans are in time order, never overlap, and cover its life; a
// status restated at a generation boundary does not split or duplicate a span.
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadModel } from '../../../src-shared/model/load'

const root = join(import.meta.dirname, '../../../traces')

describe('goroutine state spans', () => {
  it.each(['multigen/multigen.go126.trace', 'multigen/multigen.go122.trace', 'retry-sleep/retry-sleep.go125.trace'])('%s: no overlaps, in order, within the trace', async (p) => {
    const m = await loadModel(createReadStream(join(root, p)) as AsyncIterable<Uint8Array>)
    const s = m.goroutineSpans
    expect(m.info.generations).toBeGreaterThan(0)
    let overlaps = 0
    for (let i = 0; i < s.length; i++) {
      expect(s.end(i)).toBeGreaterThan(s.start(i))
      expect(s.end(i)).toBeLessThanOrEqual(m.info.durationNs)
      if (i > 0 && s.goroutine(i) === s.goroutine(i - 1) && s.start(i) < s.end(i - 1)) overlaps++
    }
    expect(overlaps).toBe(0)
    // Each span's goroutine is the same read in order, backwards or at random.
    const inOrder = Array.from({ length: s.length }, (_, i) => s.goroutine(i))
    for (let i = s.length - 1; i >= 0; i--) expect(s.goroutine(i)).toBe(inOrder[i])
    for (let k = 0; k < 2000; k++) {
      const i = (k * 7919) % s.length
      expect(s.goroutine(i)).toBe(inOrder[i])
    }
    // Grouped by goroutine, in ID order, each goroutine's spans together.
    for (let i = 1; i < s.length; i++) expect(inOrder[i]!).toBeGreaterThanOrEqual(inOrder[i - 1]!)
    // P runs: grouped by P in ascending order, the same read in any order.
    const ps = m.procSpans
    const procs = Array.from({ length: ps.length }, (_, i) => ps.resource(i))
    for (let i = 1; i < ps.length; i++) expect(procs[i]!).toBeGreaterThanOrEqual(procs[i - 1]!)
    for (let i = ps.length - 1; i >= 0; i -= 3) expect(ps.resource(i)).toBe(procs[i])
    // Every P that ran something is one of the trace's Ps (which also counts Ps idle the whole trace).
    expect(new Set(procs).size).toBeLessThanOrEqual(m.info.procs)
    expect(new Set(procs).size).toBeGreaterThan(0)
    // The goroutine stuck across every generation of multigen has exactly one Waiting span to the end.
    if (p.startsWith('multigen')) {
      const stuck = m.goroutines.find((g) => g.creationStack[0]?.file.endsWith('multigen/main.go') && g.creationStack[0]?.line === 16)!
      const mine = [...Array(s.length).keys()].filter((i) => s.goroutine(i) === stuck.id && s.state(i) === 4)
      expect(mine).toHaveLength(1)
      expect(s.end(mine[0]!)).toBe(m.info.durationNs)
    }
  })
})
