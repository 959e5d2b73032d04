import { describe, expect, it } from 'vitest'
import { coarsen, countResolution, countsOverTime, decimate, decimateFast } from '../../../src-shared/timeline/series'
import { SpanBuilder } from '../../../src-shared/timeline/spans'


describe('plots', () => {
  it('counts tracks per class over time and decimates per pixel', () => {
    const a = new SpanBuilder()
    a.push(0, 10, 1)
    a.push(10, 30, 2)
    const b = new SpanBuilder()
    b.push(5, 20, 1)
    const [one, two] = countsOverTime([a.finish(), b.finish()], 2, (v) => v - 1, 30)
    expect(Array.from(one.times)).toEqual([0, 5, 10, 20])
    expect(Array.from(one.values)).toEqual([1, 2, 1, 0])
    expect(Array.from(two.values)).toEqual([1, 0])
    const d = decimate(one, 0, 10, 3)
    expect(Array.from(d.max)).toEqual([2, 1, 0])
    expect(Array.from(d.min)).toEqual([1, 1, 0])
    // A coarse grid keeps the shape: counted per 10 ns cell.
    const [coarse] = countsOverTime([a.finish(), b.finish()], 2, (v) => v - 1, 30, 10)
    expect(Array.from(coarse.times)).toEqual([0, 10, 20])
    expect(Array.from(coarse.values)).toEqual([2, 1, 0])
  })
  it('picks a grid of about a million cells', () => {
    expect(countResolution(1000)).toBe(1)
    expect(countResolution(10e9) * (1 << 20)).toBeGreaterThanOrEqual(10e9)
    expect(countResolution(10e9) * (1 << 19)).toBeLessThan(10e9)
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
