// One track's spans in columnar form: typed arrays, no objects per span, so 10 million spans cost ~160 MB and the
// GC never walks them. Spans are sorted by start and do not overlap; `value` is what the span shows (a goroutine
// state code on goroutine tracks, goroutine id + 1 on P tracks); 0 means "nothing here".
import { grown } from '../trace/typed-array'

export interface SpanColumns {
  readonly start: Float64Array
  /** Each span's end; on a goroutine track, a view of `start` one slot on (see groupLifelines). */
  readonly end: Float64Array
  readonly value: Uint32Array | Uint8Array
  readonly length: number
}

/** Grows columns span by span while a track is being built, then hands out exact-size arrays. */
export class SpanBuilder {
  private start = new Float64Array(16)
  private end = new Float64Array(16)
  private value = new Uint32Array(16)
  length = 0

  /** Appends [startNs, endNs) showing `value`; empty spans are dropped, a span equal to the last one extends it. */
  push(startNs: number, endNs: number, value: number): void {
    if (!(endNs > startNs)) return
    const n = this.length
    if (n > 0 && this.value[n - 1] === value && this.end[n - 1] === startNs) {
      this.end[n - 1] = endNs
      return
    }
    if (n > 0 && startNs < this.end[n - 1]) {
      throw new Error(`span at ${startNs} ns starts before the previous one ends (${this.end[n - 1]} ns)`)
    }
    if (n === this.start.length) this.grow()
    this.start[n] = startNs
    this.end[n] = endNs
    this.value[n] = value
    this.length = n + 1
  }

  finish(): SpanColumns {
    const n = this.length
    return { start: this.start.slice(0, n), end: this.end.slice(0, n), value: this.value.slice(0, n), length: n }
  }

  private grow(): void {
    const size = this.start.length * 2
    const s = new Float64Array(size)
    s.set(this.start)
    const e = new Float64Array(size)
    e.set(this.end)
    const v = new Uint32Array(size)
    v.set(this.value)
    this.start = s
    this.end = e
    this.value = v
  }
}

/** Index of the first span whose end is after `t` (spans are sorted and disjoint, so ends are sorted too). */
export function firstEndingAfter(spans: SpanColumns, t: number): number {
  let lo = 0
  let hi = spans.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (spans.end[mid] <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the first span starting at or after `t`. */
export function firstStartingAtOrAfter(spans: SpanColumns, t: number): number {
  let lo = 0
  let hi = spans.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (spans.start[mid] < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The span covering time t, or -1. */
export function spanAt(spans: SpanColumns, t: number): number {
  const i = firstEndingAfter(spans, t)
  return i < spans.length && spans.start[i] <= t ? i : -1
}

/** Spans of many tracks in shared columns, each track a contiguous range. */
export interface GroupedSpans {
  keys: number[]
  /** The track of each key, as views into the shared columns (no copy per track). */
  tracks: SpanColumns[]
  /** Spans that overlapped their predecessor on the same track and were clipped to start where it ended. */
  clipped: number
}

/**
 * Packs spans given sorted by (key, start) into one set of columns: touching equal spans merge, overlaps are
 * clipped (a decoder bug must not take the window down), empty spans vanish. 20 bytes a span, 3 views a track,
 * instead of one growable builder per track.
 */
export function groupSpans(
  n: number,
  keyOf: (i: number) => number,
  startOf: (i: number) => number,
  endOf: (i: number) => number,
  valueOf: (i: number) => number,
): GroupedSpans {
  const start = new Float64Array(n)
  const end = new Float64Array(n)
  const value = new Uint32Array(n)
  const keys: number[] = []
  const ranges: number[] = []
  let out = 0
  let clipped = 0
  let key = 0
  let first = 0
  for (let i = 0; i < n; i++) {
    const k = keyOf(i)
    if (i === 0 || k !== key) {
      if (i > 0) {
        keys.push(key)
        ranges.push(first, out)
      }
      key = k
      first = out
    }
    let s = startOf(i)
    const e = endOf(i)
    const v = valueOf(i)
    if (out > first && s < end[out - 1]) {
      clipped++
      s = end[out - 1]
    }
    if (!(e > s)) continue
    if (out > first && value[out - 1] === v && end[out - 1] === s) {
      end[out - 1] = e
      continue
    }
    start[out] = s
    end[out] = e
    value[out] = v
    out++
  }
  if (n > 0) {
    keys.push(key)
    ranges.push(first, out)
  }
  const tracks: SpanColumns[] = []
  for (let t = 0; t < keys.length; t++) {
    const a = ranges[2 * t]
    const b = ranges[2 * t + 1]
    tracks.push({ start: start.subarray(a, b), end: end.subarray(a, b), value: value.subarray(a, b), length: b - a })
  }
  return { keys, tracks, clipped }
}

/**
 * groupSpans for lifelines: spans that tile each track (a goroutine's states follow one another), with values below
 * 256. A track's spans are laid out as their starts and then the last one's end, so `end` is a view of the same
 * column one slot on, and values are bytes: 9 bytes a span instead of 20 (a gap, which lifelines do not have, becomes
 * a span of value 0). `tracks` is how many keys there can be (a slot each).
 */
export function groupLifelines(
  n: number,
  tracks: number,
  keyOf: (i: number) => number,
  startOf: (i: number) => number,
  endOf: (i: number) => number,
  valueOf: (i: number) => number,
): GroupedSpans {
  // Track t's spans are [a, b) of `value`, their starts at[a, b) and ends at[a + 1, b + 1): each track is followed by
  // a slot for its end (at[b]), which `value` has too (unused) so that both share indexes.
  let at = new Float64Array(n + tracks + 1)
  let value = new Uint8Array(at.length)
  const keys: number[] = []
  const ranges: number[] = []
  let out = 0
  let clipped = 0
  let key = 0
  let first = 0
  /** The open track's end so far (its next span starts here), or NaN while it has no span. */
  let end = NaN
  const put = (s: number, v: number) => {
    if (out + 2 > at.length) {
      // Gaps (and more keys than promised) need room: rare, so grown by copying.
      at = grown(at, at.length * 2)
      value = grown(value, at.length)
    }
    at[out] = s
    value[out] = v
    out++
  }
  const close = () => {
    keys.push(key)
    ranges.push(first, out)
    if (out > first) at[out++] = end
  }
  for (let i = 0; i < n; i++) {
    const k = keyOf(i)
    if (i === 0 || k !== key) {
      if (i > 0) close()
      key = k
      first = out
      end = NaN
    }
    let s = startOf(i)
    const e = endOf(i)
    const v = valueOf(i)
    if (v > 0xff) throw new Error(`lifeline value ${v} does not fit a byte`)
    if (out > first && s < end) {
      clipped++
      s = end
    }
    if (!(e > s)) continue
    // A gap: a span of nothing (or the one before it, if it is one, reaches over it).
    if (out > first && s > end && value[out - 1] !== 0) put(end, 0)
    if (out > first && value[out - 1] === v) {
      end = e
      continue
    }
    put(s, v)
    end = e
  }
  if (n > 0) close()
  const list: SpanColumns[] = []
  for (let t = 0; t < keys.length; t++) {
    const a = ranges[2 * t]!
    const b = ranges[2 * t + 1]!
    // An empty track (a key whose spans were all empty) has no end slot.
    list.push({ start: at.subarray(a, b), end: a < b ? at.subarray(a + 1, b + 1) : at.subarray(a, a), value: value.subarray(a, b), length: b - a })
  }
  return { keys, tracks: list, clipped }
}
