import { describe, expect, it } from 'vitest'
import { buildPyramid, pixelsOf, runsOf, PYRAMID_MIN_SPANS } from '../../../src-shared/timeline/pyramid'
import { groupLifelines, groupSpans, SpanBuilder, spanAt, type SpanColumns } from '../../../src-shared/timeline/spans'

/** Deterministic pseudo-random spans with gaps, like a goroutine flipping between states. */
function randomTrack(n: number, seed: number, values = 4): SpanColumns {
  let x = seed >>> 0
  const rnd = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const b = new SpanBuilder()
  let t = Math.floor(rnd() * 1000)
  for (let i = 0; i < n; i++) {
    const len = 1 + Math.floor(rnd() * rnd() * 5000)
    b.push(t, t + len, 1 + Math.floor(rnd() * values))
    t += len + (rnd() < 0.2 ? Math.floor(rnd() * 3000) : 0)
  }
  return b.finish()
}

/** The reference: for each pixel, the value covering most of it, by brute force over every span. */
function bruteForce(spans: SpanColumns, startNs: number, nsPerPx: number, width: number): Uint32Array {
  const out = new Uint32Array(width)
  for (let p = 0; p < width; p++) {
    const lo = startNs + p * nsPerPx
    const hi = lo + nsPerPx
    const cover = new Map<number, number>()
    for (let i = 0; i < spans.length; i++) {
      const w = Math.min(hi, spans.end[i]) - Math.max(lo, spans.start[i])
      if (w > 0) cover.set(spans.value[i], (cover.get(spans.value[i]) ?? 0) + w)
    }
    let best = 0
    let bestW = 0
    for (const [v, w] of cover) if (w > bestW) [best, bestW] = [v, w]
    out[p] = best
  }
  return out
}

describe('SpanBuilder', () => {
  it('merges touching spans of the same value and rejects overlap with the offending time', () => {
    const b = new SpanBuilder()
    b.push(0, 10, 1)
    b.push(10, 20, 1)
    b.push(20, 25, 2)
    b.push(30, 30, 3) // empty: dropped
    expect(b.finish()).toMatchObject({ length: 2, start: Float64Array.from([0, 20]), end: Float64Array.from([20, 25]) })
    expect(() => b.push(22, 40, 3)).toThrow(/22 ns starts before the previous one ends \(25 ns\)/)
  })

  it('finds the span under a time', () => {
    const s = randomTrack(500, 7)
    for (const i of [0, 17, 250, s.length - 1]) {
      const mid = (s.start[i] + s.end[i]) / 2
      expect(spanAt(s, mid)).toBe(i)
    }
    expect(spanAt(s, s.end[s.length - 1] + 1)).toBe(-1)
  })
})

describe('pixelsOf', () => {
  it('is exact when zoomed in (few spans per pixel)', () => {
    const s = randomTrack(300, 1)
    const start = s.start[40]
    const nsPerPx = 97
    const width = 400
    const out = new Uint32Array(width)
    pixelsOf(s, { startNs: start, nsPerPx, width }, out, () => buildPyramid(s))
    expect(out).toEqual(bruteForce(s, start, nsPerPx, width))
  })

  it('zoomed out, the pyramid agrees with the exact answer on almost every pixel', () => {
    // Phases like a real goroutine: long stretches dominated by one state, with short flips in between.
    let x = 11
    const rnd = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32)
    const b = new SpanBuilder()
    let t = 0
    for (let phase = 0; phase < 200; phase++) {
      const main = 1 + (phase % 3)
      for (let i = 0; i < 200; i++) {
        const len = 50 + Math.floor(rnd() * 1000)
        b.push(t, t + len, rnd() < 0.85 ? main : 4)
        t += len
      }
      if (phase % 7 === 0) t += 100_000 // idle gap: must stay empty
    }
    const s = b.finish()
    const total = s.end[s.length - 1] - s.start[0]
    let built = 0
    const pyramid = buildPyramid(s)
    expect(pyramid).not.toBeNull()
    for (const width of [300, 1000]) {
      const nsPerPx = total / width
      const out = new Uint32Array(width)
      pixelsOf(s, { startNs: s.start[0], nsPerPx, width }, out, () => (built++, pyramid))
      const exact = bruteForce(s, s.start[0], nsPerPx, width)
      let same = 0
      for (let p = 0; p < width; p++) if (out[p] === exact[p]) same++
      // Buckets merge by their winners, so a near-tie pixel may differ; the picture must not.
      expect(same / width).toBeGreaterThan(0.85)
      // Gaps: never invented, and an idle stretch wider than a pixel shows as empty (give or take its edge pixels).
      let exactEmpty = 0
      let shownEmpty = 0
      for (let p = 0; p < width; p++) {
        if (out[p] === 0) expect(exact[p]).toBe(0)
        if (exact[p] === 0) exactEmpty++
        if (out[p] === 0) shownEmpty++
      }
      expect(exactEmpty).toBeGreaterThan(0)
      expect(shownEmpty).toBeGreaterThanOrEqual(exactEmpty - 2 * 29)
    }
    expect(built).toBe(2)
  })

  it('shows a long span as one run across the levels and leaves gaps empty', () => {
    const b = new SpanBuilder()
    for (let i = 0; i < PYRAMID_MIN_SPANS * 2; i++) b.push(i * 10, i * 10 + 5, 1 + (i % 2))
    const base = PYRAMID_MIN_SPANS * 20
    b.push(base, base + 1_000_000, 3)
    const s = b.finish()
    const width = 200
    const nsPerPx = (base + 1_000_000) / width
    const out = new Uint32Array(width)
    pixelsOf(s, { startNs: 0, nsPerPx, width }, out, () => buildPyramid(s))
    const runs = runsOf(out, width)
    const last = runs.length - 3
    expect(runs[last + 2]).toBe(3)
    expect(runs[last] + runs[last + 1]).toBe(width)
    // The far right of an empty window past the end stays empty.
    const after = new Uint32Array(50)
    pixelsOf(s, { startNs: base + 2_000_000, nsPerPx: 1000, width: 50 }, after, () => buildPyramid(s))
    expect(after.every((v) => v === 0)).toBe(true)
  })

  it('needs no pyramid for small tracks', () => {
    expect(buildPyramid(randomTrack(PYRAMID_MIN_SPANS - 1, 9))).toBeNull()
  })
})

describe('runsOf', () => {
  it('merges equal pixels and drops empty ones', () => {
    expect(Array.from(runsOf(Uint32Array.from([0, 2, 2, 3, 0, 0, 3]), 7))).toEqual([1, 2, 2, 3, 1, 3, 6, 1, 3])
  })
})

describe('groupSpans', () => {
  it('packs tracks into shared columns, merging touching equal spans and clipping overlaps', () => {
    // key, start, end, value
    const rows = [
      [1, 0, 10, 1],
      [1, 10, 20, 1],
      [1, 15, 30, 2], // overlaps the previous one: clipped to start at 20
      [1, 30, 30, 3], // empty: dropped
      [4, 5, 8, 2],
    ]
    const g = groupSpans(rows.length, (i) => rows[i][0], (i) => rows[i][1], (i) => rows[i][2], (i) => rows[i][3])
    expect(g.keys).toEqual([1, 4])
    expect(g.clipped).toBe(1)
    const [a, b] = g.tracks
    expect([Array.from(a.start), Array.from(a.end), Array.from(a.value)]).toEqual([[0, 20], [20, 30], [1, 2]])
    expect([Array.from(b.start), Array.from(b.end), Array.from(b.value), b.length]).toEqual([[5], [8], [2], 1])
  })
})

describe('groupLifelines', () => {
  const columns = (t: SpanColumns) => [Array.from(t.start), Array.from(t.end), Array.from(t.value), t.length]

  it('gives what groupSpans gives for tiled tracks, with ends one slot on in the starts column and byte values', () => {
    let x = 3
    const rnd = (k: number) => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) % k)
    // Tracks that tile their span of time, with merges (equal neighbours), empty spans, overlaps and all-empty tracks.
    const rows: number[][] = []
    for (let key = 1; key <= 300; key++) {
      let t = rnd(1000)
      const spans = rnd(40)
      const allEmpty = rnd(20) === 0
      for (let k = 0; k < spans; k++) {
        const len = allEmpty || rnd(10) === 0 ? 0 : 1 + rnd(100)
        const back = rnd(15) === 0 ? rnd(5) : 0
        rows.push([key * 7, t - back, t + len, rnd(4)])
        t += len
      }
    }
    const args = [(i: number) => rows[i]![0]!, (i: number) => rows[i]![1]!, (i: number) => rows[i]![2]!, (i: number) => rows[i]![3]!] as const
    const want = groupSpans(rows.length, ...args)
    // Fewer slots than tracks: the columns grow.
    for (const tracks of [300, 10]) {
      const got = groupLifelines(rows.length, tracks, ...args)
      expect(got.keys).toEqual(want.keys)
      expect(got.clipped).toBe(want.clipped)
      got.tracks.forEach((t, k) => {
        expect(columns(t), `key ${got.keys[k]}`).toEqual(columns(want.tracks[k]!))
        expect(t.value).toBeInstanceOf(Uint8Array)
        if (t.length > 0) expect(t.end.buffer).toBe(t.start.buffer)
      })
    }
  })

  it('fills a gap with a span of value 0, and refuses values that do not fit a byte', () => {
    const rows = [
      [1, 0, 10, 1],
      [1, 15, 20, 2],
      [2, 5, 6, 0],
      [2, 8, 9, 0],
    ]
    const g = groupLifelines(rows.length, 2, (i) => rows[i]![0]!, (i) => rows[i]![1]!, (i) => rows[i]![2]!, (i) => rows[i]![3]!)
    expect(g.keys).toEqual([1, 2])
    expect(columns(g.tracks[0]!)).toEqual([[0, 10, 15], [10, 15, 20], [1, 0, 2], 3])
    // A gap between two spans of nothing merges with them.
    expect(columns(g.tracks[1]!)).toEqual([[5], [9], [0], 1])
    expect(() => groupLifelines(1, 1, () => 1, () => 0, () => 1, () => 256)).toThrow(/does not fit a byte/)
  })
})
