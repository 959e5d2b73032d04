// Step series for the plots: a value holds from its sample time until the next sample. Per-pixel min/max
// decimation keeps a plot's cost tied to the screen width, whatever the sample count.

export interface StepSeries {
  times: Float64Array
  values: Float64Array | Int32Array
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
