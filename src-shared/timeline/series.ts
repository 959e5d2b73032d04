// Step series for the plots: a value holds from its sample time until the next sample. Per-pixel min/max
// decimation keeps a plot's cost tied to the screen width, whatever the sample count.

import type { SpanColumns } from './spans'

export interface StepSeries {
  times: Float64Array
  values: Float64Array
}

/**
 * How many of the given tracks are in each class over time: +1 when a span of the class starts, -1 when it ends.
 * `classOf` maps a span value to a class index (or -1 to ignore it). Returns one step series per class.
 */
export function countsOverTime(tracks: readonly SpanColumns[], classes: number, classOf: (value: number) => number): StepSeries[] {
  let n = 0
  for (const t of tracks) n += t.length
  const time = new Float64Array(2 * n)
  const delta = new Int32Array(2 * n)
  let k = 0
  for (const t of tracks) {
    for (let i = 0; i < t.length; i++) {
      const c = classOf(t.value[i])
      if (c < 0) continue
      time[k] = t.start[i]
      delta[k++] = c + 1
      time[k] = t.end[i]
      delta[k++] = -(c + 1)
    }
  }
  // Sort event indexes by time (typed-array sort of indexes keyed by time).
  const order = new Uint32Array(k)
  for (let i = 0; i < k; i++) order[i] = i
  order.sort((a, b) => time[a] - time[b] || delta[a] - delta[b])
  const counts = new Float64Array(classes)
  const outT: number[][] = Array.from({ length: classes }, () => [])
  const outV: number[][] = Array.from({ length: classes }, () => [])
  for (let j = 0; j < k; j++) {
    const i = order[j]
    const c = Math.abs(delta[i]) - 1
    counts[c] += delta[i] > 0 ? 1 : -1
    const ts = outT[c]
    // Several events at one instant collapse to the last value.
    if (ts.length && ts[ts.length - 1] === time[i]) outV[c][outV[c].length - 1] = counts[c]
    else {
      ts.push(time[i])
      outV[c].push(counts[c])
    }
  }
  return outT.map((ts, c) => ({ times: Float64Array.from(ts), values: Float64Array.from(outV[c]) }))
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
