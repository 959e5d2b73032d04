import { describe, expect, it } from 'vitest'
import { coarsen, decimate, decimateFast } from '../../../src-shared/timeline/series'


describe('plots', () => {
  it('decimate gives each pixel the min and max in force inside it', () => {
    const s = { times: Float64Array.from([0, 5, 10, 20]), values: Float64Array.from([1, 2, 1, 0]) }
    const d = decimate(s, 0, 10, 3)
    expect(Array.from(d.max)).toEqual([2, 1, 0])
    expect(Array.from(d.min)).toEqual([1, 1, 0])
    // Before the first sample there is no value.
    expect(Number.isNaN(decimate({ times: Float64Array.from([50]), values: Float64Array.from([3]) }, 0, 10, 2).max[0])).toBe(true)
  })
})

describe('coarse plots', () => {
  it('give the same envelope as the exact decimation when zoomed out', () => {
    let x = 5
    const rnd = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32)
    const times: number[] = []
    const values: number[] = []
    let t = 0
    for (let i = 0; i < 100_000; i++) {
      times.push(t)
      values.push(Math.floor(rnd() * 100))
      t += 1 + Math.floor(rnd() * 50)
    }
    const s = { times: Float64Array.from(times), values: Float64Array.from(values) }
    const c = coarsen(s, t, 4096)
    const width = 500
    const fast = decimateFast(s, c, 0, t / width, width)
    const exact = decimate(s, 0, t / width, width)
    let diff = 0
    for (let p = 0; p < width; p++) diff += Math.abs(fast.max[p] - exact.max[p]) + Math.abs(fast.min[p] - exact.min[p])
    // Bucket edges may pull a neighbour's extreme into a pixel; the envelope must match almost everywhere.
    expect(diff / width).toBeLessThan(5)
  })
})
