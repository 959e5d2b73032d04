import { describe, expect, it } from 'vitest'
import { arraySeries, coarsenMany, decimate, fromCoarse, needsExact, type StepSeries } from '../../../src-shared/timeline/series'
import { TimelineStore } from '../../../src-shared/timeline/store'


describe('plots', () => {
  it('decimate gives each pixel the min and max in force inside it', () => {
    const s = arraySeries(Float64Array.from([0, 5, 10, 20]), Float64Array.from([1, 2, 1, 0]))
    const d = decimate(s, 0, 10, 3)
    expect(Array.from(d.max)).toEqual([2, 1, 0])
    expect(Array.from(d.min)).toEqual([1, 1, 0])
    // Before the first sample there is no value.
    expect(Number.isNaN(decimate(arraySeries(Float64Array.from([50]), Float64Array.from([3])), 0, 10, 2).max[0])).toBe(true)
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
    const s = arraySeries(Float64Array.from(times), Float64Array.from(values))
    const c = coarsenMany([s], t, 4096)[0]!
    const width = 500
    // Zoomed out this far, a plot is answered from the coarse buckets (see TimelineStore.plots).
    expect(needsExact(s, c, t / width, width)).toBe(false)
    const fast = fromCoarse(c, 0, t / width, width)
    const exact = decimate(s, 0, t / width, width)
    let diff = 0
    for (let p = 0; p < width; p++) diff += Math.abs(fast.max[p] - exact.max[p]) + Math.abs(fast.min[p] - exact.min[p])
    // Bucket edges may pull a neighbour's extreme into a pixel; the envelope must match almost everywhere.
    expect(diff / width).toBeLessThan(5)
  })
})

describe('series read a piece at a time', () => {
  it('decimate equals a plain per-pixel scan of the arrays, at any zoom, across piece boundaries', () => {
    let x = 11
    const rnd = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32)
    const n = 20_000
    const times = new Float64Array(n)
    const values = new Float64Array(n)
    let t = 100
    for (let i = 0; i < n; i++) {
      times[i] = t
      values[i] = Math.floor(rnd() * 1000) - 500
      t += rnd() < 0.1 ? 5000 : 1 + Math.floor(rnd() * 20)
    }
    // A series that only answers read() and time(), counting what it reads: nothing is read twice in order.
    let pointsRead = 0
    const viewed: StepSeries = {
      length: n,
      time: (i) => times[i]!,
      read(from, k, ts, vs) {
        pointsRead += k
        for (let j = 0; j < k; j++) {
          ts[j] = times[from + j]!
          vs[j] = values[from + j]!
        }
      },
    }
    const plain = (startNs: number, nsPerPx: number, width: number) => {
      const min: number[] = []
      const max: number[] = []
      for (let p = 0; p < width; p++) {
        const t0 = startNs + p * nsPerPx
        const t1 = t0 + nsPerPx
        // In force at t0 (the last sample at or before it), and every sample inside the pixel.
        let mn = NaN
        let mx = NaN
        for (let i = 0; i < n; i++) {
          const inForce = times[i]! <= t0 && (i + 1 === n || times[i + 1]! > t0)
          if (inForce || (times[i]! > t0 && times[i]! < t1)) {
            if (!(values[i]! >= mn)) mn = values[i]!
            if (!(values[i]! <= mx)) mx = values[i]!
          }
        }
        min.push(mn)
        max.push(mx)
      }
      return { min, max }
    }
    for (const [start, perPx, width] of [[0, t / 300, 300], [times[5000]! - 3, 7, 200], [times[4095]!, 1, 50], [times[n - 3]!, 100, 40], [-1000, 50, 30]] as const) {
      pointsRead = 0
      const got = decimate(viewed, start, perPx, width)
      const want = plain(start, perPx, width)
      expect(Array.from(got.min), `min from ${start}, ${perPx} ns/px`).toEqual(want.min)
      expect(Array.from(got.max), `max from ${start}, ${perPx} ns/px`).toEqual(want.max)
      expect(pointsRead).toBeLessThanOrEqual(n + 4096)
    }
  })
})

describe('series metadata', () => {
  it("a series' max counts every point, including one at the trace's end (outside the coarse buckets)", () => {
    const s = arraySeries(Float64Array.from([0, 10, 50, 100]), Float64Array.from([3, 7, 2, 9]))
    const store = new TimelineStore([], 100, [{ name: 'heap', plot: 'Heap', unit: 'bytes', color: '#fff', points: s }])
    expect(store.seriesMeta()[0]!.max).toBe(9)
    const before = new TimelineStore([], 101, [{ name: 'heap', plot: 'Heap', unit: 'bytes', color: '#fff', points: arraySeries(Float64Array.from([0, 10, 50]), Float64Array.from([3, 7, 2])) }])
    expect(before.seriesMeta()[0]!.max).toBe(7)
  })
})
