// Step series for the plots: a value holds from its sample time until the next sample. Per-pixel min/max
// decimation keeps a plot's cost tied to the screen width, whatever the sample count.

/**
 * A step series' points, read by index. Points are read a piece at a time (see Forward), so a series can be a view
 * of a compact table (the goroutine counts: about a byte a point in the model) instead of arrays of every point.
 */
export interface StepSeries {
  readonly length: number
  time(i: number): number
  /** Points [from, from + n): their times and values into the arrays' first n slots. */
  read(from: number, n: number, times: Float64Array, values: Float64Array): void
}

/** A series held as arrays. */
export function arraySeries(times: Float64Array, values: Float64Array | Int32Array): StepSeries {
  return {
    length: times.length,
    time: (i) => times[i]!,
    read(from, n, t, v) {
      t.set(times.subarray(from, from + n))
      v.set(values.subarray(from, from + n))
    },
  }
}

/** Points read at a time when walking a series forward. */
const PIECE = 4096

/** Reads a series forward a piece at a time. */
class Forward {
  private from = 0
  private n = 0
  private readonly times = new Float64Array(PIECE)
  private readonly values = new Float64Array(PIECE)
  constructor(private readonly s: StepSeries) {}
  /**
   * Point i's slot in the loaded piece, loading the piece that starts just before i when it is not there (a walk that
   * looks one point ahead then reads the point it is on finds both in one piece).
   */
  private slot(i: number): number {
    if (i < this.from || i >= this.from + this.n) {
      const from = Math.max(0, i - 1)
      this.n = Math.min(PIECE, this.s.length - from)
      this.from = from
      this.s.read(from, this.n, this.times, this.values)
    }
    return i - this.from
  }
  time(i: number): number {
    return this.times[this.slot(i)]!
  }
  value(i: number): number {
    return this.values[this.slot(i)]!
  }
}

/** Per-pixel min and max of a series (NaN where it has no value yet). */
export interface Pixels {
  min: Float64Array
  max: Float64Array
}

/** Min and max of the series over each pixel (value in force counts, even if sampled before the pixel). */
export function decimate(s: StepSeries, startNs: number, nsPerPx: number, width: number): Pixels {
  return decimateMany([s], startNs, nsPerPx, width)[0]!
}

/**
 * decimate() of several series, walked pixel by pixel together: series that are views of one table (the counts of
 * each goroutine state) then ask it for the same pieces one after the other, and it can decode each piece once.
 */
export function decimateMany(list: readonly StepSeries[], startNs: number, nsPerPx: number, width: number): Pixels[] {
  const out = list.map(() => ({ min: new Float64Array(width).fill(NaN), max: new Float64Array(width).fill(NaN) }))
  // Each series starts at the point in force at startNs (or its first).
  const walks = list.map((s) => {
    let lo = 0
    let hi = s.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (s.time(mid) <= startNs) lo = mid + 1
      else hi = mid
    }
    return { f: new Forward(s), n: s.length, i: Math.max(0, lo - 1) }
  })
  for (let p = 0; p < width; p++) {
    const t0 = startNs + p * nsPerPx
    const t1 = t0 + nsPerPx
    for (let k = 0; k < walks.length; k++) {
      const w = walks[k]!
      const { f, n } = w
      if (n === 0) continue
      let i = w.i
      while (i + 1 < n && f.time(i + 1) <= t0) i++
      if (f.time(i) < t1) {
        let mn = f.value(i)
        let mx = mn
        while (i + 1 < n && f.time(i + 1) < t1) {
          i++
          const v = f.value(i)
          if (v < mn) mn = v
          if (v > mx) mx = v
        }
        out[k]!.min[p] = mn
        out[k]!.max[p] = mx
      }
      w.i = i
    }
  }
  return out
}

/** Min/max of a series per coarse bucket, so a zoomed-out plot costs the screen width, not the sample count. */
export interface CoarseSeries {
  startNs: number
  bucketNs: number
  min: Float64Array
  max: Float64Array
}

export const COARSE_BUCKETS = 1 << 16

/** Min/max of each series per coarse bucket over [0, endNs), in one walk (see decimateMany). */
export function coarsenMany(list: readonly StepSeries[], endNs: number, buckets = COARSE_BUCKETS): CoarseSeries[] {
  const bucketNs = Math.max(1, endNs / buckets)
  return decimateMany(list, 0, bucketNs, buckets).map(({ min, max }) => ({ startNs: 0, bucketNs, min, max }))
}

/** Whether a plot at this zoom must be decimated from the points: finer than the coarse buckets, or few points. */
export function needsExact(s: StepSeries, coarse: CoarseSeries, nsPerPx: number, width: number): boolean {
  return nsPerPx < coarse.bucketNs || s.length < 4 * width
}

/** Per-pixel min and max from the coarse buckets a pixel covers. */
export function fromCoarse(coarse: CoarseSeries, startNs: number, nsPerPx: number, width: number): Pixels {
  const min = new Float64Array(width).fill(NaN)
  const max = new Float64Array(width).fill(NaN)
  const n = coarse.min.length
  for (let p = 0; p < width; p++) {
    const b0 = Math.max(0, Math.floor((startNs + p * nsPerPx - coarse.startNs) / coarse.bucketNs))
    const b1 = Math.min(n - 1, Math.ceil((startNs + (p + 1) * nsPerPx - coarse.startNs) / coarse.bucketNs) - 1)
    let mn = NaN
    let mx = NaN
    for (let b = b0; b <= b1; b++) {
      const lo = coarse.min[b]
      const hi = coarse.max[b]
      if (Number.isNaN(lo)) continue
      if (!(lo >= mn)) mn = lo
      if (!(hi <= mx)) mx = hi
    }
    min[p] = mn
    max[p] = mx
  }
  return { min, max }
}
