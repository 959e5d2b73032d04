// The ordering engine: decides whether the next event of an M may happen now, given every goroutine's, P's and the
// GC's state and sequence numbers, and emits it (plus the synthetic events Go's reader adds for coroutine switches
// and implicit steals). Semantics follow Go's internal/trace order.go; "not ready" is not an error: the reader then
// tries another M.
//
// It runs once per event, so it allocates nothing per event: the context is three numbers on the engine, sequence
// numbers are (gen, seq) fields on the goroutine and P states (the GC's are in a small array), and emitted events go
// straight to the sink as arguments.
import { TraceFormatError } from '../errors'
import { IdTable } from '../id-table'
import { grown } from '../typed-array'
import { EV, GoState, GoStatus, ProcState, ProcStatus, SPECS, goStatusToState } from '../spec'

export const NONE = -1

/**
 * Receives each ordered event: wire type, time (ns), the M/P/G context it happened in, its arguments (gen-local
 * string and stack IDs) and, for UserTaskEnd, the name of the task (which may live in another generation's table).
 * GoStatus/GoStatusStack carry the goroutine's previous state in bits 8+ of the status argument.
 */
export interface EventSink {
  event(typ: number, time: number, m: number, p: number, g: number, a0: number, a1: number, a2: number, a3: number, name: string | null): void
}

interface Ranges {
  /** In-flight ranges as (type, desc) pairs; null until the first one (most goroutines never have any). */
  inFlight: number[] | null
}

function hasRange(s: Ranges, typ: number, desc: number): boolean {
  const f = s.inFlight
  if (f) for (let i = 0; i < f.length; i += 2) if (f[i] === typ && f[i + 1] === desc) return true
  return false
}
function beginRange(s: Ranges, typ: number, desc: number): void {
  if (hasRange(s, typ, desc)) throw broken(`discovered event already in-flight for when starting event ${SPECS[typ]!.name}`)
  ;(s.inFlight ??= []).push(typ, desc)
}
function activeRange(s: Ranges, typ: number, desc: number, initialGen: boolean): void {
  if (initialGen) {
    if (hasRange(s, typ, desc)) throw broken(`found named active range already in first gen: ${typ}`)
    ;(s.inFlight ??= []).push(typ, desc)
  } else if (!hasRange(s, typ, desc)) throw broken(`resource is missing active range: ${SPECS[typ]!.name}`)
}
/** Ends the in-flight range that typ closes; returns its desc. */
function endRange(s: Ranges, typ: number): number {
  const st = startOf(typ)
  const f = s.inFlight
  let idx = -1
  if (f) for (let i = 0; i < f.length; i += 2) if (f[i] === st) { idx = i; break }
  if (idx < 0) throw broken(`tried to end event ${SPECS[st]!.name}, but not in-flight`)
  const desc = f![idx + 1]!
  f![idx] = f![f!.length - 2]!
  f![idx + 1] = f![f!.length - 1]!
  f!.length -= 2
  return desc
}

function startOf(typ: number): number {
  switch (typ) {
    case EV.STWEnd: return EV.STWBegin
    case EV.GCSweepActive: case EV.GCSweepEnd: return EV.GCSweepBegin
    case EV.GCMarkAssistActive: case EV.GCMarkAssistEnd: return EV.GCMarkAssistBegin
    case EV.GCActive: case EV.GCEnd: return EV.GCBegin
    default: return typ
  }
}

/** The goroutine and P a thread holds. */
export interface MState {
  g: number
  p: number
}

/**
 * The goroutines' states, in columns by slot (a slot is reused once its goroutine is gone), not an object per
 * goroutine: the ordering thread made and collected those by the hundred thousand, much of its garbage collection.
 * In-flight ranges and regions, which few goroutines have, hang off the slot.
 */
class GoroutineStates {
  private readonly slots = new IdTable()
  private readonly free: number[] = []
  private used = 0
  status = new Uint8Array(1024)
  seqGen = new Float64Array(1024)
  seq = new Float64Array(1024)
  readonly ranges: (Ranges | null)[] = []
  readonly regions: ({ task: number; name: string }[] | null)[] = []

  /** The goroutine's slot; -1 when it does not exist. */
  slot(id: number): number {
    const s = this.slots.get(id)
    return s === undefined ? -1 : s
  }

  add(id: number, status: number, gen: number): void {
    let s = this.free.pop()
    if (s === undefined) {
      s = this.used++
      if (s === this.status.length) {
        this.status = grown(this.status)
        this.seqGen = grown(this.seqGen)
        this.seq = grown(this.seq)
      }
    }
    this.status[s] = status
    this.sequence(s, gen, 0)
    this.ranges[s] = null
    this.regions[s] = null
    this.slots.set(id, s)
  }

  remove(id: number): void {
    const s = this.slot(id)
    if (s < 0) return
    this.slots.delete(id)
    this.ranges[s] = null
    this.regions[s] = null
    this.free.push(s)
  }

  /** Whether (gen, seq) directly follows slot s's sequence number. */
  succeeds(s: number, gen: number, seq: number): boolean {
    return gen === this.seqGen[s] && seq === this.seq[s]! + 1
  }

  /** Makes (gen, seq) slot s's sequence number. */
  sequence(s: number, gen: number, seq: number): void {
    this.seqGen[s] = gen
    this.seq[s] = seq
  }

  /** Slot s's in-flight ranges, made on first use. */
  rangesOf(s: number): Ranges {
    return (this.ranges[s] ??= { inFlight: null })
  }
}

const NO_RANGES: Ranges = { inFlight: null }

class PState implements Ranges {
  inFlight: number[] | null = null
  constructor(public status: number, public seqGen: number, public seq: number) {}
}

/** Whether (gen, seq) directly follows the state's sequence number. */
const succeeds = (gen: number, seq: number, st: { seqGen: number; seq: number }) => gen === st.seqGen && seq === st.seq + 1

function broken(message: string): TraceFormatError {
  return new TraceFormatError('inconsistent', message, -1)
}

/** An event type's method in the ordering engine (see Ordering.handlers). */
type Handler = (this: Ordering, typ: number, time: number, a: Float64Array, strings: Map<number, string>) => boolean

const MUST = 0
const MUST_NOT = 1
const MAY = 2

const GC_SEQ = 0
const GC_STATE = 1
const GC_UNDETERMINED = 0
const GC_NOT_RUNNING = 1
const GC_RUNNING = 2

const STATUS_NAMES = ['Bad', 'Runnable', 'Running', 'Syscall', 'Waiting']
const PROC_OLD = [ProcState.Undetermined, ProcState.Running, ProcState.Idle, ProcState.Running, ProcState.Idle]

export class Ordering {
  readonly gStates = new GoroutineStates()
  readonly pStates = new Map<number, PState>()
  readonly mStates = new Map<number, MState>()
  readonly activeTasks = new Map<number, { name: string; parent: number }>()
  /**
   * The GC's sequence number and state (GC_SEQ, GC_STATE). In an array, not in fields: they first change at the
   * trace's first GC, anywhere in it, and a field that stops being constant, or turns from a small integer into a
   * double, throws away the optimized code of every method that reads this object.
   */
  private readonly gc = Float64Array.of(0, GC_UNDETERMINED)
  initialGen = 0
  /** Where ordered events go. */
  sink: EventSink = { event: () => {} }

  // The event being advanced: its context, and the context after it.
  private m = NONE
  private p = NONE
  private g = NONE
  private nextP = NONE
  private nextG = NONE
  private gen = 0

  constructor(private readonly version: number) {}

  /**
   * Thread m's state (created on first use). A caller that advances one thread's events keeps it and passes it to
   * advance, which saves a map lookup per event; the object stays the thread's for the whole trace.
   */
  mState(m: number): MState {
    let ms = this.mStates.get(m)
    if (!ms) {
      ms = { g: NONE, p: NONE }
      this.mStates.set(m, ms)
    }
    return ms
  }

  /**
   * Tries to advance with an event from thread m (args are gen-local IDs and may be rewritten). Returns false when it
   * is not ready yet. `strings` resolves gen-local string IDs (task and region names). Throws TraceFormatError when
   * the trace is inconsistent.
   */
  advance(typ: number, time: number, args: Float64Array, m: number, gen: number, strings: Map<number, string>, known?: MState): boolean {
    if (this.initialGen === 0) this.initialGen = gen
    let ms: MState | undefined
    this.m = m
    this.p = NONE
    this.g = NONE
    this.gen = gen
    if (m !== NONE) {
      ms = known ?? this.mState(m)
      this.p = ms.p
      this.g = ms.g
    }
    this.nextP = this.p
    this.nextG = this.g
    if (!this.dispatch(typ, time, args, strings)) return false
    if (ms) {
      ms.p = this.nextP
      ms.g = this.nextG
    }
    return true
  }

  private emit(typ: number, time: number, a: Float64Array): void {
    this.sink.event(typ, time, this.m, this.p, this.g, a[0]!, a[1]!, a[2]!, a[3]!, null)
  }

  private validate(m: number, p: number, g: number): void {
    if (m === MUST && this.m === NONE) throw broken('expected a thread but didn\'t have one')
    if (m === MUST_NOT && this.m !== NONE) throw broken('expected no thread but had one')
    if (p === MUST && this.p === NONE) throw broken('expected a proc but didn\'t have one')
    if (p === MUST_NOT && this.p !== NONE) throw broken('expected no proc but had one')
    if (g === MUST && this.g === NONE) throw broken('expected a goroutine but didn\'t have one')
    if (g === MUST_NOT && this.g !== NONE) throw broken('expected no goroutine but had one')
  }

  private userGo(): void {
    if (this.m === NONE || this.p === NONE || this.g === NONE) this.validate(MUST, MUST, MUST)
  }

  /** The running goroutine's slot: a user-goroutine event requires it to exist and be Running. */
  private runningG(typ: number): number {
    const st = this.gStates.slot(this.g)
    if (st < 0) throw broken(`event ${SPECS[typ]!.name} for goroutine (${this.g}) that doesn't exist`)
    if (this.gStates.status[st] !== GoStatus.Running) throw broken(`${SPECS[typ]!.name} event for goroutine that's not Running`)
    return st
  }

  /** The current goroutine's slot; -1 when it does not exist. */
  private currentG(): number {
    return this.gStates.slot(this.g)
  }

  /**
   * Each event type's method (0-255; the rest go to `experimental`, which rejects what is not an experimental
   * event), called through this table rather than a switch: each
   * method is optimized on its own as soon as it is hot (one large function waited for every event type to have been
   * seen: the first 100 000 events of a trace ran unoptimized), and a type first seen late in a trace (a first GC, a
   * first steal) does not throw away the optimized dispatch, as a new case of a switch did.
   */
  private static readonly handlers: readonly (Handler | undefined)[] = (() => {
    const o = Ordering.prototype
    const table: (Handler | undefined)[] = new Array<Handler>(256).fill(o.experimental)
    const on = (h: Handler, ...types: number[]) => {
      for (const typ of types) table[typ] = h
    }
    on(o.contextOnly, EV.ProcsChange, EV.GoLabel, EV.UserLog)
    on(o.procStatus, EV.ProcStatus)
    on(o.procStart, EV.ProcStart)
    on(o.procStop, EV.ProcStop)
    on(o.procSteal, EV.ProcSteal)
    on(o.goStatus, EV.GoStatus, EV.GoStatusStack)
    on(o.goCreate, EV.GoCreate, EV.GoCreateBlocked)
    on(o.goLeave, EV.GoDestroy, EV.GoStop, EV.GoBlock)
    on(o.goStart, EV.GoStart)
    on(o.goUnblock, EV.GoUnblock)
    on(o.goSwitch, EV.GoSwitch, EV.GoSwitchDestroy)
    on(o.syscallBegin, EV.GoSyscallBegin)
    on(o.syscallEnd, EV.GoSyscallEnd)
    on(o.syscallEndBlocked, EV.GoSyscallEndBlocked)
    on(o.goCreateSyscall, EV.GoCreateSyscall)
    on(o.goDestroySyscall, EV.GoDestroySyscall)
    on(o.taskBegin, EV.UserTaskBegin)
    on(o.taskEnd, EV.UserTaskEnd)
    on(o.region, EV.UserRegionBegin, EV.UserRegionEnd)
    on(o.gcActive, EV.GCActive)
    on(o.gcBegin, EV.GCBegin)
    on(o.gcEnd, EV.GCEnd)
    on(o.heapEvent, EV.HeapAlloc, EV.HeapGoal)
    on(o.sweepBegin, EV.GCSweepBegin)
    on(o.sweepActive, EV.GCSweepActive)
    on(o.sweepEnd, EV.GCSweepEnd)
    on(o.rangeBegin, EV.STWBegin, EV.GCMarkAssistBegin)
    on(o.markAssistActive, EV.GCMarkAssistActive)
    on(o.rangeEnd, EV.STWEnd, EV.GCMarkAssistEnd)
    return table
  })()

  private dispatch(typ: number, time: number, a: Float64Array, strings: Map<number, string>): boolean {
    const h = Ordering.handlers[typ]
    return h !== undefined ? h.call(this, typ, time, a, strings) : this.experimental(typ, time, a)
  }

  /** ProcsChange, GoLabel, UserLog: only the context is checked. */
  private contextOnly(typ: number, time: number, a: Float64Array): boolean {
    this.userGo()
    this.emit(typ, time, a)
    return true
  }

  private procStart(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const pid = a[0]!
    const st = this.pStates.get(pid)
    if (!st || st.status !== ProcStatus.Idle || !succeeds(gen, a[1]!, st) || this.p !== NONE) return false
    this.validate(MUST, MUST_NOT, MAY)
    st.status = ProcStatus.Running
    st.seqGen = gen
    st.seq = a[1]!
    this.emit(typ, time, a)
    this.nextP = pid
    return true
  }

  private procStop(typ: number, time: number, a: Float64Array): boolean {
    const st = this.pStates.get(this.p)
    if (!st) throw broken(`event ProcStop for proc (${this.p}) that doesn't exist`)
    if (st.status !== ProcStatus.Running && st.status !== ProcStatus.Syscall) throw broken('ProcStop event for proc that\'s not Running or Syscall')
    this.validate(MUST, MUST, MAY)
    st.status = ProcStatus.Idle
    this.emit(typ, time, a)
    this.nextP = NONE
    return true
  }

  private goCreate(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    this.validate(MUST, MUST, MAY)
    const creator = this.currentG()
    if (creator >= 0 && this.gStates.status[creator] !== GoStatus.Running) throw broken(`${SPECS[typ]!.name} event for goroutine that's not Running`)
    const id = a[0]!
    if (this.gStates.slot(id) >= 0) throw broken(`tried to create goroutine (${id}) that already exists`)
    this.gStates.add(id, typ === EV.GoCreateBlocked ? GoStatus.Waiting : GoStatus.Runnable, gen)
    this.emit(typ, time, a)
    return true
  }

  /** GoDestroy, GoStop, GoBlock: the running goroutine leaves its M. */
  private goLeave(typ: number, time: number, a: Float64Array): boolean {
    this.userGo()
    const st = this.runningG(typ)
    if (typ === EV.GoDestroy) this.gStates.remove(this.g)
    else this.gStates.status[st] = typ === EV.GoStop ? GoStatus.Runnable : GoStatus.Waiting
    this.emit(typ, time, a)
    this.nextG = NONE
    return true
  }

  private goStart(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const id = a[0]!
    const gs = this.gStates
    const st = gs.slot(id)
    if (st < 0 || gs.status[st] !== GoStatus.Runnable || !gs.succeeds(st, gen, a[1]!)) return false
    this.validate(MUST, MUST, MUST_NOT)
    gs.status[st] = GoStatus.Running
    gs.sequence(st, gen, a[1]!)
    this.emit(typ, time, a)
    this.nextG = id
    return true
  }

  private goUnblock(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const gs = this.gStates
    const st = gs.slot(a[0]!)
    if (st < 0 || gs.status[st] !== GoStatus.Waiting || !gs.succeeds(st, gen, a[1]!)) return false
    gs.status[st] = GoStatus.Runnable
    gs.sequence(st, gen, a[1]!)
    this.emit(typ, time, a)
    return true
  }

  /** A coroutine switch: Go adds the GoBlock (or GoDestroy) of the current goroutine and the GoStart of the next. */
  private goSwitch(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    this.userGo()
    const gs = this.gStates
    const curSt = this.runningG(typ)
    const nextId = a[0]!
    const seq = a[1]!
    const nextSt = gs.slot(nextId)
    if (nextSt < 0 || gs.status[nextSt] !== GoStatus.Waiting || !gs.succeeds(nextSt, gen, seq)) return false
    this.emit(typ, time, a)
    if (typ === EV.GoSwitch) {
      gs.status[curSt] = GoStatus.Waiting
      this.sink.event(EV.GoBlock, time, this.m, this.p, this.g, 0, 0, 0, 0, null)
    } else {
      gs.remove(this.g)
      this.sink.event(EV.GoDestroy, time, this.m, this.p, this.g, 0, 0, 0, 0, null)
    }
    gs.status[nextSt] = GoStatus.Running
    gs.sequence(nextSt, gen, seq)
    this.sink.event(EV.GoStart, time, this.m, this.p, NONE, nextId, seq, 0, 0, null)
    this.nextG = nextId
    return true
  }

  private syscallBegin(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    this.userGo()
    const st = this.currentG()
    if (st < 0) throw broken(`event GoSyscallBegin for goroutine (${this.g}) that doesn't exist`)
    if (this.gStates.status[st] !== GoStatus.Running) throw broken('GoSyscallBegin event for goroutine that\'s not Running')
    this.gStates.status[st] = GoStatus.Syscall
    const ps = this.pStates.get(this.p)
    if (!ps) throw broken(`uninitialized proc ${this.p} found during GoSyscallBegin`)
    ps.status = ProcStatus.Syscall
    if (!succeeds(gen, a[0]!, ps)) throw broken(`failed to advance GoSyscallBegin: can't make sequence: ${ps.seq} (gen=${ps.seqGen}) -> ${a[0]} (gen=${gen})`)
    ps.seqGen = gen
    ps.seq = a[0]!
    this.emit(typ, time, a)
    return true
  }

  private syscallEnd(typ: number, time: number, a: Float64Array): boolean {
    this.userGo()
    const st = this.currentG()
    if (st < 0) throw broken(`event GoSyscallEnd for goroutine (${this.g}) that doesn't exist`)
    if (this.gStates.status[st] !== GoStatus.Syscall) throw broken('GoSyscallEnd event for goroutine that\'s not Running')
    this.gStates.status[st] = GoStatus.Running
    const ps = this.pStates.get(this.p)
    if (!ps) throw broken(`uninitialized proc ${this.p} found during GoSyscallEnd`)
    if (ps.status !== ProcStatus.Syscall) throw broken(`expected proc ${this.p} in state Syscall, but got ${STATUS_NAMES[ps.status]} instead`)
    ps.status = ProcStatus.Running
    this.emit(typ, time, a)
    return true
  }

  private syscallEndBlocked(typ: number, time: number, a: Float64Array): boolean {
    if (this.p !== NONE) {
      const ps = this.pStates.get(this.p)
      if (!ps) throw broken(`uninitialized proc ${this.p} found during GoSyscallEndBlocked`)
      if (ps.status === ProcStatus.Syscall) return false
    }
    this.validate(MUST, MAY, MUST)
    const st = this.currentG()
    if (st < 0) throw broken(`event GoSyscallEndBlocked for goroutine (${this.g}) that doesn't exist`)
    if (this.gStates.status[st] !== GoStatus.Syscall) throw broken('GoSyscallEndBlocked event for goroutine that\'s not Running')
    this.gStates.status[st] = GoStatus.Runnable
    this.emit(typ, time, a)
    this.nextG = NONE
    return true
  }

  private goCreateSyscall(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    this.validate(MUST, MAY, MUST_NOT)
    const id = a[0]!
    if (this.gStates.slot(id) >= 0) throw broken(`tried to create goroutine (${id}) in syscall that already exists`)
    this.gStates.add(id, GoStatus.Syscall, gen)
    this.emit(typ, time, a)
    this.nextG = id
    return true
  }

  private goDestroySyscall(typ: number, time: number, a: Float64Array): boolean {
    this.validate(MUST, MAY, MUST)
    const st = this.currentG()
    if (st < 0) throw broken(`event GoDestroySyscall for goroutine (${this.g}) that doesn't exist`)
    if (this.gStates.status[st] !== GoStatus.Syscall) throw broken('GoDestroySyscall event for goroutine that\'s not Syscall')
    this.gStates.remove(this.g)
    this.nextG = NONE
    if (this.p !== NONE) {
      const ps = this.pStates.get(this.p)
      if (!ps) throw broken(`found invalid proc ${this.p} during GoDestroySyscall`)
      if (ps.status !== ProcStatus.Syscall) throw broken(`proc ${this.p} in unexpected state during GoDestroySyscall`)
      ps.status = ProcStatus.SyscallAbandoned
      this.nextP = NONE
      // Go adds an implicit steal of the P the callback held, by the same M.
      this.sink.event(EV.ProcSteal, time, this.m, this.p, this.g, this.p, 0, 0, ProcStatus.Syscall, null)
    }
    this.emit(typ, time, a)
    return true
  }

  private taskBegin(typ: number, time: number, a: Float64Array, strings: Map<number, string>): boolean {
    const id = a[0]!
    if (this.activeTasks.has(id)) throw broken(`task ID conflict: ${id}`)
    let parent = a[1]!
    if (parent === 0) {
      parent = NONE // NoTask
      a[1] = NONE
    }
    const name = strings.get(a[2]!)
    if (name === undefined && a[2] !== 0) throw broken(`invalid string ID ${a[2]} for ${typ} event`)
    this.activeTasks.set(id, { name: name ?? '', parent })
    this.userGo()
    this.emit(typ, time, a)
    return true
  }

  private taskEnd(typ: number, time: number, a: Float64Array): boolean {
    // Carry the task's parent and name (they may be in another generation's table).
    const task = this.activeTasks.get(a[0]!)
    if (task) this.activeTasks.delete(a[0]!)
    this.userGo()
    this.sink.event(typ, time, this.m, this.p, this.g, a[0]!, a[1]!, task ? task.parent : NONE, 0, task ? task.name : '')
    return true
  }

  private region(typ: number, time: number, a: Float64Array, strings: Map<number, string>): boolean {
    this.userGo()
    const name = strings.get(a[1]!)
    if (name === undefined && a[1] !== 0) throw broken(`invalid string ID ${a[1]} for ${typ} event`)
    const st = this.currentG()
    if (st < 0) throw broken(`encountered EvUserRegion${typ === EV.UserRegionBegin ? 'Begin' : 'End'} without known state for current goroutine ${this.g}`)
    const r = { task: a[0]!, name: name ?? '' }
    const regions = this.gStates.regions
    if (typ === EV.UserRegionBegin) (regions[st] ??= []).push(r)
    else {
      const open = regions[st]
      if (open && open.length > 0) {
        const top = open[open.length - 1]!
        if (top.task !== r.task || top.name !== r.name) throw broken(`misuse of region in goroutine ${this.g}: region end when the inner-most active region start event is different`)
        open.pop()
      }
    }
    this.emit(typ, time, a)
    return true
  }

  private gcActive(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const seq = a[0]!
    if (gen === this.initialGen) {
      if (this.gc[GC_STATE] !== GC_UNDETERMINED) throw broken('GCActive in the first generation isn\'t first GC event')
      this.gc[GC_SEQ] = seq
      this.gc[GC_STATE] = GC_RUNNING
      this.emit(typ, time, a)
      return true
    }
    if (seq !== this.gc[GC_SEQ]! + 1) return false
    if (this.gc[GC_STATE] !== GC_RUNNING) throw broken('encountered GCActive while GC was not in progress')
    this.gc[GC_SEQ] = seq
    this.userGo()
    this.emit(typ, time, a)
    return true
  }

  private gcBegin(typ: number, time: number, a: Float64Array): boolean {
    const seq = a[0]!
    if (this.gc[GC_STATE] === GC_UNDETERMINED) {
      this.gc[GC_SEQ] = seq
      this.gc[GC_STATE] = GC_RUNNING
      this.emit(typ, time, a)
      return true
    }
    if (seq !== this.gc[GC_SEQ]! + 1) return false
    if (this.gc[GC_STATE] === GC_RUNNING) throw broken('encountered GCBegin while GC was already in progress')
    this.gc[GC_SEQ] = seq
    this.gc[GC_STATE] = GC_RUNNING
    this.userGo()
    this.emit(typ, time, a)
    return true
  }

  private gcEnd(typ: number, time: number, a: Float64Array): boolean {
    const seq = a[0]!
    if (seq !== this.gc[GC_SEQ]! + 1) return false
    if (this.gc[GC_STATE] === GC_NOT_RUNNING) throw broken('encountered GCEnd when GC was not in progress')
    if (this.gc[GC_STATE] === GC_UNDETERMINED) throw broken('encountered GCEnd when GC was in an undetermined state')
    this.gc[GC_SEQ] = seq
    this.gc[GC_STATE] = GC_NOT_RUNNING
    this.userGo()
    this.emit(typ, time, a)
    return true
  }

  private heapEvent(typ: number, time: number, a: Float64Array): boolean {
    this.validate(MUST, MUST, MAY)
    this.emit(typ, time, a)
    return true
  }

  private sweepBegin(typ: number, time: number, a: Float64Array): boolean {
    this.validate(MUST, MUST, MAY)
    const ps = this.pStates.get(this.p)
    if (!ps) throw broken(`GCSweepBegin for unknown proc ${this.p}`)
    beginRange(ps, EV.GCSweepBegin, 0)
    this.emit(typ, time, a)
    return true
  }

  private sweepActive(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const ps = this.pStates.get(a[0]!)
    if (!ps) throw broken(`encountered GCSweepActive for unknown proc ${a[0]}`)
    activeRange(ps, EV.GCSweepBegin, 0, gen === this.initialGen)
    this.emit(typ, time, a)
    return true
  }

  private sweepEnd(typ: number, time: number, a: Float64Array): boolean {
    this.validate(MUST, MUST, MAY)
    const ps = this.pStates.get(this.p)
    if (!ps) throw broken(`GCSweepEnd for unknown proc ${this.p}`)
    endRange(ps, typ)
    this.emit(typ, time, a)
    return true
  }

  /** STWBegin, GCMarkAssistBegin: a range of the running goroutine begins. */
  private rangeBegin(typ: number, time: number, a: Float64Array): boolean {
    this.userGo()
    const st = this.currentG()
    if (st < 0) throw broken(`encountered event of type ${typ} without known state for current goroutine ${this.g}`)
    beginRange(this.gStates.rangesOf(st), typ, typ === EV.STWBegin ? a[0]! : 0)
    this.emit(typ, time, a)
    return true
  }

  private markAssistActive(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const st = this.gStates.slot(a[0]!)
    if (st < 0) throw broken(`uninitialized goroutine ${a[0]} found during GCMarkAssistActive`)
    activeRange(this.gStates.rangesOf(st), EV.GCMarkAssistBegin, 0, gen === this.initialGen)
    this.emit(typ, time, a)
    return true
  }

  /** STWEnd, GCMarkAssistEnd. */
  private rangeEnd(typ: number, time: number, a: Float64Array): boolean {
    this.userGo()
    const st = this.currentG()
    if (st < 0) throw broken(`encountered event of type ${typ} without known state for current goroutine ${this.g}`)
    const desc = endRange(this.gStates.ranges[st] ?? NO_RANGES, typ)
    if (typ === EV.STWEnd) a[0] = desc
    this.emit(typ, time, a)
    return true
  }

  /** Experimental events (128-136) need only a thread; any other type is not part of the format. */
  private experimental(typ: number, time: number, a: Float64Array): boolean {
    if (typ >= 128 && typ <= 136) {
      this.validate(MUST, MAY, MAY)
      this.emit(typ, time, a)
      return true
    }
    throw broken(`bad event type found while ordering: ${typ}`)
  }

  private procStatus(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const pid = a[0]!
    const orig = a[1]!
    let status = orig
    if (status < 1 || status > 4) throw broken(`invalid status for proc ${pid}: ${status}`)
    let old: number = PROC_OLD[status]!
    const s = this.pStates.get(pid)
    if (s) {
      if (status === ProcStatus.SyscallAbandoned && s.status === ProcStatus.Syscall) {
        old = ProcState.Running
        status = ProcStatus.Syscall
      } else if (status === ProcStatus.SyscallAbandoned && s.status === ProcStatus.SyscallAbandoned) {
        old = ProcState.Idle
        status = ProcStatus.SyscallAbandoned
      } else if (s.status !== status) throw broken(`inconsistent status for proc ${pid}: old ${s.status} vs. new ${status}`)
      a[1] = status
      s.seqGen = gen
      s.seq = 0
    } else {
      this.pStates.set(pid, new PState(status, gen, 0))
      old = gen === this.initialGen ? ProcState.Undetermined : ProcState.NotExist
    }
    a[2] = old
    // Go decides these on the status as written, not the corrected one.
    if (orig === ProcStatus.Running || orig === ProcStatus.Syscall) this.nextP = pid
    let m = this.m
    let p = this.p
    let g = this.g
    if (orig === ProcStatus.SyscallAbandoned && old === ProcState.Running) {
      let found = false
      for (const [mid, ms] of this.mStates) {
        if (ms.p === pid) {
          m = mid
          p = pid
          g = ms.g
          found = true
        }
      }
      if (!found) throw broken(`failed to find sched context for proc ${pid} that's about to be stolen`)
    }
    this.sink.event(typ, time, m, p, g, a[0]!, a[1]!, a[2]!, a[3]!, null)
    return true
  }

  private procSteal(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const pid = a[0]!
    const st = this.pStates.get(pid)
    if (!st || (st.status !== ProcStatus.Syscall && st.status !== ProcStatus.SyscallAbandoned) || !succeeds(gen, a[1]!, st)) return false
    this.validate(MUST, MAY, MAY)
    const oldStatus = st.status
    a[3] = oldStatus
    st.status = ProcStatus.Idle
    st.seqGen = gen
    st.seq = a[1]!
    if (oldStatus === ProcStatus.SyscallAbandoned) {
      this.emit(typ, time, a)
      return true
    }
    const mid = a[2]!
    if (mid === this.m) {
      if (this.p !== pid) throw broken(`tried to self-steal proc ${pid} (thread ${mid}), but got proc ${this.p} instead`)
      this.emit(typ, time, a)
      this.nextP = NONE
      return true
    }
    const ms = this.mStates.get(mid)
    if (!ms) throw broken(`stole proc from non-existent thread ${mid}`)
    if (ms.p !== pid) throw broken(`tried to steal proc ${pid} from thread ${mid}, but got proc ${ms.p} instead`)
    ms.p = NONE
    this.emit(typ, time, a)
    return true
  }

  private goStatus(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const gid = a[0]!
    const mid = a[1]!
    const status = a[2]!
    if (status < 1 || status > 4) throw broken(`invalid status for goroutine ${gid}: ${status}`)
    let old: number = goStatusToState[status]!
    const gs = this.gStates
    const s = gs.slot(gid)
    if (s >= 0) {
      if (gs.status[s] !== status) throw broken(`inconsistent status for goroutine ${gid}: old ${STATUS_NAMES[gs.status[s]!]} vs. new ${STATUS_NAMES[status]}`)
      gs.sequence(s, gen, 0)
    } else if (gen === this.initialGen) {
      gs.add(gid, status, gen)
      old = GoState.Undetermined
    } else throw broken(`found goroutine status for new goroutine after the first generation: id=${gid} status=${STATUS_NAMES[status]}`)
    let m = this.m
    let g = this.g
    if (status === GoStatus.Running) this.nextG = gid
    else if (status === GoStatus.Syscall) {
      if (mid === NONE) throw broken(`found goroutine ${gid} in syscall without a thread`)
      if (mid === this.m) {
        if (gen !== this.initialGen && this.g !== gid) throw broken(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${this.g}`)
        this.nextG = gid
      } else {
        const ms = this.mStates.get(mid)
        if (ms) {
          if (ms.g !== gid) throw broken(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${ms.g}`)
          g = ms.g
        } else this.mStates.set(mid, { g: gid, p: NONE })
        m = mid
      }
    }
    // The old state travels beside the status (Go packs both into one argument).
    this.sink.event(typ, time, m, this.p, g, gid, mid, status | (old << 8), typ === EV.GoStatusStack ? a[3]! : 0, null)
    return true
  }
}
