// The trace model every view reads: built once from the ordered events. Bulk data is columnar (typed arrays): per
// goroutine state spans, per-P and per-M spans, GC/STW/sweep/mark-assist ranges, metric samples, goroutine counts
// by state, unblock edges; small lists (tasks, regions, logs) are plain objects. Times are ns since the trace start.
import type { EventStore } from '../trace/events'
import { grown } from '../trace/typed-array'
import type { Stack } from './goroutine'
import type { GoroutineTable } from './goroutine-table'

/** Goroutine state codes in span columns (Go's high-level numbering). */
export const STATE = { Undetermined: 0, NotExist: 1, Runnable: 2, Running: 3, Waiting: 4, Syscall: 5 } as const

export interface TraceInfo {
  /** Header version, e.g. "go 1.26". */
  format: string
  legacy: boolean
  generations: number
  events: number
  /** Absolute time (Go's Time, ns) of the first event: model times are relative to it. */
  originNs: number
  /**
   * Wall-clock time of the first event (ns since the Unix epoch, to a few hundred ns), from the trace's first clock
   * snapshot (Go 1.25 and later record them); null without one.
   */
  wallStartNs: number | null
  /**
   * The threads (M IDs) the trace saw, ascending: OS thread IDs in the current format (Go 1.22+), so two traces that
   * share one come from one process (a thread ID is not reused while its process lives, nor soon after); the
   * runtime's own numbers in legacy traces.
   */
  threadIds: number[]
  durationNs: number
  goroutines: number
  procs: number
  threads: number
  gcCount: number
  /** Threads the decoder ran on (2: a helper thread ordered the events). */
  decodeThreads: number
  /** Set when decoding stopped early; the model holds everything before it. */
  error: string | null
}

/** Columns of [start, end) spans. */
export interface Spans {
  length: number
  start: Float64Array
  end: Float64Array
}

/**
 * Goroutine state spans, grouped by goroutine (ascending ID), each goroutine's in time order. Read through methods:
 * the table refers to the events that begin and end each span (see spans.ts) rather than copying their times.
 */
export interface GoroutineSpans {
  readonly length: number
  goroutine(i: number): number
  /** The spans [a, b) of the goroutine at row `row` of the goroutine table (the two share their ID order). */
  spansOf(row: number): [number, number]
  start(i: number): number
  end(i: number): number
  /** State code (STATE). */
  state(i: number): number
  /** Reason string id (block reason for Waiting). */
  reason(i: number): number
  /** Stack id (the blocking stack for Waiting, the start stack for a new goroutine). */
  stack(i: number): number
  /**
   * Spans [a, b)'s start, end, state and block reason (the reason's string id for Waiting spans, else 0) into
   * out[0..b-a): what start, end, state and reason give one by one, but much faster for many spans (see spans.ts).
   */
  readRange(a: number, b: number, out: SpanRange): void
  /** Memory the table takes. */
  readonly bytes: number
}

/** Columns GoroutineSpans.readRange fills. */
export interface SpanRange {
  start: Float64Array
  end: Float64Array
  /** The state code (as state()). */
  state: Uint8Array
  reason: Uint32Array
}

/** Which goroutine ran on a resource (P or M), grouped by resource (ascending), then start. */
export interface ResourceSpans {
  readonly length: number
  resource(i: number): number
  goroutine(i: number): number
  start(i: number): number
  end(i: number): number
  readonly bytes: number
}

export interface RangeSpans extends Spans {
  /** P for sweeps, goroutine for mark assists and STWs, 0 for GC. */
  resource: Float64Array
  /** String id of the STW kind; 0 otherwise. */
  kind: Uint32Array
}

export interface Series {
  length: number
  time: Float64Array
  value: Float64Array
}

/** Goroutine counts by state after each change, in time order (one point per distinct time). */
export interface GoroutineCounts {
  readonly length: number
  time(i: number): number
  /** The counts at point i, written into out as [runnable, running, waiting, syscall]. */
  at(i: number, out: Int32Array): void
  /**
   * Points [from, from + n) in order: their times, and their counts into `counts` as four per point (runnable, running,
   * waiting, syscall). A linear read from the first point's block: use it, not at() in a loop.
   */
  read(from: number, n: number, times: Float64Array, counts: Int32Array): void
  /** Every point in order (a linear pass: use it rather than at() in a loop). */
  forEach(fn: (timeNs: number, runnable: number, running: number, waiting: number, syscall: number) => void): void
  readonly bytes: number
}

/** Wake-ups, in time order. */
export interface UnblockEdges {
  readonly length: number
  time(i: number): number
  goroutine(i: number): number
  /** The goroutine that did it; -1 when none (netpoller, timers, the runtime). */
  by(i: number): number
  stack(i: number): number
  readonly bytes: number
}

export interface Task { id: number; parent: number; name: string; startNs: number | null; endNs: number | null }
export interface Region { goroutine: number; task: number; name: string; startNs: number; endNs: number | null }
export interface Log { goroutine: number; task: number; category: string; message: string; timeNs: number }

export interface TraceModel {
  info: TraceInfo
  /** Per-goroutine summaries, in ID order (records made on demand: see goroutine-table.ts). */
  goroutines: GoroutineTable
  goroutineSpans: GoroutineSpans
  procSpans: ResourceSpans
  threadSpans: ResourceSpans
  gc: RangeSpans
  stw: RangeSpans
  sweeps: RangeSpans
  markAssists: RangeSpans
  heapAlloc: Series
  heapGoal: Series
  gomaxprocs: Series
  /** Goroutine counts by state (Runnable, Running, Waiting, Syscall) after each change. */
  goroutineCounts: GoroutineCounts
  unblocks: UnblockEdges
  tasks: Task[]
  regions: Region[]
  logs: Log[]
  /** Decoded (UTF-8) strings by id, shared by reason/stack columns. */
  strings: string[]
  /** Stacks by id (the event store's ids), frames decoded. */
  stacks: Stack[]
  /** The ordered events themselves (for the dump, and event-level views). */
  events: EventStore
}

/** Grows parallel typed-array columns. */
export class Columns<K extends string> {
  length = 0
  private cap = 256
  readonly cols: Record<K, Float64Array>
  constructor(private readonly names: readonly K[]) {
    this.cols = Object.fromEntries(names.map((n) => [n, new Float64Array(this.cap)])) as Record<K, Float64Array>
  }
  push(values: Record<K, number>): void {
    this.ensure()
    for (const n of this.names) this.cols[n][this.length] = values[n]
    this.length++
  }

  /** Appends a row given in column order, without building an object (the hot path). */
  row(v0: number, v1: number, v2 = 0, v3 = 0, v4 = 0, v5 = 0): void {
    this.ensure()
    const i = this.length
    const c = this.order
    c[0]![i] = v0
    c[1]![i] = v1
    if (c.length > 2) c[2]![i] = v2
    if (c.length > 3) c[3]![i] = v3
    if (c.length > 4) c[4]![i] = v4
    if (c.length > 5) c[5]![i] = v5
    this.length = i + 1
  }

  private order: Float64Array[] = []
  private ensure(): void {
    if (this.length === this.cap || this.order.length === 0) {
      if (this.length === this.cap) {
        this.cap *= 2
        for (const n of this.names) this.cols[n] = grown(this.cols[n], this.cap)
      }
      this.order = this.names.map((n) => this.cols[n])
    }
  }
  trimmed(): Record<K, Float64Array> & { length: number } {
    const out = { length: this.length } as Record<K, Float64Array> & { length: number }
    for (const n of this.names) (out as Record<K, Float64Array>)[n] = this.cols[n].slice(0, this.length)
    return out
  }
}
