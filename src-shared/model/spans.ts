// Span tables that refer to events instead of copying them. A span is the pair of events that begin and end it
// (4 bytes each) plus whose and which state it is; its times, block reason and stack are read from those events in
// the store when asked. That keeps a lifeline to about 13 bytes per span instead of six 8-byte columns.
import type { EventStore } from '../trace/events'
import { EV } from '../trace/spec'
import type { GoroutineCounts, GoroutineSpans, ResourceSpans, UnblockEdges } from './model'

/** "The end of the trace" in an end-event column. */
export const TRACE_END = 0xffffffff
/** Set in a goroutine span's state byte when the span starts at the trace's start (it existed before the trace). */
export const FROM_ORIGIN = 0x80

/** Event times relative to the trace start. */
export class EventClock {
  constructor(
    readonly events: EventStore,
    readonly originNs: number,
    readonly endNs: number,
  ) {}

  at(ev: number): number {
    return ev === TRACE_END ? this.endNs : this.events.timeAt(ev) - this.originNs
  }
}

/** The block reason (string id) a goroutine transition event gives its new state; 0 for none. */
export function transitionReason(events: EventStore, ev: number): number {
  const type = events.typeAt(ev)
  return type === EV.GoStop || type === EV.GoBlock ? events.arg(ev, 0) : 0
}

/**
 * Which argument of a goroutine transition event holds the stack of its new state (where it blocked, where it was
 * parked, or a new goroutine's start stack); -1 when it has none. The model build and the span table both use it.
 */
export function newStateStackArg(type: number): number {
  switch (type) {
    case EV.GoStatusStack: return 3
    case EV.GoCreate: case EV.GoCreateBlocked: case EV.GoStop: case EV.GoBlock: case EV.GoSyscallBegin: return 1
    default: return -1
  }
}

/** The stack (stack id) a goroutine transition event gives its new state; 0 for none. */
export function transitionStack(events: EventStore, ev: number): number {
  const k = newStateStackArg(events.typeAt(ev))
  return k < 0 ? 0 : events.arg(ev, k)
}

/** Growable Uint32/Int32/Uint8 column for building. */
export class Column<T extends Uint32Array | Int32Array | Float64Array> {
  length = 0
  constructor(public data: T) {}
  /** The rows pushed, as an array of exactly that length. */
  trimmed(): T {
    return this.data.slice(0, this.length) as T
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new (this.data.constructor as new (n: number) => T)(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = v
  }
}

/**
 * Rows of W unsigned 32-bit words in one array, for staging spans while replaying: one growable array (one kind of
 * element, so the hot push stays monomorphic), and a row's words share a cache line when rows are later regrouped.
 */
export class Rows {
  length = 0
  data: Uint32Array
  constructor(readonly width: number, capacity = 1024) {
    this.data = new Uint32Array(capacity * width)
  }
  private grow(): void {
    const next = new Uint32Array(this.data.length * 2)
    next.set(this.data)
    this.data = next
  }
  push1(a: number): void {
    if (this.length === this.data.length) this.grow()
    this.data[this.length++] = a
  }
  push2(a: number, b: number): void {
    const at = this.length * 2
    if (at + 2 > this.data.length) this.grow()
    this.data[at] = a
    this.data[at + 1] = b
    this.length++
  }
  push4(a: number, b: number, c: number, d: number): void {
    const at = this.length * 4
    if (at + 4 > this.data.length) this.grow()
    const x = this.data
    x[at] = a
    x[at + 1] = b
    x[at + 2] = c
    x[at + 3] = d
    this.length++
  }
  /** Word k of every row, in the given row order (all rows when order is null), as its own column. */
  column(k: number, order: Uint32Array | null): Uint32Array {
    const n = order ? order.length : this.length
    const out = new Uint32Array(n)
    const w = this.width
    const x = this.data
    if (order) for (let i = 0; i < n; i++) out[i] = x[order[i]! * w + k]!
    else for (let i = 0; i < n; i++) out[i] = x[i * w + k]!
    return out
  }
}

/**
 * The permutation that groups rows by key rank, keeping each group's rows in their original (time) order: a stable
 * counting sort, linear in the rows.
 */
export function groupOrder(n: number, rankOf: (row: number) => number, groups: number): Uint32Array {
  const starts = new Uint32Array(groups + 1)
  for (let i = 0; i < n; i++) starts[rankOf(i) + 1]!++
  for (let i = 1; i <= groups; i++) starts[i]! += starts[i - 1]!
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[starts[rankOf(i)]!++] = i
  return order
}

/**
 * Regroups staged goroutine spans (rows of from, to, owner, state) by their owner's rank, stably, into columns.
 * A direct gather in group order would jump across the whole staging array once per span (one cache and TLB miss
 * each: most of the build on big traces), so this goes in two passes: rows are first dealt into at most 1024 buckets
 * of neighbouring ranks (sequential reads, a few write streams), then each bucket, small enough for the cache, is
 * sorted by rank on its own.
 */
export function groupSpanRows(rows: Rows, rank: Int32Array, groups: number): { from: Uint32Array; to: Uint32Array; owner: Int32Array; state: Uint8Array } {
  const n = rows.length
  const x = rows.data
  const bits = Math.max(0, Math.ceil(Math.log2(Math.max(2, groups))) - 10)
  const buckets = (Math.max(0, groups - 1) >>> bits) + 1
  const bucketStart = new Uint32Array(buckets + 1)
  for (let i = 0; i < n; i++) bucketStart[(rank[x[i * 4 + 2]!]! >>> bits) + 1]!++
  for (let b = 1; b <= buckets; b++) bucketStart[b]! += bucketStart[b - 1]!
  const from = new Uint32Array(n)
  const to = new Uint32Array(n)
  const owner = new Int32Array(n)
  const state = new Uint8Array(n)
  const fill = bucketStart.slice(0, buckets)
  for (let i = 0; i < n; i++) {
    const r = i * 4
    const key = rank[x[r + 2]!]!
    const d = fill[key >>> bits]!++
    from[d] = x[r]!
    to[d] = x[r + 1]!
    owner[d] = key
    state[d] = x[r + 3]!
  }
  if (bits === 0) return { from, to, owner, state }
  // Within each bucket: a stable counting sort by the rank's low bits.
  const mask = (1 << bits) - 1
  const count = new Uint32Array(mask + 2)
  let largest = 0
  for (let b = 0; b < buckets; b++) largest = Math.max(largest, bucketStart[b + 1]! - bucketStart[b]!)
  const tFrom = new Uint32Array(largest)
  const tTo = new Uint32Array(largest)
  const tOwner = new Int32Array(largest)
  const tState = new Uint8Array(largest)
  for (let b = 0; b < buckets; b++) {
    const start = bucketStart[b]!
    const len = bucketStart[b + 1]! - start
    if (len < 2) continue
    tFrom.set(from.subarray(start, start + len))
    tTo.set(to.subarray(start, start + len))
    tOwner.set(owner.subarray(start, start + len))
    tState.set(state.subarray(start, start + len))
    count.fill(0)
    for (let j = 0; j < len; j++) count[(tOwner[j]! & mask) + 1]!++
    for (let k = 1; k < count.length; k++) count[k]! += count[k - 1]!
    for (let j = 0; j < len; j++) {
      const d = start + count[tOwner[j]! & mask]!++
      from[d] = tFrom[j]!
      to[d] = tTo[j]!
      owner[d] = tOwner[j]!
      state[d] = tState[j]!
    }
  }
  return { from, to, owner, state }
}

/**
 * Which group (goroutine, P or M, by rank) a row of a grouped table belongs to, without a column per row: group k owns
 * rows [first[k], first[k + 1]). Rows are mostly read in order, so a lookup starts where the last one ended.
 */
export class GroupIndex {
  readonly first: Uint32Array
  private cursor = 0

  constructor(groups: number, rows: number, groupOf: Int32Array) {
    this.first = new Uint32Array(groups + 1)
    for (let i = 0; i < rows; i++) this.first[groupOf[i]! + 1]!++
    for (let k = 1; k <= groups; k++) this.first[k]! += this.first[k - 1]!
  }

  groupOf(i: number): number {
    const f = this.first
    let k = this.cursor
    if (f[k]! <= i && i < f[k + 1]!) return k
    if (f[k + 1]! <= i && i < f[k + 2]!) k++
    else {
      // The last k with first[k] <= i: groups without rows share a start with the next one.
      let lo = 0
      let hi = f.length - 2
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if (f[mid]! <= i) lo = mid
        else hi = mid - 1
      }
      k = lo
    }
    while (f[k + 1]! <= i) k++
    this.cursor = k
    return k
  }
}

export class GoroutineSpanTable implements GoroutineSpans {
  private readonly index: GroupIndex

  constructor(
    readonly length: number,
    private readonly clock: EventClock,
    /** Goroutine IDs in ID order. */
    private readonly ids: Float64Array,
    /** Each span's goroutine (its rank in ID order): only read to index the groups. */
    owner: Int32Array,
    private readonly from: Uint32Array,
    private readonly to: Uint32Array,
    private readonly st: Uint8Array,
  ) {
    this.index = new GroupIndex(ids.length, length, owner)
  }

  goroutine(i: number): number {
    return this.ids[this.index.groupOf(i)]!
  }
  start(i: number): number {
    return this.st[i]! & FROM_ORIGIN ? 0 : this.clock.at(this.from[i]!)
  }
  end(i: number): number {
    return this.clock.at(this.to[i]!)
  }
  state(i: number): number {
    return this.st[i]! & ~FROM_ORIGIN
  }
  reason(i: number): number {
    return transitionReason(this.clock.events, this.from[i]!)
  }
  stack(i: number): number {
    return transitionStack(this.clock.events, this.from[i]!)
  }
  get bytes(): number {
    return this.index.first.byteLength + this.from.byteLength + this.to.byteLength + this.st.byteLength
  }
}

export class ResourceSpanTable implements ResourceSpans {
  private readonly index: GroupIndex

  constructor(
    readonly length: number,
    private readonly clock: EventClock,
    private readonly ids: Float64Array,
    /** P or M IDs in ascending order. */
    private readonly resources: readonly number[],
    /** Each run's resource (its rank): only read to index the groups. */
    res: Int32Array,
    private readonly owner: Int32Array,
    private readonly from: Uint32Array,
    private readonly to: Uint32Array,
  ) {
    this.index = new GroupIndex(resources.length, length, res)
  }

  resource(i: number): number {
    return this.resources[this.index.groupOf(i)]!
  }
  goroutine(i: number): number {
    return this.ids[this.owner[i]!]!
  }
  start(i: number): number {
    return this.clock.at(this.from[i]!)
  }
  end(i: number): number {
    return this.clock.at(this.to[i]!)
  }
  get bytes(): number {
    return this.index.first.byteLength + this.owner.byteLength + this.from.byteLength + this.to.byteLength
  }
}

/** Wake-ups: the GoUnblock / GoSwitch events themselves. */
export class UnblockTable implements UnblockEdges {
  constructor(
    readonly length: number,
    private readonly clock: EventClock,
    private readonly ev: Uint32Array,
  ) {}

  time(i: number): number {
    return this.clock.at(this.ev[i]!)
  }
  goroutine(i: number): number {
    return this.clock.events.arg(this.ev[i]!, 0)
  }
  by(i: number): number {
    const g = this.clock.events.gAt(this.ev[i]!)
    return g >= 0 ? g : -1
  }
  stack(i: number): number {
    const e = this.ev[i]!
    return this.clock.events.typeAt(e) === EV.GoUnblock ? this.clock.events.arg(e, 2) : 0
  }
  get bytes(): number {
    return this.ev.byteLength
  }
}

/** Points between full checkpoints of the goroutine counts. */
export const COUNT_BLOCK = 64
/** An Int8 delta that did not fit: the point's counts are in the spill map. */
export const DELTA_SPILLED = -128

/**
 * Goroutine counts by state after every change: the event of each change (its time comes from the store), the four
 * counts' changes as Int8 deltas, and every COUNT_BLOCK points the counts in full: 8 bytes a point instead of 24.
 */
export class CountTable implements GoroutineCounts {
  constructor(
    readonly length: number,
    private readonly clock: EventClock,
    private readonly ev: Uint32Array,
    private readonly deltas: Int8Array,
    private readonly checkpoints: Int32Array,
    private readonly spill: Map<number, Int32Array>,
  ) {}

  time(i: number): number {
    return this.clock.at(this.ev[i]!)
  }

  at(i: number, out: Int32Array): void {
    const block = Math.floor(i / COUNT_BLOCK)
    for (let k = 0; k < 4; k++) out[k] = this.checkpoints[block * 4 + k]!
    for (let j = block * COUNT_BLOCK + 1; j <= i; j++) this.apply(j, out)
  }

  forEach(fn: (timeNs: number, runnable: number, running: number, waiting: number, syscall: number) => void): void {
    const c = new Int32Array(4)
    for (let i = 0; i < this.length; i++) {
      if (i % COUNT_BLOCK === 0) for (let k = 0; k < 4; k++) c[k] = this.checkpoints[(i / COUNT_BLOCK) * 4 + k]!
      else this.apply(i, c)
      fn(this.time(i), c[0]!, c[1]!, c[2]!, c[3]!)
    }
  }

  private apply(j: number, c: Int32Array): void {
    if (this.deltas[j * 4] === DELTA_SPILLED) {
      c.set(this.spill.get(j)!)
      return
    }
    for (let k = 0; k < 4; k++) c[k]! += this.deltas[j * 4 + k]!
  }

  get bytes(): number {
    return this.ev.byteLength + this.deltas.byteLength + this.checkpoints.byteLength + this.spill.size * 64
  }
}

/** Collects the counts while replaying (see CountTable). */
export class CountBuilder {
  /** Per point: its event, and the four Int8 deltas packed in one word. */
  private readonly points: Rows
  constructor(capacity = 1024) {
    this.points = new Rows(2, capacity + 1024)
  }
  private readonly checkpoints = new Column(new Int32Array(64))
  private readonly spill = new Map<number, Int32Array>()
  /** Counts after the last point, and after the one before it. */
  private readonly last = new Int32Array(4)
  private readonly prev = new Int32Array(4)
  private lastT = NaN

  /** Records the counts (Runnable, Running, Waiting, Syscall) after event ev at time t; one point per time. */
  record(ev: number, t: number, c0: number, c1: number, c2: number, c3: number): void {
    const n = this.points.length
    if (t === this.lastT && n > 0) {
      // Same time as the last point: it becomes this one.
      this.points.data[(n - 1) * 2] = ev
      this.write(n - 1, c0, c1, c2, c3, true)
    } else {
      this.prev.set(this.last)
      this.points.push2(ev, 0)
      this.write(n, c0, c1, c2, c3, false)
    }
    this.lastT = t
    this.last[0] = c0
    this.last[1] = c1
    this.last[2] = c2
    this.last[3] = c3
  }

  private write(i: number, c0: number, c1: number, c2: number, c3: number, again: boolean): void {
    if (i % COUNT_BLOCK === 0) {
      const at = (i / COUNT_BLOCK) * 4
      if (!again) for (let k = 0; k < 4; k++) this.checkpoints.push(0)
      const cp = this.checkpoints.data
      cp[at] = c0
      cp[at + 1] = c1
      cp[at + 2] = c2
      cp[at + 3] = c3
      return
    }
    const p = this.prev
    const d0 = c0 - p[0]!, d1 = c1 - p[1]!, d2 = c2 - p[2]!, d3 = c3 - p[3]!
    this.spill.delete(i)
    let packed: number
    if (d0 > DELTA_SPILLED && d0 < 128 && d1 > DELTA_SPILLED && d1 < 128 && d2 > DELTA_SPILLED && d2 < 128 && d3 > DELTA_SPILLED && d3 < 128) {
      packed = (d0 & 0xff) | ((d1 & 0xff) << 8) | ((d2 & 0xff) << 16) | ((d3 & 0xff) << 24)
    } else {
      packed = DELTA_SPILLED & 0xff
      this.spill.set(i, Int32Array.of(c0, c1, c2, c3))
    }
    this.points.data[i * 2 + 1] = packed >>> 0
  }

  table(clock: EventClock): CountTable {
    const n = this.points.length
    const words = this.points.column(1, null)
    const deltas = new Int8Array(n * 4)
    for (let i = 0; i < n; i++) {
      const w = words[i]!
      deltas[i * 4] = w << 24 >> 24
      deltas[i * 4 + 1] = w << 16 >> 24
      deltas[i * 4 + 2] = w << 8 >> 24
      deltas[i * 4 + 3] = w >> 24
    }
    return new CountTable(n, clock, this.points.column(0, null), deltas, this.checkpoints.trimmed(), this.spill)
  }
}

/** The counts as plain columns (one shared time column), for plots that want arrays. */
export function countColumns(c: GoroutineCounts): { time: Float64Array; runnable: Int32Array; running: Int32Array; waiting: Int32Array; syscall: Int32Array } {
  const n = c.length
  const out = { time: new Float64Array(n), runnable: new Int32Array(n), running: new Int32Array(n), waiting: new Int32Array(n), syscall: new Int32Array(n) }
  let i = 0
  c.forEach((t, r, run, w, s) => {
    out.time[i] = t
    out.runnable[i] = r
    out.running[i] = run
    out.waiting[i] = w
    out.syscall[i] = s
    i++
  })
  return out
}
