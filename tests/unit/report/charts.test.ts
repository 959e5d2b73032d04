// The report's step charts downsample series of any length: a big trace's goroutine counts change millions of times,
// so points go through a Downsampler one at a time and it keeps no more than a bucket's peak.
import { describe, expect, it } from 'vitest'
import { downsample, Downsampler, stepChart } from '../../../src-shared/report/charts'

/** A random step series: times rising from 0 to about `end`, values wandering up and down. */
function series(n: number, end: number, seed: number): [number, number][] {
  let s = seed
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
  const out: [number, number][] = []
  let v = 50
  for (let i = 0; i < n; i++) {
    v = Math.max(0, v + Math.round((rand() - 0.5) * 10))
    out.push([Math.floor((i / n) * end + rand() * 3), v])
  }
  return out.sort((a, b) => a[0] - b[0])
}

describe('Downsampler', () => {
  it('keeps a short series as it is', () => {
    const pts = series(400, 1e6, 1)
    expect(downsample(pts, 1e6, 400)).toEqual(pts)
  })

  it('keeps at most one point per bucket, each the highest of its bucket, and the series\' maximum', () => {
    for (const [n, max] of [[401, 400], [5000, 400], [100_000, 120], [30_000, 300]] as const) {
      // (A bucket a whole number of ns, so that this test puts a point on a bucket edge where the sampler does.)
      const end = 6e8
      const pts = series(n, end, n)
      const d = new Downsampler(end, max)
      for (const [t, v] of pts) d.add(t, v)
      const out = d.points()
      expect(out.length).toBeLessThanOrEqual(max + 1)
      expect(out.length).toBeGreaterThan(max / 2)
      const bucket = end / max
      const buckets = out.map(([t]) => Math.floor(t / bucket))
      expect(new Set(buckets).size, 'one point per bucket').toBe(buckets.length)
      for (const [t, v] of out) {
        const k = Math.floor(t / bucket)
        const inBucket = pts.filter(([pt]) => Math.floor(pt / bucket) === k).map(([, pv]) => pv)
        expect(v).toBe(Math.max(...inBucket))
      }
      expect(Math.max(...out.map(([, v]) => v))).toBe(Math.max(...pts.map(([, v]) => v)))
      expect(downsample(pts, end, max)).toEqual(out)
    }
  })
})

describe('stepChart', () => {
  it('stops each line at its own end when traces of different lengths share a chart', () => {
    const svg = stepChart(
      [
        { name: 'long', color: '#111', points: [[0, 3], [50, 4]] },
        { name: 'short', color: '#222', points: [[0, 1], [20, 2]], endNs: 40 },
      ],
      100,
      128,
      60,
    ).text
    const ends = [...svg.matchAll(/d="([^"]+)"/g)].map((m) => Number(/H([\d.]+)$/.exec(m[1]!)![1]))
    // x = 2 + t / 100 * 124: the long line to the chart's end (126), the short one to 40 ns (51.6).
    expect(ends).toEqual([126, 51.6])
  })
})
