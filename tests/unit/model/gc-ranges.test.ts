// GC, sweep and mark-assist ranges across generation boundaries. Go 1.22 and later restate a range still running at
// a generation's start (GCActive, GCSweepActive, GCMarkAssistActive); that is the range going on, not a new one
// begun at the trace's start. gc-generations records a GC running nearly all the time in 2 ms generations.
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadModel } from '../../../src-shared/model/load'
import type { RangeSpans } from '../../../src-shared/model/model'

const root = join(import.meta.dirname, '../../../traces')
const versions = ['119', '121', '122', '123', '125', '126']

/** Each resource's ranges in time order, apart from one another; only a resource's first may start at 0. */
function checkRanges(r: RangeSpans): void {
  const last = new Map<number, number>()
  for (let i = 0; i < r.length; i++) {
    const res = r.resource[i]!
    const start = r.start[i]!
    expect(r.end[i]!).toBeGreaterThanOrEqual(start)
    if (last.has(res)) {
      expect(start).toBeGreaterThan(0)
      expect(start).toBeGreaterThanOrEqual(last.get(res)!)
    }
    last.set(res, r.end[i]!)
  }
}

describe('GC ranges across generations', () => {
  it.each(versions)('gc-generations.go%s: one range per GC cycle, as many as began, none restarted at 0', async (v) => {
    const m = await loadModel(createReadStream(join(root, `gc-generations/gc-generations.go${v}.trace`)) as AsyncIterable<Uint8Array>)
    if (v >= '122') expect(m.info.generations).toBeGreaterThan(20)
    // Every cycle begins with a sweep-termination stop-the-world, which no generation boundary splits; one more if
    // the trace began during a cycle.
    const kinds = [...m.stw.kind].slice(0, m.stw.length).map((k) => m.strings[k])
    const began = kinds.filter((k) => k === 'GC sweep termination' || k === 'sweep termination').length
    expect(began).toBeGreaterThan(50)
    expect(m.info.gcCount).toBeGreaterThanOrEqual(began)
    expect(m.info.gcCount).toBeLessThanOrEqual(began + 1)
    expect(m.gc.length).toBe(m.info.gcCount)
    // A cycle takes a few ms here; the trace about 100 ms.
    for (let i = 0; i < m.gc.length; i++) expect(m.gc.end[i]! - m.gc.start[i]!).toBeLessThan(m.info.durationNs / 4)
    checkRanges(m.gc)
    checkRanges(m.sweeps)
    checkRanges(m.markAssists)
  })
})
