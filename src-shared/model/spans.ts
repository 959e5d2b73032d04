// Span tables that refer to events instead of copying them. A span is the pair of events that begin and end it
// (4 bytes each) plus whose and which state it is; its times, block reason and stack are read from those events in
// the store when asked. That keeps a lifeline to about 13 bytes per span instead of six 8-byte columns.
import type { EventStore } from '../trace/events'
import { EV } from '../trace/spec'
import type { GoroutineSpans, ResourceSpans, UnblockEdges } from './model'

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

/** The stack (stack id) a goroutine transition event gives its new state: where it blocked, or its start stack. */
export function transitionStack(events: EventStore, ev: number): number {
  switch (events.typeAt(ev)) {
    case EV.GoStatusStack: return events.arg(ev, 3)
    case EV.GoCreate: case EV.GoCreateBlocked: case EV.GoStop: case EV.GoBlock: case EV.GoSyscallBegin: return events.arg(ev, 1)
    default: return 0
  }
}

/** Growable Uint32/Int32/Uint8 column for building. */
export class Column<T extends Uint32Array | Int32Array | Uint8Array | Float64Array> {
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

/** Takes rows of a column in the given order, into an array of exactly that length. */
export function permute<T extends Uint32Array | Int32Array | Uint8Array | Float64Array>(col: Column<T>, order: Uint32Array): T {
  const out = new (col.data.constructor as new (n: number) => T)(order.length)
  const src = col.data
  for (let i = 0; i < order.length; i++) out[i] = src[order[i]!]!
  return out
}

export class GoroutineSpanTable implements GoroutineSpans {
  constructor(
    readonly length: number,
    private readonly clock: EventClock,
    /** Goroutine IDs by record index. */
    private readonly ids: Float64Array,
    private readonly owner: Int32Array,
    private readonly from: Uint32Array,
    private readonly to: Uint32Array,
    private readonly st: Uint8Array,
  ) {}

  goroutine(i: number): number {
    return this.ids[this.owner[i]!]!
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
    return this.owner.byteLength + this.from.byteLength + this.to.byteLength + this.st.byteLength
  }
}

export class ResourceSpanTable implements ResourceSpans {
  constructor(
    readonly length: number,
    private readonly clock: EventClock,
    private readonly ids: Float64Array,
    private readonly resources: readonly number[],
    private readonly res: Int32Array,
    private readonly owner: Int32Array,
    private readonly from: Uint32Array,
    private readonly to: Uint32Array,
  ) {}

  resource(i: number): number {
    return this.resources[this.res[i]!]!
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
    return this.res.byteLength + this.owner.byteLength + this.from.byteLength + this.to.byteLength
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
