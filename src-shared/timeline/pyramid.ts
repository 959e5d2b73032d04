// Level-of-detail for a track: what each screen pixel shows. Zoomed in, pixels are computed straight from the
// spans in view (exact, cheap because few spans are visible). Zoomed out, a precomputed pyramid of power-of-two
// time buckets answers instead, so the cost of a frame depends on the screen width, never on the span count.
// Each bucket keeps its dominant value (the one covering most of it) and how much of it that value covers.

import { firstEndingAfter, firstStartingAtOrAfter, type SpanColumns } from './spans'

export interface PyramidLevel {
  /** Width of one bucket in ns (a power of two). */
  readonly bucketNs: number
  readonly dominant: Uint32Array
  /** ns of the bucket covered by `dominant` (an estimate above level 0: children are merged by their winners). */
  readonly weight: Float32Array
}

export interface Pyramid {
  /** Time of bucket 0's start at every level. */
  readonly originNs: number
  /** Finest first. */
  readonly levels: readonly PyramidLevel[]
}

/** Below this many spans a track needs no pyramid: the direct path is always cheap enough. */
export const PYRAMID_MIN_SPANS = 1024

/** Spans per finest bucket, about (a power of two rounds it up to twice that). */
const SPANS_PER_BUCKET = 4

export function buildPyramid(spans: SpanColumns): Pyramid | null {
  const n = spans.length
  if (n < PYRAMID_MIN_SPANS) return null
  const origin = spans.start[0]
  const duration = spans.end[n - 1] - origin
  // About SPANS_PER_BUCKET spans per finest bucket: finer levels would cost memory and hardly be used (with fewer
  // spans than that per pixel, the direct path is cheap, and exact).
  let bucketNs = 2 ** Math.max(0, Math.ceil(Math.log2(Math.max(1, (SPANS_PER_BUCKET * duration) / n))))
  const levels: PyramidLevel[] = [finestLevel(spans, origin, bucketNs)]
  while (levels[levels.length - 1].dominant.length > 1) {
    levels.push(coarsen(levels[levels.length - 1]))
    bucketNs *= 2
  }
  return { originNs: origin, levels }
}

function finestLevel(spans: SpanColumns, origin: number, bucketNs: number): PyramidLevel {
  const count = Math.max(1, Math.ceil((spans.end[spans.length - 1] - origin) / bucketNs))
  const dominant = new Uint32Array(count)
  const weight = new Float32Array(count)
  // Per-bucket tally of value -> covered ns; spans are sorted, so buckets are filled in order.
  const tally = new Tally()
  let current = -1
  const flush = () => {
    if (current >= 0) {
      dominant[current] = tally.best()
      weight[current] = tally.bestWeight
    }
    tally.clear()
  }
  for (let i = 0; i < spans.length; i++) {
    const s = spans.start[i] - origin
    const e = spans.end[i] - origin
    const v = spans.value[i]
    if (v === 0) continue
    const b0 = Math.floor(s / bucketNs)
    const b1 = Math.min(count - 1, Math.ceil(e / bucketNs) - 1)
    for (let b = b0; b <= b1; b++) {
      if (b !== current) {
        flush()
        current = b
      }
      const lo = Math.max(s, b * bucketNs)
      const hi = Math.min(e, (b + 1) * bucketNs)
      // Interior buckets of a long span are wholly its own: skip straight to the last one.
      if (lo === b * bucketNs && hi === (b + 1) * bucketNs && b < b1) {
        tally.add(v, bucketNs)
        flush()
        const last = b1 - 1
        dominant.fill(v, b + 1, last + 1)
        weight.fill(bucketNs, b + 1, last + 1)
        current = -1
        b = last
        continue
      }
      tally.add(v, hi - lo)
    }
  }
  flush()
  return { bucketNs, dominant, weight }
}

/**
 * value -> covered ns for one bucket. A bucket holds about one span, so a short list searched linearly beats a Map
 * (the pyramid build was mostly Map churn); a bucket crowded with many values moves to a Map.
 */
class Tally {
  private values: number[] = []
  private weights: number[] = []
  private map: Map<number, number> | null = null
  bestWeight = 0

  add(v: number, w: number): void {
    if (this.map) {
      this.map.set(v, (this.map.get(v) ?? 0) + w)
      return
    }
    const vs = this.values
    for (let k = 0; k < vs.length; k++) {
      if (vs[k] === v) {
        this.weights[k] += w
        return
      }
    }
    if (vs.length < 32) {
      vs.push(v)
      this.weights.push(w)
      return
    }
    this.map = new Map(vs.map((x, k) => [x, this.weights[k]]))
    this.map.set(v, w)
  }

  /** The value with the most ns (the first added among equals), and its ns in bestWeight. */
  best(): number {
    let best = 0
    let bestW = 0
    if (this.map) {
      for (const [v, w] of this.map) {
        if (w > bestW) {
          best = v
          bestW = w
        }
      }
    } else {
      for (let k = 0; k < this.values.length; k++) {
        if (this.weights[k] > bestW) {
          best = this.values[k]
          bestW = this.weights[k]
        }
      }
    }
    this.bestWeight = bestW
    return best
  }

  clear(): void {
    this.values.length = 0
    this.weights.length = 0
    this.map = null
  }
}

function coarsen(level: PyramidLevel): PyramidLevel {
  const count = Math.ceil(level.dominant.length / 2)
  const dominant = new Uint32Array(count)
  const weight = new Float32Array(count)
  for (let b = 0; b < count; b++) {
    const v0 = level.dominant[2 * b]
    const w0 = level.weight[2 * b]
    const v1 = 2 * b + 1 < level.dominant.length ? level.dominant[2 * b + 1] : 0
    const w1 = 2 * b + 1 < level.dominant.length ? level.weight[2 * b + 1] : 0
    if (v0 === v1) {
      dominant[b] = v0
      weight[b] = w0 + w1
    } else if (w0 >= w1) {
      dominant[b] = v0
      weight[b] = w0
    } else {
      dominant[b] = v1
      weight[b] = w1
    }
  }
  return { bucketNs: level.bucketNs * 2, dominant, weight }
}

/** A horizontal window: `width` pixels starting at `startNs`, each `nsPerPx` wide. */
export interface PixelWindow {
  startNs: number
  nsPerPx: number
  width: number
}

/**
 * Fills `out[p]` with the value shown at pixel p (0 = nothing), the one covering the most of that pixel.
 * `pyramid` is used only when the window holds many more spans than pixels; `getPyramid` builds it lazily.
 */
export function pixelsOf(spans: SpanColumns, win: PixelWindow, out: Uint32Array, getPyramid: () => Pyramid | null): void {
  out.fill(0, 0, win.width)
  if (spans.length === 0 || win.width <= 0 || !(win.nsPerPx > 0)) return
  const t0 = win.startNs
  const t1 = t0 + win.nsPerPx * win.width
  const first = firstEndingAfter(spans, t0)
  const last = firstStartingAtOrAfter(spans, t1)
  if (last - first <= 2 * win.width) return directPixels(spans, first, last, win, out)
  const pyramid = getPyramid()
  const level = pyramid && pickLevel(pyramid, win.nsPerPx)
  if (!pyramid || !level) return directPixels(spans, first, last, win, out)
  pyramidPixels(pyramid.originNs, level, win, out)
}

function pickLevel(pyramid: Pyramid, nsPerPx: number): PyramidLevel | null {
  let chosen: PyramidLevel | null = null
  for (const level of pyramid.levels) {
    if (level.bucketNs <= nsPerPx) chosen = level
    else break
  }
  return chosen
}

const bestScratch = { w: new Float64Array(0) }

function directPixels(spans: SpanColumns, first: number, last: number, win: PixelWindow, out: Uint32Array): void {
  if (bestScratch.w.length < win.width) bestScratch.w = new Float64Array(win.width)
  const best = bestScratch.w
  best.fill(0, 0, win.width)
  const { startNs: t0, nsPerPx: npp, width } = win
  for (let i = first; i < last; i++) {
    const v = spans.value[i]
    if (v === 0) continue
    const s = spans.start[i]
    const e = spans.end[i]
    const p0 = Math.max(0, Math.floor((s - t0) / npp))
    const p1 = Math.min(width - 1, Math.floor((e - t0) / npp))
    // Pixels strictly inside the span are wholly its own (spans are disjoint): no per-pixel arithmetic.
    if (p1 > p0 + 1) {
      out.fill(v, p0 + 1, p1)
      best.fill(npp, p0 + 1, p1)
    }
    for (let p = p0; p <= p1; p = p === p0 ? Math.max(p0 + 1, p1) : p1 + 1) {
      const lo = Math.max(s, t0 + p * npp)
      const hi = Math.min(e, t0 + (p + 1) * npp)
      const w = hi - lo
      if (w > best[p]) {
        best[p] = w
        out[p] = v
      }
    }
  }
}

function pyramidPixels(origin: number, level: PyramidLevel, win: PixelWindow, out: Uint32Array): void {
  const { startNs: t0, nsPerPx: npp, width } = win
  const B = level.bucketNs
  const count = level.dominant.length
  for (let p = 0; p < width; p++) {
    const lo = t0 + p * npp - origin
    const hi = lo + npp
    const b0 = Math.max(0, Math.floor(lo / B))
    const b1 = Math.min(count - 1, Math.ceil(hi / B) - 1)
    let bestV = 0
    let bestW = 0
    for (let b = b0; b <= b1; b++) {
      const v = level.dominant[b]
      if (v === 0) continue
      // Only the part of the bucket inside this pixel counts, in proportion.
      const frac = (Math.min(hi, (b + 1) * B) - Math.max(lo, b * B)) / B
      const w = level.weight[b] * frac
      if (w > bestW) {
        bestW = w
        bestV = v
      }
    }
    out[p] = bestV
  }
}

/**
 * Merges equal neighbouring pixels into runs: triples (firstPixel, pixelCount, value), zero values left out.
 * This is what crosses from the worker to the page and what the canvas fills, one rectangle per run.
 */
export function runsOf(pixels: Uint32Array, width: number): Uint32Array {
  if (runScratch.length < 3 * width) runScratch = new Uint32Array(3 * width)
  const runs = runScratch
  let n = 0
  let p = 0
  while (p < width) {
    const v = pixels[p]
    let q = p + 1
    while (q < width && pixels[q] === v) q++
    if (v !== 0) {
      runs[n] = p
      runs[n + 1] = q - p
      runs[n + 2] = v
      n += 3
    }
    p = q
  }
  return runs.slice(0, n)
}

let runScratch = new Uint32Array(0)
