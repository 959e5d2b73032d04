// The per-goroutine summary every consumer (CLI `goroutines`, leak analysis, timeline side panel, report,
// comparison) reads. The model's GoroutineTable makes one on demand from its columns and the events (see
// goroutine-table.ts); times are ns relative to the trace start (the first event), exact.

/** One call frame, as the trace's stack table gives it. */
export interface Frame {
  func: string
  file: string
  line: number
}

/** Frames leaf first (innermost call first), as Go writes them. Empty = no stack. */
export type Stack = readonly Frame[]

/** High-level goroutine states, named as Go's reader names them. */
export type GoState = 'Undetermined' | 'NotExist' | 'Runnable' | 'Running' | 'Waiting' | 'Syscall'

export interface GoroutineRecord {
  id: number
  /** When the GoCreate/GoCreateBlocked/GoCreateSyscall happened; null if it existed before the trace. */
  createdNs: number | null
  /** When it was destroyed; null if it never ended inside the trace. */
  endedNs: number | null
  /** The goroutine that executed the `go` statement; null if unknown (pre-existing, or created by the runtime). */
  parent: number | null
  /** The creator's stack at the creation event (the `go` statement is its top user frame). */
  creationStack: Stack
  /** The new goroutine's start-function stack (one frame: its entry function). */
  startStack: Stack
  /** For goroutines that existed before the trace: the first GoStatusStack stack seen (where it was parked). */
  statusStack: Stack
  /** Its state at the end of the trace ('NotExist' when it ended). */
  finalState: GoState
  /** The reason string of the transition into finalState (block reason for Waiting, "" when unknown). */
  finalReason: string
  /** The stack of the transition into finalState (the blocking stack for Waiting); empty if none. */
  finalStack: Stack
  /** When it entered its final state (its last transition); for a pre-existing goroutine that never moved, 0. */
  lastTransitionNs: number
  /** When it last blocked (entered Waiting); null if never. */
  lastBlockNs: number | null
  /** Reason and stack of its last block (kept when it was woken since: what it keeps waiting for). */
  lastBlockReason: string
  lastBlockStack: Stack
  /** Waiting -> Runnable transitions inside the window. */
  wakeups: number
  /** When the last wake-up happened; null if none. */
  lastWakeupNs: number | null
  /** Total ns spent Running inside the window. */
  runningNs: number
  /** Goroutine label (GoLabel, e.g. "GC (dedicated)"), "" if none. */
  label: string
}
