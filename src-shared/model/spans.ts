// Span tables that refer to events instead of copying them: a span is the events that begin and end it, and its
// times, block reason, stack (and a run's goroutine) are read from those events in the store when asked. The event
// numbers themselves are kept small: a span's end is mostly where its goroutine's next span begins, the first
// events of a group's spans are a few events apart (varint gaps), a run's end a few events after its start (a
// byte). About 2 bytes a goroutine span and 2 a run, instead of six 8-byte columns; tables are read mostly in order,
// and reading anywhere walks at most a block of 64.
import type { EventStore } from '../trace/events'
import { EV } from '../trace/spec'
import { STATE, type GoroutineCounts, type GoroutineSpans, type ResourceSpans, type SpanRange, type UnblockEdges } from './model'
import { grown } from '../trace/typed-array'

/** "The end of the trace" in an end-event column. */
export const TRACE_END = 0xffffffff
/** Set in a goroutine span's state byte when the span starts at the trace's start (it existed before the trace). */
export const FROM_ORIGIN = 0x80
/** Set in a goroutine span's state byte when it lasts to the end of the trace. */
export const TO_TRACE_END = 0x20
/** The state code in a goroutine span's state byte. */
const STATE_MASK = 0x07

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
    if (this.length === this.data.length) this.data = grown(this.data)
    this.data[this.length++] = v
  }
}

/** Rows a staging chunk holds: staging grows a chunk at a time, never copying what it has. */
const STAGE_CHUNK = 1 << 16

/** Rows in a Rows' first chunk; each next one holds twice as many, up to STAGE_CHUNK (after ROW_GROW_STEPS chunks). */
const FIRST_CHUNK = 256
const ROW_GROW_STEPS = 8
/** Rows in the chunks before the first full-size one. */
const GROWING_ROWS = FIRST_CHUNK * ((1 << ROW_GROW_STEPS) - 1)

/**
 * Rows of W unsigned 32-bit words, for staging while replaying, in chunks that never move (no doubling and copying as
 * they grow), small at first: small traces stage few rows.
 */
export class Rows {
  length = 0
  private chunks: Uint32Array[] = []
  private cur = new Uint32Array(0)
  private at = 0
  constructor(readonly width: number) {}
  private next(): void {
    const c = this.chunks.length
    this.cur = new Uint32Array((c < ROW_GROW_STEPS ? FIRST_CHUNK << c : STAGE_CHUNK) * this.width)
    this.chunks.push(this.cur)
    this.at = 0
  }
  /** Appends a row: its first `width` words of a, b, c (rows are at most 3 words). */
  push(a: number, b = 0, c = 0): void {
    if (this.at === this.cur.length) this.next()
    const w = this.width
    this.cur[this.at] = a
    if (w > 1) this.cur[this.at + 1] = b
    if (w > 2) this.cur[this.at + 2] = c
    this.at += w
    this.length++
  }
  /** Word k of row r. */
  get(r: number, k: number): number {
    let c: number
    let j: number
    if (r < GROWING_ROWS) {
      c = 31 - Math.clz32(Math.floor(r / FIRST_CHUNK) + 1)
      j = r - FIRST_CHUNK * ((1 << c) - 1)
    } else {
      c = ROW_GROW_STEPS + Math.floor((r - GROWING_ROWS) / STAGE_CHUNK)
      j = (r - GROWING_ROWS) % STAGE_CHUNK
    }
    return this.chunks[c]![j * this.width + k]!
  }
}

// A goroutine's span list is a chain of blocks in 1 MiB arenas of 16-byte units: its first block is one unit (12
// bytes of payload: a goroutine that lives for a few spans, as in a trace with a goroutine per request, wastes
// little), the next ones two (28 bytes). A block's payload is followed by the next block's number (4 bytes). A block
// number is its first unit's, with SMALL set for a one-unit block.
const SMALL = 0x80000000
const SMALL_PAYLOAD = 12
const LIST_PAYLOAD = 28
/** Units in an arena. */
const ARENA_UNIT_BITS = 16
const UNIT_MASK = (1 << ARENA_UNIT_BITS) - 1
/** Block b's arena index, offset in it, and payload size. */
const arenaOf = (b: number) => (b & 0x7fffffff) >>> ARENA_UNIT_BITS
const baseOf = (b: number) => (b & UNIT_MASK) << 4
const payloadOf = (b: number) => (b & SMALL ? SMALL_PAYLOAD : LIST_PAYLOAD)

/**
 * The state a goroutine's next span most likely has, by its previous span's state code (0: it has none yet): a
 * goroutine goes round Runnable -> Running -> Waiting -> Runnable (and back to Running from a syscall). 99% of a busy
 * trace's spans are the predicted state without flags, and their entries keep no state byte.
 */
const PREDICTED = Uint8Array.of(STATE.Runnable, STATE.Runnable, STATE.Running, STATE.Waiting, STATE.Runnable, STATE.Running, STATE.Runnable, STATE.Runnable)
/** A checkpoint's offset in its block (below 32), and the state code of the span before it above that. */
const CP_AT_BITS = 5

/**
 * A read position in the span chains: the block, its arena, its offset there and payload size, and the offset in it;
 * and the state byte of the entry read last (an entry without a state byte has the state its predecessor predicts).
 */
class ChainPos {
  block = 0
  arena: Uint8Array
  base = 0
  payload = LIST_PAYLOAD
  at = 0
  state = 0

  constructor(private readonly arenas: readonly Uint8Array[]) {
    this.arena = arenas[0] ?? new Uint8Array(0)
  }

  moveTo(b: number, at: number): void {
    this.block = b
    this.arena = this.arenas[arenaOf(b)]!
    this.base = baseOf(b)
    this.payload = payloadOf(b)
    this.at = at
  }

  /** The next byte of the chain (following it when the block is full). */
  private byte(): number {
    if (this.at === this.payload) {
      const a = this.arena
      const p = this.base + this.payload
      this.moveTo((a[p]! | (a[p + 1]! << 8) | (a[p + 2]! << 16) | (a[p + 3]! << 24)) >>> 0, 0)
    }
    return this.arena[this.base + this.at++]!
  }

  /**
   * Reads the entry here: the gap times two, plus one when a state byte follows, as a varint (7 bits a byte; the
   * fifth holds bits 28 to 34). Sets `state` and returns the gap.
   */
  entry(): number {
    let d = 0
    let shift = 0
    for (;;) {
      const v = this.byte()
      d = shift < 28 ? d | ((v & 0x7f) << shift) : d + (v & 0x7f) * 0x10000000
      shift += 7
      if (v < 0x80) break
    }
    if (d & 1) {
      this.state = this.byte()
      return (d - 1) / 2
    }
    this.state = PREDICTED[this.state & STATE_MASK]!
    return d / 2
  }
}

/** Goroutine spans in their chains, with the ends kept apart: what GoroutineSpanLists.seal gives the span table. */
export interface SealedSpans {
  chains: SpanChains
  /** A bit per span (rank order): whether its end is kept apart. */
  apartBits: Uint8Array
  /** The ends of those spans, in order. */
  apartEnds: EventLengths
}

/**
 * Goroutine spans as the replay closes them, kept per goroutine so that they are grouped without a regroup: each
 * goroutine's list is a chain of blocks in shared arenas (16 bytes, then 32: see SMALL), each span an entry of the gap
 * from the goroutine's previous span's first event, and its state byte only when that is not the predicted one (see
 * PREDICTED): mostly one or two bytes. Sealed, the lists are the span table's storage (SpanChains): staging the spans
 * in time order and regrouping them held 9 bytes a span, and then 7, where this holds about 2.
 */
export class GoroutineSpanLists {
  /** Spans in all. */
  length = 0
  private arenas: Uint8Array[] = []
  /** The next free unit, and a free unit left over when a two-unit block had to start on an even one (or -1). */
  private units = 0
  private spare = -1
  // Per goroutine (dense index): first block, where the next byte goes, spans, and the last span's first event and
  // state code.
  private head = new Uint32Array(0)
  private tailBlock = new Uint32Array(0)
  private tailAt = new Uint8Array(0)
  private count = new Uint32Array(0)
  private lastFrom = new Uint32Array(0)
  private lastState = new Uint8Array(0)
  /** Spans whose end is kept apart: (goroutine, its span number in the goroutine's list, end event). */
  private apart = new Rows(3)

  /** Appends a span (first event, state byte) to goroutine gi's list. */
  push(gi: number, from: number, state: number): void {
    if (gi >= this.head.length) this.grow(gi)
    if (this.count[gi] === 0) {
      this.head[gi] = this.tailBlock[gi] = this.newBlock(true)
      this.tailAt[gi] = 0
      this.lastFrom[gi] = 0
    }
    const d = (from - this.lastFrom[gi]!) >>> 0
    const predicted = state === PREDICTED[this.lastState[gi]!]
    const at = this.tailAt[gi]!
    const b = this.tailBlock[gi]!
    const len = !predicted ? 0 : d < 0x40 ? 1 : d < 0x2000 ? 2 : 0
    if (len !== 0 && at + len <= payloadOf(b)) {
      // The common case: the predicted state, a gap of one or two bytes, and room for it in the tail block.
      const p = baseOf(b) + at
      const arena = this.arenas[arenaOf(b)]!
      if (len === 1) arena[p] = d << 1
      else {
        arena[p] = ((d << 1) & 0x7f) | 0x80
        arena[p + 1] = d >>> 6
      }
      this.tailAt[gi] = at + len
    } else {
      let v = d * 2 + (predicted ? 0 : 1)
      while (v >= 0x80) {
        this.put(gi, (v % 0x80) | 0x80)
        v = Math.floor(v / 0x80)
      }
      this.put(gi, v)
      if (!predicted) this.put(gi, state)
    }
    this.lastFrom[gi] = from
    this.lastState[gi] = state & STATE_MASK
    this.count[gi]!++
    this.length++
  }

  /** Keeps goroutine gi's last span's end apart: it ends at event `to`, not where the goroutine's next span begins. */
  markApart(gi: number, to: number): void {
    this.apart.push(gi, this.count[gi]! - 1, to)
  }

  /**
   * Done pushing: the lists become the table's storage as they are, read goroutine by goroutine in the given order
   * (order[k]: the dense index of the k-th), each one's spans in time order. Copying them out into a table was the
   * model build's peak (both held at once: half a gigabyte for a 1 GB trace). Walking them once makes the checkpoints
   * for reading anywhere, and puts the ends kept apart in span order.
   */
  seal(order: ArrayLike<number>): SealedSpans {
    const groups = order.length
    const rank = new Int32Array(this.count.length)
    for (let k = 0; k < groups; k++) if (order[k]! < rank.length) rank[order[k]!] = k
    const apart = this.apart
    const apartOrder = groupOrder(apart.length, (row) => rank[apart.get(row, 0)]!, groups)
    const apartBits = new Uint8Array(Math.ceil(this.length / 8))
    const apartEnds = new EventLengths()
    let nextApart = 0
    /** The span number of goroutine gi's next span kept apart, or -1. */
    const nextApartOf = (gi: number) => (nextApart < apart.length && apart.get(apartOrder[nextApart]!, 0) === gi ? apart.get(apartOrder[nextApart]!, 1) : -1)
    const first = new Uint32Array(groups + 1)
    const heads = new Uint32Array(groups)
    const checkpoints = Math.ceil(this.length / CHAIN_CHECKPOINT)
    const cpBlock = new Uint32Array(checkpoints)
    const cpAt = new Uint8Array(checkpoints)
    const cpPrev = new Uint32Array(checkpoints)
    const arenas = this.arenas
    const pos = new ChainPos(arenas)
    let span = 0
    for (let k = 0; k < groups; k++) {
      const gi = order[k]!
      const n = gi < this.count.length ? this.count[gi]! : 0
      first[k + 1] = first[k]! + n
      if (n === 0) continue
      heads[k] = this.head[gi]!
      pos.moveTo(heads[k]!, 0)
      pos.state = 0
      let ev = 0
      let apartAt = nextApartOf(gi)
      for (let s = 0; s < n; s++, span++) {
        if (span % CHAIN_CHECKPOINT === 0) {
          const c = span / CHAIN_CHECKPOINT
          cpBlock[c] = pos.block
          cpAt[c] = pos.at | ((pos.state & STATE_MASK) << CP_AT_BITS)
          cpPrev[c] = ev
        }
        ev = (ev + pos.entry()) >>> 0
        if (s === apartAt) {
          apartBits[span >> 3]! |= 1 << (span & 7)
          apartEnds.push(ev, apart.get(apartOrder[nextApart++]!, 2))
          apartAt = nextApartOf(gi)
        }
      }
    }
    if (nextApart !== apart.length) throw new Error(`${apart.length} span ends kept apart, ${nextApart} placed`)
    // The last arena gives back the units it never used (a small trace uses a fraction of its one arena).
    const used = this.units & UNIT_MASK
    if (used > 0) arenas[arenas.length - 1] = arenas[arenas.length - 1]!.slice(0, used << 4)
    const chains = new SpanChains(this.length, arenas, heads, first, cpBlock, cpAt, cpPrev)
    this.arenas = []
    this.head = this.tailBlock = this.count = this.lastFrom = new Uint32Array(0)
    this.tailAt = this.lastState = new Uint8Array(0)
    this.apart = new Rows(3)
    return { chains, apartBits, apartEnds: apartEnds.seal() }
  }

  /** Makes sure goroutine gi's tail block has room for a byte (chaining a new block when it is full). */
  private room(gi: number): void {
    const b = this.tailBlock[gi]!
    if (this.tailAt[gi] !== payloadOf(b)) return
    const nb = this.newBlock(false)
    const arena = this.arenas[arenaOf(b)]!
    const p = baseOf(b) + payloadOf(b)
    arena[p] = nb & 0xff
    arena[p + 1] = (nb >>> 8) & 0xff
    arena[p + 2] = (nb >>> 16) & 0xff
    arena[p + 3] = nb >>> 24
    this.tailBlock[gi] = nb
    this.tailAt[gi] = 0
  }

  private put(gi: number, v: number): void {
    this.room(gi)
    const b = this.tailBlock[gi]!
    const at = this.tailAt[gi]!
    this.arenas[arenaOf(b)]![baseOf(b) + at] = v
    this.tailAt[gi] = at + 1
  }

  /** A new block: one unit (small) or two (starting on an even unit, so that it never spans two arenas). */
  private newBlock(small: boolean): number {
    if (small && this.spare >= 0) {
      const u = this.spare
      this.spare = -1
      return (u | SMALL) >>> 0
    }
    if (!small && (this.units & 1) === 1) this.spare = this.units++
    const u = this.units
    this.units += small ? 1 : 2
    if ((u & UNIT_MASK) === 0) this.arenas.push(new Uint8Array(1 << (ARENA_UNIT_BITS + 4)))
    return small ? (u | SMALL) >>> 0 : u
  }

  private grow(gi: number): void {
    const cap = Math.max(1024, gi + 1, this.head.length * 2)
    this.head = grown(this.head, cap)
    this.tailBlock = grown(this.tailBlock, cap)
    this.tailAt = grown(this.tailAt, cap)
    this.count = grown(this.count, cap)
    this.lastFrom = grown(this.lastFrom, cap)
    this.lastState = grown(this.lastState, cap)
  }
}

/** Spans between two checkpoints of a SpanChains (where reading anywhere starts from). */
const CHAIN_CHECKPOINT = 64

/**
 * Goroutine spans where GoroutineSpanLists kept them (per goroutine block chains), read in rank order: a span's first
 * event and state byte. In order, each read decodes the next entry; anywhere, it walks from the checkpoint of the 64
 * the span is in (where that span's entry starts, and its goroutine's previous span's event and state code).
 */
export class SpanChains {
  private readonly index: GroupIndex
  // The span read last: its index, first event and state byte, where its entry ends (pos), and where its goroutine's
  // spans end.
  private ci = -1
  private cEv = 0
  private cState = 0
  private readonly pos: ChainPos
  private cNext = 0
  /** The span read before it (a span's end is the next one's start: end then start asks for i + 1, then i). */
  private pi = -1
  private pEv = 0
  private pState = 0

  constructor(
    readonly length: number,
    private readonly arenas: Uint8Array[],
    /** Each goroutine's (by rank) first block. */
    private readonly heads: Uint32Array,
    /** Where each goroutine's spans start (rank order), and their end. */
    readonly first: Uint32Array,
    private readonly cpBlock: Uint32Array,
    private readonly cpAt: Uint8Array,
    private readonly cpPrev: Uint32Array,
  ) {
    this.index = new GroupIndex(first)
    this.pos = new ChainPos(arenas)
  }

  /** Span i's first event. */
  from(i: number): number {
    if (i !== this.ci) this.seek(i)
    return i === this.pi ? this.pEv : this.cEv
  }

  /** Span i's state byte (state code and flags). */
  state(i: number): number {
    if (i !== this.ci) this.seek(i)
    return i === this.pi ? this.pState : this.cState
  }

  private seek(i: number): void {
    if (i === this.pi) return
    if (i === this.ci + 1 && i !== this.cNext && i < this.length) {
      // The next span of the same goroutine, its entry a one- or two-byte gap in the block with the predicted state:
      // most reads in order.
      const pos = this.pos
      const at = pos.at
      if (at < pos.payload) {
        const a = pos.arena
        const p = pos.base + at
        const b0 = a[p]!
        if ((b0 & 1) === 0 && (b0 < 0x80 || (at + 2 <= pos.payload && a[p + 1]! < 0x80))) {
          this.pi = this.ci
          this.pEv = this.cEv
          this.pState = this.cState
          this.cState = pos.state = PREDICTED[this.cState & STATE_MASK]!
          if (b0 < 0x80) {
            this.cEv = (this.cEv + (b0 >>> 1)) >>> 0
            pos.at = at + 1
          } else {
            this.cEv = (this.cEv + (((b0 & 0x7f) | (a[p + 1]! << 7)) >>> 1)) >>> 0
            pos.at = at + 2
          }
          this.ci = i
          return
        }
      }
    }
    if (i < 0 || i >= this.length) throw new RangeError(`span ${i} of ${this.length}`)
    if (i < this.ci || Math.floor(i / CHAIN_CHECKPOINT) !== Math.floor(this.ci / CHAIN_CHECKPOINT)) {
      // From the checkpoint: its span's entry, in its goroutine's chain.
      const c = Math.floor(i / CHAIN_CHECKPOINT)
      const at = c * CHAIN_CHECKPOINT
      this.cNext = this.first[this.index.groupOf(at) + 1]!
      const cp = this.cpAt[c]!
      this.pos.moveTo(this.cpBlock[c]!, cp & ((1 << CP_AT_BITS) - 1))
      this.pos.state = cp >>> CP_AT_BITS
      this.cEv = this.cpPrev[c]!
      this.decode()
      this.ci = at
      this.pi = -1
    }
    while (this.ci < i) {
      const next = this.ci + 1
      this.pi = this.ci
      this.pEv = this.cEv
      this.pState = this.cState
      if (next === this.cNext) {
        // The next goroutine's chain.
        const k = this.index.groupOf(next)
        this.cNext = this.first[k + 1]!
        this.pos.moveTo(this.heads[k]!, 0)
        this.pos.state = 0
        this.cEv = 0
      }
      this.decode()
      this.ci = next
    }
  }

  /**
   * Spans [a, a + n)'s first events and state bytes into evs and sts (from index 0): from() and state() for a run of
   * spans, in one loop.
   */
  readInto(a: number, n: number, evs: Uint32Array, sts: Uint8Array): void {
    if (n <= 0) return
    if (a + n > this.length) throw new RangeError(`spans ${a}..${a + n} of ${this.length}`)
    // The cursor itself at span a (not just its previous span's copy).
    if (a === this.pi) this.pi = -1
    this.seek(a)
    evs[0] = this.cEv
    sts[0] = this.cState
    if (n === 1) return
    const pos = this.pos
    let ev = this.cEv
    let next = this.cNext
    for (let k = 1; k < n; k++) {
      const i = a + k
      if (i === next) {
        // The next goroutine's chain.
        const g = this.index.groupOf(i)
        next = this.first[g + 1]!
        pos.moveTo(this.heads[g]!, 0)
        pos.state = 0
        ev = 0
      }
      ev = (ev + pos.entry()) >>> 0
      evs[k] = ev
      sts[k] = pos.state
    }
    // The cursor at the last span read (pos is where its entry ends), the one before it kept.
    this.pi = a + n - 2
    this.pEv = evs[n - 2]!
    this.pState = sts[n - 2]!
    this.ci = a + n - 1
    this.cEv = ev
    this.cState = pos.state
    this.cNext = next
  }

  /** Decodes the entry at the read position: its state byte, and its gap from the previous span's event. */
  private decode(): void {
    this.cEv = (this.cEv + this.pos.entry()) >>> 0
    this.cState = this.pos.state
  }

  get bytes(): number {
    let b = this.heads.byteLength + this.first.byteLength + this.cpBlock.byteLength + this.cpAt.byteLength + this.cpPrev.byteLength
    for (const a of this.arenas) b += a.byteLength
    return b
  }
}

/** The last index in 0..last whose value in a (ascending) is at most v; 0 when there is none. */
function lastAtMost(a: Uint32Array, v: number, last: number): number {
  let lo = 0
  let hi = last
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (a[mid]! <= v) lo = mid
    else hi = mid - 1
  }
  return lo
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
 * Which group (goroutine, P or M, by rank) a row of a grouped table belongs to, without a column per row: group k owns
 * rows [first[k], first[k + 1]). Rows are mostly read in order, so a lookup starts where the last one ended.
 */
export class GroupIndex {
  private cursor = 0

  constructor(readonly first: Uint32Array) {}

  groupOf(i: number): number {
    const f = this.first
    let k = this.cursor
    if (f[k]! <= i && i < f[k + 1]!) return k
    if (f[k + 1]! <= i && i < f[k + 2]!) k++
    // The last k with first[k] <= i: groups without rows share a start with the next one.
    else k = lastAtMost(f, i, f.length - 2)
    while (f[k + 1]! <= i) k++
    this.cursor = k
    return k
  }
}

/** Where each group's rows start in rows grouped by groupOf (ascending), and their end: groups + 1 entries. */
export function groupStarts(groups: number, rows: number, groupOf: Int32Array): Uint32Array {
  const first = new Uint32Array(groups + 1)
  for (let i = 0; i < rows; i++) first[groupOf[i]! + 1]!++
  for (let k = 1; k <= groups; k++) first[k]! += first[k - 1]!
  return first
}

/** The position of a row in a sorted list of row indexes, for rows read mostly in order. */
class SortedLookup {
  private cursor = 0
  constructor(readonly at: Uint32Array) {}
  /** The position of i (which must be in the list). */
  find(i: number): number {
    const at = this.at
    let k = this.cursor
    if (at[k] !== i) {
      if (at[k + 1] === i) k++
      else {
        let lo = 0
        let hi = at.length - 1
        while (lo < hi) {
          const mid = (lo + hi) >>> 1
          if (at[mid]! < i) lo = mid + 1
          else hi = mid
        }
        k = lo
      }
    }
    this.cursor = k
    return k
  }
  get bytes(): number {
    return this.at.byteLength
  }
}

/** A span length too big for its byte (or to TRACE_END): the end event is kept whole. */
const LEN_ESCAPED = 255

/**
 * Where spans end, as how many events after their first: most spans are a few events long (a goroutine's run is
 * mostly between its own events and its P's), so one byte each, and the longer ones (and TRACE_END) kept whole apart.
 */
export class EventLengths {
  length = 0
  /** A byte per span, PAGE to a page (the first one doubles up to that). */
  private readonly pages: Uint8Array[]
  private escAt: number[] | Uint32Array = []
  private escTo: number[] | Uint32Array = []
  private escaped: SortedLookup | null = null

  constructor(capacity = 256) {
    this.pages = [new Uint8Array(Math.min(PAGE, Math.max(1, capacity)))]
  }

  /** Appends a span's end (to > from, or TRACE_END). */
  push(from: number, to: number): void {
    const k = this.length++
    const p = k >>> PAGE_BITS
    if (p === this.pages.length) this.pages.push(new Uint8Array(PAGE))
    else if (p === 0 && k === this.pages[0]!.length) this.pages[0] = grownFirstPage(this.pages[0]!, k + 1)
    const d = to - from
    if (to !== TRACE_END && d > 0 && d < LEN_ESCAPED) this.pages[p]![k & PAGE_MASK] = d
    else {
      ;(this.escAt as number[]).push(k)
      ;(this.escTo as number[]).push(to)
      this.pages[p]![k & PAGE_MASK] = LEN_ESCAPED
    }
  }

  /** Done pushing: trims and packs the columns. */
  seal(): this {
    // The last page's unused bytes (a copy of at most a page).
    const last = this.pages.length - 1
    const used = this.length - last * PAGE
    if (used < this.pages[last]!.length) this.pages[last] = this.pages[last]!.slice(0, used)
    this.escAt = Uint32Array.from(this.escAt)
    this.escTo = Uint32Array.from(this.escTo)
    this.escaped = new SortedLookup(this.escAt)
    return this
  }

  /** The end event of span k, which began at event from. */
  to(k: number, from: number): number {
    const d = this.pages[k >>> PAGE_BITS]![k & PAGE_MASK]!
    return d !== LEN_ESCAPED ? from + d : this.escTo[this.escaped!.find(k)]!
  }

  get bytes(): number {
    let b = 0
    for (const page of this.pages) b += page.byteLength
    return b + (this.escAt as Uint32Array).byteLength + (this.escTo as Uint32Array).byteLength
  }
}

/** Events per bucket when readRange reads spans' events: the event store's chunk. */
const READ_CHUNK = 1 << 16

/** Spans per block of the count of spans ending apart before it. */
const APART_BLOCK = 64

/**
 * A goroutine's spans follow each other: a span almost always ends at the event that begins the goroutine's next
 * span, so the table keeps only where each span begins. The exceptions: a span that lasts to the end of the trace
 * (TO_TRACE_END in its state byte), and one whose end is kept apart (a bit per span; the goroutine's last span before
 * it ended, or before a zero-length state that has no span), as its length in events (see EventLengths).
 */
export class GoroutineSpanTable implements GoroutineSpans {
  private readonly index: GroupIndex
  /** How many spans ending apart come before each block of APART_BLOCK spans. */
  private readonly apartBefore: Uint32Array

  constructor(
    readonly length: number,
    private readonly clock: EventClock,
    /** Goroutine IDs in ID order. */
    private readonly ids: Float64Array,
    /** Each span's first event and state byte (state code, FROM_ORIGIN, TO_TRACE_END), grouped by goroutine. */
    private readonly chains: SpanChains,
    /** A bit per span: whether its end is kept apart. */
    private readonly apartBits: Uint8Array,
    /** The ends of the spans ending apart, in order. */
    private readonly apart: EventLengths,
  ) {
    this.index = new GroupIndex(chains.first)
    this.apartBefore = new Uint32Array(Math.ceil(length / APART_BLOCK))
    let k = 0
    for (let b = 0; b < this.apartBefore.length; b++) {
      this.apartBefore[b] = k
      for (let byte = b * (APART_BLOCK / 8); byte < Math.min(apartBits.length, (b + 1) * (APART_BLOCK / 8)); byte++) k += popcount8(apartBits[byte]!)
    }
    if (k !== apart.length) throw new Error(`${k} spans end apart, ${apart.length} ends`)
  }

  goroutine(i: number): number {
    return this.ids[this.index.groupOf(i)]!
  }
  spansOf(row: number): [number, number] {
    const f = this.index.first
    return [f[row]!, f[row + 1]!]
  }
  start(i: number): number {
    return this.chains.state(i) & FROM_ORIGIN ? 0 : this.clock.at(this.chains.from(i))
  }
  end(i: number): number {
    const s = this.chains.state(i)
    if (s & TO_TRACE_END) return this.clock.endNs
    if (!this.endsApart(i)) return this.clock.at(this.chains.from(i + 1))
    return this.clock.at(this.apart.to(this.apartIndex(i), this.chains.from(i)))
  }
  private endsApart(i: number): boolean {
    return (this.apartBits[i >> 3]! & (1 << (i & 7))) !== 0
  }
  /** How many spans ending apart come before span i: its block's count, and the bits of the spans before it in its block. */
  private apartIndex(i: number): number {
    const block = Math.floor(i / APART_BLOCK)
    let k = this.apartBefore[block]!
    const bits = this.apartBits
    let j = block * APART_BLOCK
    for (; j + 8 <= i; j += 8) k += popcount8(bits[j >> 3]!)
    if (j < i) k += popcount8(bits[j >> 3]! & ((1 << (i - j)) - 1))
    return k
  }
  state(i: number): number {
    return this.chains.state(i) & STATE_MASK
  }
  reason(i: number): number {
    return transitionReason(this.clock.events, this.chains.from(i))
  }
  stack(i: number): number {
    return transitionStack(this.clock.events, this.chains.from(i))
  }

  /**
   * Spans [a, b)'s start, end, state and block reason (Waiting spans only, else 0). One by one, a goroutine's spans jump
   * across the whole event store (a cache miss for each time and reason read: most of the timeline's load on a big
   * trace); here their events are read bucketed by the store's 64 Ki-event chunks, so that a range of a few million
   * spans reads each chunk's cells together.
   */
  readRange(a: number, b: number, out: SpanRange): void {
    const n = b - a
    if (n <= 0) return
    const events = this.clock.events
    // Each span's first event and state, and the next span's (where a span that does not end apart ends), in order.
    const m = Math.min(n + 1, this.length - a)
    const evs = new Uint32Array(m)
    const sts = new Uint8Array(m)
    this.chains.readInto(a, m, evs, sts)
    const chunks = Math.ceil(events.count / READ_CHUNK) + 1
    const next = new Uint32Array(chunks + 1)
    for (let k = 0; k < m; k++) next[Math.floor(evs[k]! / READ_CHUNK) + 1]!++
    for (let c = 1; c <= chunks; c++) next[c]! += next[c - 1]!
    const order = new Uint32Array(m)
    for (let k = 0; k < m; k++) order[next[Math.floor(evs[k]! / READ_CHUNK)]!++] = k
    const times = new Float64Array(m)
    for (let j = 0; j < m; j++) {
      const k = order[j]!
      const ev = evs[k]!
      times[k] = this.clock.at(ev)
      if (k < n) out.reason[k] = (sts[k]! & STATE_MASK) === STATE.Waiting ? transitionReason(events, ev) : 0
    }
    for (let k = 0; k < n; k++) {
      const s = sts[k]!
      out.state[k] = s & STATE_MASK
      out.start[k] = s & FROM_ORIGIN ? 0 : times[k]!
      out.end[k] = s & TO_TRACE_END ? this.clock.endNs : !this.endsApart(a + k) ? times[k + 1]! : this.clock.at(this.apart.to(this.apartIndex(a + k), evs[k]!))
    }
  }
  get bytes(): number {
    return this.chains.bytes + this.apartBits.byteLength + this.apartBefore.byteLength + this.apart.bytes
  }
}

/** Set bits in a byte. */
function popcount8(v: number): number {
  v = v - ((v >> 1) & 0x55)
  v = (v & 0x33) + ((v >> 2) & 0x33)
  return (v + (v >> 4)) & 0x0f
}

/** The goroutine (ID) a goroutine transition event moves: its own G for what a goroutine does to itself, else its first argument. */
export function transitionGoroutine(events: EventStore, ev: number): number {
  switch (events.typeAt(ev)) {
    case EV.GoDestroy: case EV.GoDestroySyscall: case EV.GoStop: case EV.GoBlock: case EV.GoSyscallBegin: case EV.GoSyscallEnd: case EV.GoSyscallEndBlocked:
      return events.gAt(ev)
    default:
      return events.arg(ev, 0)
  }
}

/**
 * Which goroutine ran on a P or M, run by run: grouped by resource, each run the event that put its goroutine there
 * (which also says which goroutine: see transitionGoroutine), a few events after the previous run's (EventList), and
 * how many events later it ended (EventLengths): about 2 bytes a run.
 */
export class ResourceSpanTable implements ResourceSpans {
  private readonly index: GroupIndex

  constructor(
    readonly length: number,
    private readonly clock: EventClock,
    /** P or M IDs in ascending order. */
    private readonly resources: readonly number[],
    /** Where each resource's runs start. */
    first: Uint32Array,
    /** Per resource: its runs' first events, and their ends. */
    private readonly from: readonly EventList[],
    private readonly ends: readonly EventLengths[],
  ) {
    this.index = new GroupIndex(first)
  }

  resource(i: number): number {
    return this.resources[this.index.groupOf(i)]!
  }
  goroutine(i: number): number {
    return transitionGoroutine(this.clock.events, this.fromEv(i))
  }
  start(i: number): number {
    return this.clock.at(this.fromEv(i))
  }
  end(i: number): number {
    const k = this.index.groupOf(i)
    const j = i - this.index.first[k]!
    return this.clock.at(this.ends[k]!.to(j, this.from[k]!.at(j)))
  }
  private fromEv(i: number): number {
    const k = this.index.groupOf(i)
    return this.from[k]!.at(i - this.index.first[k]!)
  }
  get bytes(): number {
    let b = this.index.first.byteLength
    for (let k = 0; k < this.from.length; k++) b += this.from[k]!.bytes + this.ends[k]!.bytes
    return b
  }
}

/** P or M runs while replaying, per resource ID, in time order: straight into the table's encoding. */
export class RunStaging {
  private readonly byResource = new Map<number, { from: EventList; ends: EventLengths }>()
  private last: { from: EventList; ends: EventLengths } | null = null
  private lastId = NaN

  push(resource: number, fromEv: number, toEv: number): void {
    let runs = resource === this.lastId ? this.last : this.byResource.get(resource)
    if (!runs) this.byResource.set(resource, (runs = { from: new EventList(16), ends: new EventLengths(16) }))
    this.last = runs
    this.lastId = resource
    runs.from.push(fromEv)
    runs.ends.push(fromEv, toEv)
  }

  /** The finished table, grouped by resource (ascending ID). */
  table(clock: EventClock): ResourceSpanTable {
    const ids = [...this.byResource.keys()].sort((x, y) => x - y)
    const runs = ids.map((id) => this.byResource.get(id)!)
    const first = new Uint32Array(ids.length + 1)
    runs.forEach((r, k) => (first[k + 1] = first[k]! + r.from.length))
    return new ResourceSpanTable(first[ids.length]!, clock, ids, first, runs.map((r) => r.from.seal()), runs.map((r) => r.ends.seal()))
  }
}

/** Items per block of an EventList: the first one's event, and where the next one's gap starts, are kept whole. */
const LIST_BLOCK = 64
/** The most bytes a block's gaps take (63 five-byte varints): a block never straddles two pages. */
const LIST_BLOCK_BYTES = (LIST_BLOCK - 1) * 5

/**
 * Bytes in a full page of an EventList or EventLengths. Their first page doubles up to this size; after that they
 * grow by whole pages, so that nothing they hold is ever copied (doubling one array held both copies for a moment,
 * and the copies they left behind kept a 1 GB trace's build a hundred megabytes above what the model holds).
 */
const PAGE_BITS = 16
const PAGE = 1 << PAGE_BITS
const PAGE_MASK = PAGE - 1

/** A list's first page, doubled until it holds `need` bytes (at most a page). */
function grownFirstPage(page: Uint8Array, need: number): Uint8Array {
  let size = page.length
  while (size < need && size < PAGE) size = Math.min(PAGE, size * 2)
  return size === page.length ? page : grown(page, size)
}

/**
 * A list of events, mostly ascending in small steps, as the gap from the previous one in a varint (7 bits a byte:
 * one byte up to 127, two up to 16 383; a step back wraps around, five bytes), and every LIST_BLOCK-th item whole:
 * about 1.1 to 2 bytes an item. Reading in order steps from the last read; anywhere else walks at most
 * LIST_BLOCK - 1 gaps.
 */
export class EventList {
  length = 0
  private readonly pages: Uint8Array[]
  /** The page being filled, and how much of it is used. */
  private page: Uint8Array
  private used = 0
  private readonly blockEv = new Column(new Uint32Array(16))
  /** Where each block's gaps start: page number * PAGE + offset. */
  private readonly blockAt = new Column(new Uint32Array(16))
  private last = 0
  /** The last item read, its event, and where the next item's gap starts (page, offset); and the item read before it. */
  private cursorItem = -1
  private cursorEv = 0
  private cursorPage: Uint8Array
  private cursorAt = 0
  private prevItem = -1
  private prevEv = 0

  /** capacity: the bytes of gaps to make room for up front (a first block takes LIST_BLOCK_BYTES of room). */
  constructor(capacity = 256) {
    this.page = this.cursorPage = new Uint8Array(Math.min(PAGE, Math.max(16, capacity)))
    this.pages = [this.page]
  }

  push(ev: number): void {
    const i = this.length++
    if (i % LIST_BLOCK === 0) {
      if (this.used + LIST_BLOCK_BYTES > this.page.length) this.nextPage()
      this.blockEv.push(ev)
      this.blockAt.push((this.pages.length - 1) * PAGE + this.used)
    } else {
      const page = this.page
      let d = (ev - this.last) >>> 0
      while (d >= 0x80) {
        page[this.used++] = (d & 0x7f) | 0x80
        d >>>= 7
      }
      page[this.used++] = d
    }
    this.last = ev
  }

  /** Room for a block: the first page doubled, or a new page. */
  private nextPage(): void {
    if (this.pages.length === 1 && this.page.length < PAGE) {
      this.page = this.pages[0] = grownFirstPage(this.page, this.used + LIST_BLOCK_BYTES)
      this.cursorItem = this.prevItem = -1
      if (this.used + LIST_BLOCK_BYTES <= this.page.length) return
    }
    this.page = new Uint8Array(PAGE)
    this.pages.push(this.page)
    this.used = 0
  }

  /** Done pushing: trims and packs the columns. */
  seal(): this {
    // Copying briefly holds both (at most a page): only worth it when much is unused.
    if (this.used < this.page.length * 0.875) {
      this.page = this.pages[this.pages.length - 1] = this.page.slice(0, this.used)
      this.cursorItem = -1
      this.prevItem = -1
      this.cursorPage = this.pages[0]!
    }
    this.blockEv.data = this.blockEv.trimmed()
    this.blockAt.data = this.blockAt.trimmed()
    return this
  }

  /** The event of item i. */
  at(i: number): number {
    const c = this.cursorItem
    if (i === c) return this.cursorEv
    // Spans read i + 1 (where span i ends) and i, in either order.
    if (i === this.prevItem) return this.prevEv
    if (i === c + 1 && i % LIST_BLOCK !== 0) {
      // The next item, its gap one byte: the common step, kept small enough to inline.
      const b = this.cursorPage[this.cursorAt]!
      if (b < 0x80) {
        this.prevItem = c
        this.prevEv = this.cursorEv
        this.cursorItem = i
        this.cursorAt++
        return (this.cursorEv = (this.cursorEv + b) >>> 0)
      }
    }
    return this.walk(i)
  }

  private walk(i: number): number {
    const c = this.cursorItem
    let j: number
    let ev: number
    let at: number
    let bytes: Uint8Array
    if (c >= 0 && c < i && i - c < LIST_BLOCK) {
      j = c
      ev = this.cursorEv
      at = this.cursorAt
      bytes = this.cursorPage
    } else {
      j = i - (i % LIST_BLOCK)
      ev = this.blockEv.data[j / LIST_BLOCK]!
      const addr = this.blockAt.data[j / LIST_BLOCK]!
      bytes = this.pages[Math.floor(addr / PAGE)]!
      at = addr & PAGE_MASK
    }
    // The item before i, for reads that go back one (a span's end is where the next one starts).
    let before = this.cursorEv
    let beforeItem = c
    for (j++; j <= i; j++) {
      before = ev
      beforeItem = j - 1
      if (j % LIST_BLOCK === 0) {
        ev = this.blockEv.data[j / LIST_BLOCK]!
        const addr = this.blockAt.data[j / LIST_BLOCK]!
        bytes = this.pages[Math.floor(addr / PAGE)]!
        at = addr & PAGE_MASK
        continue
      }
      let b = bytes[at++]!
      let d = b & 0x7f
      for (let shift = 7; b & 0x80; shift += 7) {
        b = bytes[at++]!
        d |= (b & 0x7f) << shift
      }
      ev = (ev + (d >>> 0)) >>> 0
    }
    this.prevItem = beforeItem
    this.prevEv = before
    this.cursorItem = i
    this.cursorEv = ev
    this.cursorPage = bytes
    this.cursorAt = at
    return ev
  }

  get bytes(): number {
    let b = this.blockEv.data.byteLength + this.blockAt.data.byteLength
    for (const page of this.pages) b += page.byteLength
    return b
  }
}

/** Events per block of an EventsOfTypes' counts (1 024: reading anywhere scans at most that many type bytes). */
const TYPE_BLOCK_BITS = 10

/**
 * All the events of a few types, in order, found in the event store's type column instead of kept: how many come
 * before each block of 1 024 events, and a scan of the types inside the block. Reading in order steps on from the last
 * one found, and further on in the same block from there. Four bytes per 1 024 events, where a list of them held one or
 * two bytes each.
 */
export class EventsOfTypes {
  length = 0
  private before: Column<Uint32Array> | Uint32Array = new Column(new Uint32Array(64))
  private cursorK = -1
  private cursorEv = -1

  /** types: a flag per event type. */
  constructor(
    private readonly events: EventStore,
    private readonly types: Uint8Array,
  ) {}

  /** Sees event i (every event in order, from 0) of the given type while building. */
  note(i: number, type: number): void {
    if ((i & ((1 << TYPE_BLOCK_BITS) - 1)) === 0) (this.before as Column<Uint32Array>).push(this.length)
    if (this.types[type]) this.length++
  }

  seal(): this {
    this.before = (this.before as Column<Uint32Array>).trimmed()
    return this
  }

  /** The event of the k-th. */
  at(k: number): number {
    if (k === this.cursorK) return this.cursorEv
    let ev: number
    let j: number
    if (k === this.cursorK + 1 && k < this.length) {
      ev = this.cursorEv + 1
      j = k
    } else {
      if (k < 0 || k >= this.length) throw new RangeError(`event ${k} of ${this.length}`)
      // The last block with at most k before it.
      const before = this.before as Uint32Array
      const lo = lastAtMost(before, k, before.length - 1)
      if (this.cursorK >= 0 && this.cursorK < k && this.cursorK >= before[lo]!) {
        // Further on from the last one read, in the same block (one goroutine's wake-ups, say).
        ev = this.cursorEv + 1
        j = this.cursorK + 1
      } else {
        ev = lo * (1 << TYPE_BLOCK_BITS)
        j = before[lo]!
      }
    }
    for (;;) {
      ev = this.events.nextOfType(ev, this.types)
      if (j === k) break
      j++
      ev++
    }
    this.cursorK = k
    this.cursorEv = ev
    return ev
  }

  get bytes(): number {
    return this.before instanceof Column ? this.before.data.byteLength : this.before.byteLength
  }
}

/** The events that wake a goroutine (each one's the goroutine woken, from Waiting to Runnable). */
export const UNBLOCK_TYPES: Uint8Array = Uint8Array.from({ length: 256 }, (_, t) => (t === EV.GoUnblock || t === EV.GoSwitch || t === EV.GoSwitchDestroy ? 1 : 0))

/** Wake-ups: the GoUnblock / GoSwitch / GoSwitchDestroy events themselves, in order (see EventsOfTypes). */
export class UnblockTable implements UnblockEdges {
  readonly length: number
  constructor(
    private readonly clock: EventClock,
    private readonly ev: EventsOfTypes,
  ) {
    this.length = ev.length
  }

  time(i: number): number {
    return this.clock.at(this.ev.at(i))
  }
  goroutine(i: number): number {
    return this.clock.events.arg(this.ev.at(i), 0)
  }
  by(i: number): number {
    const g = this.clock.events.gAt(this.ev.at(i))
    return g >= 0 ? g : -1
  }
  stack(i: number): number {
    const e = this.ev.at(i)
    return this.clock.events.typeAt(e) === EV.GoUnblock ? this.clock.events.arg(e, 2) : 0
  }
  get bytes(): number {
    return this.ev.bytes
  }
}

/** Points between full checkpoints of the goroutine counts. */
export const COUNT_BLOCK = 256
/**
 * A point's code byte: which single goroutine move (from one counted state or none to another) led to it, and how many
 * events after the previous point it is (1..COUNT_EV_STEPS). Anything else (several goroutines moved at one time, a
 * bigger event gap) is COUNT_SPILLED: the point's event and counts are kept whole apart.
 */
const COUNT_EV_STEPS = 12
export const COUNT_SPILLED = 255
/** Moves by code / COUNT_EV_STEPS: 0 is no change, then every (from, to) of none (-1) or a counted state (0..3). */
const MOVE_FROM = new Int8Array(21)
const MOVE_TO = new Int8Array(21)
/** The move number of (from + 1) * 5 + (to + 1). */
const MOVE_OF = new Int8Array(25).fill(-1)
{
  let k = 1
  MOVE_FROM[0] = MOVE_TO[0] = -1
  MOVE_OF[0] = 0
  for (let f = -1; f < 4; f++) {
    for (let t = -1; t < 4; t++) {
      if (f === t) continue
      MOVE_FROM[k] = f
      MOVE_TO[k] = t
      MOVE_OF[(f + 1) * 5 + t + 1] = k++
    }
  }
}

/**
 * Goroutine counts by state after every change. Almost every point is one goroutine moving between two states a few
 * events after the previous point, so each is one code byte (see COUNT_SPILLED); every COUNT_BLOCK points the event and
 * the counts are stored in full. About 1.1 bytes a point instead of 24. Reading point i walks its block from the
 * checkpoint (at most COUNT_BLOCK - 1 codes); forEach walks everything once.
 */
export class CountTable implements GoroutineCounts {
  constructor(
    readonly length: number,
    private readonly clock: EventClock,
    private readonly codes: Uint8Array,
    /** Per block: the event of its first point, and that point's four counts. */
    private readonly blockEv: Uint32Array,
    private readonly blockCounts: Int32Array,
    /** Spilled points in ascending order, their events and counts (four each). */
    private readonly spillAt: Uint32Array,
    private readonly spillEv: Uint32Array,
    private readonly spillCounts: Int32Array,
  ) {}

  time(i: number): number {
    return this.clock.at(this.walk(i, null))
  }

  at(i: number, out: Int32Array): void {
    this.walk(i, out)
  }

  /** Point i's event, and its counts into out (when given), from its block's checkpoint. */
  private walk(i: number, out: Int32Array | null): number {
    const block = Math.floor(i / COUNT_BLOCK)
    const first = block * COUNT_BLOCK
    let ev = this.blockEv[block]!
    let c0 = this.blockCounts[block * 4]!, c1 = this.blockCounts[block * 4 + 1]!, c2 = this.blockCounts[block * 4 + 2]!, c3 = this.blockCounts[block * 4 + 3]!
    // The last spill before i, if it is in this block, is where to start from.
    let s = this.lastSpillAtOrBefore(i)
    let j = first + 1
    if (s >= 0 && this.spillAt[s]! > first) {
      j = this.spillAt[s]!
      ev = this.spillEv[s]!
      c0 = this.spillCounts[s * 4]!
      c1 = this.spillCounts[s * 4 + 1]!
      c2 = this.spillCounts[s * 4 + 2]!
      c3 = this.spillCounts[s * 4 + 3]!
      j++
    }
    const codes = this.codes
    for (; j <= i; j++) {
      const code = codes[j]!
      const move = (code / COUNT_EV_STEPS) | 0
      ev += code - move * COUNT_EV_STEPS + 1
      switch (MOVE_FROM[move]) { case 0: c0--; break; case 1: c1--; break; case 2: c2--; break; case 3: c3--; break }
      switch (MOVE_TO[move]) { case 0: c0++; break; case 1: c1++; break; case 2: c2++; break; case 3: c3++; break }
    }
    if (out) {
      out[0] = c0
      out[1] = c1
      out[2] = c2
      out[3] = c3
    }
    return ev
  }

  /** The index of the last spilled point at or before point i; -1 when none. */
  private lastSpillAtOrBefore(i: number): number {
    const at = this.spillAt
    let lo = 0
    let hi = at.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (at[mid]! <= i) lo = mid + 1
      else hi = mid
    }
    return lo - 1
  }

  read(from: number, n: number, times: Float64Array, counts: Int32Array): void {
    if (n <= 0) return
    // The first point from its block's checkpoint, then the codes after it (a spill restarts from its own counts).
    const first = new Int32Array(4)
    let ev = this.walk(from, first)
    let c0 = first[0]!, c1 = first[1]!, c2 = first[2]!, c3 = first[3]!
    let s = this.lastSpillAtOrBefore(from) + 1
    const codes = this.codes
    for (let k = 0; ; ) {
      times[k] = this.clock.at(ev)
      counts[4 * k] = c0
      counts[4 * k + 1] = c1
      counts[4 * k + 2] = c2
      counts[4 * k + 3] = c3
      if (++k === n) break
      const i = from + k
      let from4 = -1
      let all: Int32Array | null = null
      if (i % COUNT_BLOCK === 0) {
        const block = i / COUNT_BLOCK
        ev = this.blockEv[block]!
        all = this.blockCounts
        from4 = block * 4
      } else if (codes[i] === COUNT_SPILLED) {
        ev = this.spillEv[s]!
        all = this.spillCounts
        from4 = s * 4
        s++
      } else {
        const code = codes[i]!
        const move = (code / COUNT_EV_STEPS) | 0
        ev += code - move * COUNT_EV_STEPS + 1
        switch (MOVE_FROM[move]) { case 0: c0--; break; case 1: c1--; break; case 2: c2--; break; case 3: c3--; break }
        switch (MOVE_TO[move]) { case 0: c0++; break; case 1: c1++; break; case 2: c2++; break; case 3: c3++; break }
      }
      if (all) {
        c0 = all[from4]!
        c1 = all[from4 + 1]!
        c2 = all[from4 + 2]!
        c3 = all[from4 + 3]!
      }
    }
  }

  forEach(fn: (timeNs: number, runnable: number, running: number, waiting: number, syscall: number) => void): void {
    // A piece at a time through read(), each piece starting on a checkpoint.
    const piece = COUNT_BLOCK * 16
    const times = new Float64Array(piece)
    const counts = new Int32Array(4 * piece)
    for (let a = 0; a < this.length; a += piece) {
      const n = Math.min(piece, this.length - a)
      this.read(a, n, times, counts)
      for (let k = 0; k < n; k++) fn(times[k]!, counts[4 * k]!, counts[4 * k + 1]!, counts[4 * k + 2]!, counts[4 * k + 3]!)
    }
  }

  get bytes(): number {
    return this.codes.buffer.byteLength + this.blockEv.byteLength + this.blockCounts.byteLength + this.spillAt.byteLength + this.spillEv.byteLength + this.spillCounts.byteLength
  }
}

/** Collects the counts while replaying (see CountTable), straight into their final encoding. */
export class CountBuilder {
  length = 0
  /** Sized for one point per event up front: points come from events. */
  private codes: Uint8Array
  private readonly blockEv = new Column(new Uint32Array(64))
  private readonly blockCounts = new Column(new Int32Array(256))
  private readonly spillAt = new Column(new Uint32Array(64))
  private readonly spillEv = new Column(new Uint32Array(64))
  private readonly spillCounts = new Column(new Int32Array(256))
  /** The last point's event and counts, and those of the point before it (fields: this runs once per transition). */
  private lastEv = 0
  private last0 = 0
  private last1 = 0
  private last2 = 0
  private last3 = 0
  private prevEv = 0
  private prev0 = 0
  private prev1 = 0
  private prev2 = 0
  private prev3 = 0
  private lastT = NaN

  constructor(capacity = 1024) {
    this.codes = new Uint8Array(Math.max(1, capacity))
  }

  /** Records the counts (Runnable, Running, Waiting, Syscall) after event ev at time t; one point per time. */
  record(ev: number, t: number, c0: number, c1: number, c2: number, c3: number): void {
    let i = this.length
    if (t === this.lastT && i > 0) {
      // Same time as the last point: it becomes this one.
      i--
      if (this.spillAt.length > 0 && this.spillAt.data[this.spillAt.length - 1] === i) {
        this.spillAt.length--
        this.spillEv.length--
        this.spillCounts.length -= 4
      }
    } else {
      this.prev0 = this.last0
      this.prev1 = this.last1
      this.prev2 = this.last2
      this.prev3 = this.last3
      this.prevEv = this.lastEv
      this.length++
      if (i === this.codes.length) this.codes = grown(this.codes)
    }
    if (i % COUNT_BLOCK === 0) {
      const block = i / COUNT_BLOCK
      if (block === this.blockEv.length) {
        this.blockEv.push(ev)
        for (let k = 0; k < 4; k++) this.blockCounts.push(0)
      }
      this.blockEv.data[block] = ev
      const cp = this.blockCounts.data
      cp[block * 4] = c0
      cp[block * 4 + 1] = c1
      cp[block * 4 + 2] = c2
      cp[block * 4 + 3] = c3
    } else {
      this.codes[i] = this.code(ev, c0, c1, c2, c3)
    }
    this.lastT = t
    this.lastEv = ev
    this.last0 = c0
    this.last1 = c1
    this.last2 = c2
    this.last3 = c3
  }

  /** The code byte of a point from the previous one, spilling the point when no code says it. */
  private code(ev: number, c0: number, c1: number, c2: number, c3: number): number {
    const steps = ev - this.prevEv
    let from = -1
    let to = -1
    let odd = false
    const d0 = c0 - this.prev0, d1 = c1 - this.prev1, d2 = c2 - this.prev2, d3 = c3 - this.prev3
    for (let k = 0; k < 4; k++) {
      const d = k === 0 ? d0 : k === 1 ? d1 : k === 2 ? d2 : d3
      if (d === 0) continue
      if (d === -1 && from < 0) from = k
      else if (d === 1 && to < 0) to = k
      else odd = true
    }
    if (!odd && steps >= 1 && steps <= COUNT_EV_STEPS) return MOVE_OF[(from + 1) * 5 + to + 1]! * COUNT_EV_STEPS + steps - 1
    this.spillAt.push(this.length - 1)
    this.spillEv.push(ev)
    this.spillCounts.push(c0)
    this.spillCounts.push(c1)
    this.spillCounts.push(c2)
    this.spillCounts.push(c3)
    return COUNT_SPILLED
  }

  table(clock: EventClock): CountTable {
    // Keep the codes as allocated unless most of it is unused (a copy would briefly double it).
    const codes = this.length < this.codes.length * 0.75 ? this.codes.slice(0, this.length) : this.codes.subarray(0, this.length)
    return new CountTable(this.length, clock, codes, this.blockEv.trimmed(), this.blockCounts.trimmed(), this.spillAt.trimmed(), this.spillEv.trimmed(), this.spillCounts.trimmed())
  }
}
