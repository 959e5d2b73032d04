// Step series for the plots: a value holds from its sample time until the next sample. Per-pixel min/max
// decimation keeps a plot's cost tied to the screen width, whatever the sample count.

import type { SpanColumns } from './spans'

export interface StepSeries {
  times: Float64Array
  values: Float64Array
}

/**
 * How many of the given tracks are in each class over time. `classOf` maps a span value to a class index (or -1
 * to ignore it). Counts are kept on a grid of `resolutionNs` (a span is counted from the grid cell its start falls
 * in to the one its end falls in) so 10 million spans cost one pass and a prefix sum instead of a sort; with
 * resolution 1 the counts are exact. Returns one step series per class, with a point wherever the count changes.
 */
export function countsOverTime(
  tracks: readonly SpanColumns[],
  classes: number,
  classOf: (value: number) => number,
  endNs: number,
  resolutionNs = 1,
): StepSeries[] {
  const res = Math.max(1, resolutionNs)
  const cells = Math.floor(Math.max(0, endNs) / res) + 2
  const diff = new Int32Array(classes * cells)
  for (const t of tracks) {
    for (let i = 0; i < t.length; i++) {
      const c = classOf(t.value[i])
      if (c < 0) continue
      const a = Math.min(cells - 1, Math.floor(t.start[i] / res))
      const b = Math.min(cells - 1, Math.floor(t.end[i] / res))
      if (a === b) continue // shorter than a cell: invisible at this resolution
      diff[c * cells + a]++
      diff[c * cells + b]--
    }
  }
  const out: StepSeries[] = []
  for (let c = 0; c < classes; c++) {
    const ts: number[] = []
    const vs: number[] = []
    let count = 0
    for (let k = 0; k < cells; k++) {
      const d = diff[c * cells + k]
      if (d === 0) continue
      count += d
      ts.push(k * res)
      vs.push(count)
    }
    out.push({ times: Float64Array.from(ts), values: Float64Array.from(vs) })
  }
  return out
}

/** A grid fine enough to be exact on small traces and about a million cells on big ones. */
export function countResolution(endNs: number): number {
  return Math.max(1, 2 ** Math.ceil(Math.log2(Math.max(1, endNs) / (1 << 20))))
}

/** Min and max of the series over each pixel (value in force counts, even if sampled before the pixel). */
export function decimate(s: StepSeries, startNs: number, nsPerPx: number, width: number): { min: Float64Array; max: Float64Array } {
  const min = new Float64Array(width).fill(NaN)
  const max = new Float64Array(width).fill(NaN)
  if (s.times.length === 0) return { min, max }
  let lo = 0
  let hi = s.times.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (s.times[mid] <= startNs) lo = mid + 1
    else hi = mid
  }
  let i = Math.max(0, lo - 1)
  for (let p = 0; p < width; p++) {
    const t0 = startNs + p * nsPerPx
    const t1 = t0 + nsPerPx
    while (i + 1 < s.times.length && s.times[i + 1] <= t0) i++
    if (s.times[i] >= t1) continue
    let mn = s.values[i]
    let mx = mn
    while (i + 1 < s.times.length && s.times[i + 1] < t1) {
      i++
      const v = s.values[i]
      if (v < mn) mn = v
      if (v > mx) mx = v
    }
    min[p] = mn
    max[p] = mx
  }
  return { min, max }
}

/** Min/max of a series per coarse bucket, so a zoomed-out plot costs the screen width, not the sample count. */
export interface CoarseSeries {
  startNs: number
  bucketNs: number
  min: Float64Array
  max: Float64Array
}

export const COARSE_BUCKETS = 1 << 16

export function coarsen(s: StepSeries, endNs: number, buckets = COARSE_BUCKETS): CoarseSeries {
  const bucketNs = Math.max(1, endNs / buckets)
  const { min, max } = decimate(s, 0, bucketNs, buckets)
  return { startNs: 0, bucketNs, min, max }
}

/** decimate(), answered from the coarse level when a pixel covers at least one bucket. */
export function decimateFast(s: StepSeries, coarse: CoarseSeries | null, startNs: number, nsPerPx: number, width: number): { min: Float64Array; max: Float64Array } {
  if (!coarse || nsPerPx < coarse.bucketNs || s.times.length < 4 * width) return decimate(s, startNs, nsPerPx, width)
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
