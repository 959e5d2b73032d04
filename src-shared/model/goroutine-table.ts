// Every goroutine's summary (GoroutineRecord), kept as columns of event indexes rather than one object each: a busy
// server's trace names hundreds of thousands of goroutines, and an object with its boxed times cost ~226 bytes per
// goroutine, a third of the whole model of a trace with many short-lived goroutines. What a record says about its
// creation, its final state and its last block is read back from the events that did it; a record object is made
// only when asked for (at, byId, iteration) and is the caller's to keep or drop.
import { transitionInto, type Transition } from '../trace/dump'
import { ARGS } from '../trace/events'
import { EV } from '../trace/spec'
import { grown } from '../trace/typed-array'
import type { GoroutineRecord, GoState, Stack } from './goroutine'
import { newStateStackArg, type EventClock } from './spans'

/** No such event. */
export const NO_EVENT = 0xffffffff

const NAMES: GoState[] = ['Undetermined', 'NotExist', 'Runnable', 'Running', 'Waiting', 'Syscall']
/** One shared empty stack: most goroutines have no stack of some kind. */
export const NO_STACK: Stack = Object.freeze([]) as Stack

/** The columns, one row per goroutine (while building: in order of first sight; in a table: in ID order). */
export class GoroutineColumns {
  length = 0
  id = new Float64Array(256)
  /** GoCreate* event (creator, stacks, time); NO_EVENT when it existed before the trace. */
  created = new Uint32Array(256)
  /** The event that ended it (into NotExist). */
  ended = new Uint32Array(256)
  /** Its last state change: final state, reason, stack and time. */
  last = new Uint32Array(256)
  /** Its last block (into Waiting). */
  lastBlock = new Uint32Array(256)
  lastWakeup = new Uint32Array(256)
  wakeups = new Uint32Array(256)
  /** The first non-empty GoStatusStack stack (stack id; 0: none). */
  statusStack = new Uint32Array(256)
  runningNs = new Float64Array(256)
  /** GoLabel string ids by row (rare: the runtime's GC workers). */
  labels = new Map<number, number>()
  /** Legacy traces: the start stack (stack id) of a row that existed before the trace (EventStore.entryStacks). */
  entryStacks = new Map<number, number>()

  add(id: number): number {
    if (this.length === this.id.length) {
      this.id = grown(this.id)
      this.created = grown(this.created)
      this.ended = grown(this.ended)
      this.last = grown(this.last)
      this.lastBlock = grown(this.lastBlock)
      this.lastWakeup = grown(this.lastWakeup)
      this.wakeups = grown(this.wakeups)
      this.statusStack = grown(this.statusStack)
      this.runningNs = grown(this.runningNs)
    }
    const i = this.length++
    this.id[i] = id
    this.created[i] = NO_EVENT
    this.ended[i] = NO_EVENT
    this.last[i] = NO_EVENT
    this.lastBlock[i] = NO_EVENT
    this.lastWakeup[i] = NO_EVENT
    this.wakeups[i] = 0
    this.statusStack[i] = 0
    this.runningNs[i] = 0
    return i
  }

  /** The rows in the given order (order[k]: the row that goes to k), trimmed to length. */
  permuted(order: ArrayLike<number>): GoroutineColumns {
    const out = new GoroutineColumns()
    const n = order.length
    const take = <T extends Float64Array | Uint32Array>(col: T, into: T): T => {
      for (let k = 0; k < n; k++) into[k] = col[order[k]!]!
      return into
    }
    out.length = n
    out.id = take(this.id, new Float64Array(n))
    out.created = take(this.created, new Uint32Array(n))
    out.ended = take(this.ended, new Uint32Array(n))
    out.last = take(this.last, new Uint32Array(n))
    out.lastBlock = take(this.lastBlock, new Uint32Array(n))
    out.lastWakeup = take(this.lastWakeup, new Uint32Array(n))
    out.wakeups = take(this.wakeups, new Uint32Array(n))
    out.statusStack = take(this.statusStack, new Uint32Array(n))
    out.runningNs = take(this.runningNs, new Float64Array(n))
    const rank = new Map<number, number>()
    for (let k = 0; k < n; k++) if (this.labels.has(order[k]!) || this.entryStacks.has(order[k]!)) rank.set(order[k]!, k)
    for (const [row, label] of this.labels) out.labels.set(rank.get(row)!, label)
    for (const [row, stack] of this.entryStacks) out.entryStacks.set(rank.get(row)!, stack)
    return out
  }

  get bytes(): number {
    return this.id.byteLength + this.runningNs.byteLength +
      this.created.byteLength + this.ended.byteLength + this.last.byteLength + this.lastBlock.byteLength +
      this.lastWakeup.byteLength + this.wakeups.byteLength + this.statusStack.byteLength + (this.labels.size + this.entryStacks.size) * 40
  }
}

/** The goroutines of a trace in ID order. */
export class GoroutineTable implements Iterable<GoroutineRecord> {
  readonly length: number
  private readonly args = new Float64Array(ARGS)
  private readonly tr: Transition = { proc: false, id: 0, from: 0, to: 0, reason: 0, stack: null }

  constructor(
    private readonly cols: GoroutineColumns,
    private readonly clock: EventClock,
    private readonly strings: readonly string[],
    private readonly stacks: readonly Stack[],
  ) {
    this.length = cols.length
  }

  /** Goroutine IDs, ascending (shared with the span table). */
  get ids(): Float64Array {
    return this.cols.id
  }

  /** Row of goroutine `id`, or -1. */
  indexOf(id: number): number {
    const ids = this.cols.id
    let lo = 0
    let hi = this.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const v = ids[mid]!
      if (v === id) return mid
      if (v < id) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  byId(id: number): GoroutineRecord | undefined {
    const i = this.indexOf(id)
    return i < 0 ? undefined : this.at(i)
  }

  /** When goroutine row i was created (ns), or null: without making its record. */
  createdNs(i: number): number | null {
    return this.timeOf(this.cols.created[i]!)
  }

  /** When goroutine row i ended (ns), or null. */
  endedNs(i: number): number | null {
    return this.timeOf(this.cols.ended[i]!)
  }

  /** The creator's stack (stack id) at row i's creation; 0 when it existed before the trace. */
  creationStackId(i: number): number {
    const ev = this.cols.created[i]!
    return ev === NO_EVENT ? 0 : this.clock.events.arg(ev, 2)
  }

  /** The goroutine that created row i (its id), or null: it existed before the trace, or the runtime made it. */
  parent(i: number): number | null {
    const ev = this.cols.created[i]!
    if (ev === NO_EVENT) return null
    const g = this.clock.events.gAt(ev)
    return g >= 0 ? g : null
  }

  /** Row i's start stack (its entry function), without making its record. */
  startStack(i: number): Stack {
    const ev = this.cols.created[i]!
    const events = this.clock.events
    if (ev === NO_EVENT) return this.entryStack(i)
    return events.typeAt(ev) === EV.GoCreateSyscall ? NO_STACK : this.stack(events.arg(ev, 1))
  }

  /** Row i's stack from before the trace (its first GoStatusStack; empty if none), without making its record. */
  statusStack(i: number): Stack {
    return this.stack(this.cols.statusStack[i]!)
  }

  /** Row i's stack at its last state change, without making its record. */
  finalStack(i: number): Stack {
    const last = this.cols.last[i]!
    return last === NO_EVENT ? NO_STACK : this.newStack(last)
  }

  /** Row i's stack when it last blocked (empty if it never did), without making its record. */
  lastBlockStack(i: number): Stack {
    const block = this.cols.lastBlock[i]!
    return block === NO_EVENT ? NO_STACK : this.newStack(block)
  }

  /** The start stack of a row that existed before the trace: only legacy traces record one. */
  private entryStack(i: number): Stack {
    return this.cols.entryStacks.size === 0 ? NO_STACK : this.stack(this.cols.entryStacks.get(i) ?? 0)
  }

  /** Row i's label (GoLabel), "" if none. */
  label(i: number): string {
    return this.cols.labels.size === 0 ? '' : this.strings[this.cols.labels.get(i) ?? 0]!
  }

  at(i: number): GoroutineRecord {
    const c = this.cols
    const events = this.clock.events
    const a = this.args
    const rec: GoroutineRecord = {
      id: c.id[i]!, createdNs: null, endedNs: this.endedNs(i), parent: null, creationStack: NO_STACK, startStack: NO_STACK,
      statusStack: this.stack(c.statusStack[i]!),
      finalState: 'Undetermined', finalReason: '', finalStack: NO_STACK, lastTransitionNs: 0, lastBlockNs: null, lastBlockReason: '', lastBlockStack: NO_STACK,
      wakeups: c.wakeups[i]!, lastWakeupNs: this.timeOf(c.lastWakeup[i]!), runningNs: c.runningNs[i]!,
      label: this.label(i),
    }
    const created = c.created[i]!
    if (created !== NO_EVENT) {
      // GoCreate*: the new goroutine, its start stack, the creator's stack; the event's goroutine is the creator.
      events.argsInto(created, a)
      const g = events.gAt(created)
      rec.createdNs = this.clock.at(created)
      rec.parent = g >= 0 ? g : null
      rec.creationStack = this.stack(a[2]!)
      rec.startStack = events.typeAt(created) === EV.GoCreateSyscall ? NO_STACK : this.stack(a[1]!)
    } else rec.startStack = this.entryStack(i)
    const last = c.last[i]!
    if (last !== NO_EVENT) {
      const tr = this.transition(last)
      rec.finalState = NAMES[tr.to]!
      rec.finalReason = this.strings[tr.reason]!
      rec.finalStack = this.newStack(last)
      rec.lastTransitionNs = tr.from === 0 /* Undetermined: it held since the trace start */ ? 0 : this.clock.at(last)
    }
    const block = c.lastBlock[i]!
    if (block !== NO_EVENT) {
      const tr = this.transition(block)
      rec.lastBlockNs = tr.from === 0 ? 0 : this.clock.at(block)
      rec.lastBlockReason = this.strings[tr.reason]!
      rec.lastBlockStack = this.newStack(block)
    }
    return rec
  }

  *[Symbol.iterator](): Iterator<GoroutineRecord> {
    for (let i = 0; i < this.length; i++) yield this.at(i)
  }

  map<T>(fn: (g: GoroutineRecord, i: number) => T): T[] {
    const out = new Array<T>(this.length)
    for (let i = 0; i < this.length; i++) out[i] = fn(this.at(i), i)
    return out
  }

  find(fn: (g: GoroutineRecord) => boolean): GoroutineRecord | undefined {
    for (const g of this) if (fn(g)) return g
    return undefined
  }

  get bytes(): number {
    return this.cols.bytes
  }

  /** The time (ns) of event ev, or null for NO_EVENT. */
  private timeOf(ev: number): number | null {
    return ev === NO_EVENT ? null : this.clock.at(ev)
  }

  private stack(id: number): Stack {
    return id === 0 ? NO_STACK : (this.stacks[id] ?? NO_STACK)
  }

  /** The state transition of event ev (args read into this.args). */
  private transition(ev: number): Transition {
    const events = this.clock.events
    events.argsInto(ev, this.args)
    return transitionInto(this.tr, events.typeAt(ev), this.args, events.gAt(ev), events.pAt(ev))
  }

  /**
   * The stack its new state has (where it blocked or was parked, a new goroutine's start stack), read from event `ev`
   * itself: this.args holds whichever event was read last.
   */
  private newStack(ev: number): Stack {
    const events = this.clock.events
    const k = newStateStackArg(events.typeAt(ev))
    return k < 0 ? NO_STACK : this.stack(events.arg(ev, k))
  }
}
