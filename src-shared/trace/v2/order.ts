// The ordering engine: decides whether the next event of an M may happen now, given every goroutine's, P's and the
// GC's state and sequence numbers, and emits it (plus the synthetic events Go's reader adds for coroutine switches
// and implicit steals). Semantics follow Go's internal/trace order.go; "not ready" is not an error: the reader then
// tries another M.
//
// Two halves share the work: the WebAssembly half (src-wasm/order-engine.ts, through engine.ts) merges the Ms' events
// and advances the common ones; this half takes the rest, and every event that breaks a rule (it words the errors,
// after Go's). The state lives in the WebAssembly half's memory; emitted events go straight to the sink as arguments.
import { TraceFormatError } from '../errors'
import { EV, GoState, GoStatus, ProcState, ProcStatus, SPECS, goStatusToState } from '../spec'
import { orderEngine, type EngineExports } from './engine'

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

/** A goroutine's or P's in-flight ranges, kept here (few have any). */
function rangesIn<K>(map: Map<K, Ranges>, key: K): Ranges {
  let r = map.get(key)
  if (!r) {
    r = { inFlight: null }
    map.set(key, r)
  }
  return r
}

const NO_RANGES: Ranges = { inFlight: null }

function broken(message: string): TraceFormatError {
  return new TraceFormatError('inconsistent', message, -1)
}

/** An event type's method in the ordering engine (see Ordering.handlers). */
type Handler = (this: Ordering, typ: number, time: number, a: Float64Array, strings: Map<number, string>) => boolean

const MUST = 0
const MUST_NOT = 1
const MAY = 2

const GC_UNDETERMINED = 0
const GC_NOT_RUNNING = 1
const GC_RUNNING = 2

const STATUS_NAMES = ['Bad', 'Runnable', 'Running', 'Syscall', 'Waiting']
const PROC_OLD = [ProcState.Undetermined, ProcState.Running, ProcState.Idle, ProcState.Running, ProcState.Idle]

/**
 * The JavaScript half of the ordering engine: the events the WebAssembly half (engine.ts) leaves to it, the rare ones
 * and every one that breaks a rule (it words the error). The state of goroutines, Ps, Ms and the GC lives in the
 * WebAssembly half's memory, read and changed through `ex`; only what few goroutines and Ps have (in-flight ranges,
 * regions) and the tasks live here. A goroutine slot given ranges or regions is flagged, so that the WebAssembly half
 * leaves its end to this half, which forgets them.
 */
export class Ordering {
  readonly ex: EngineExports = orderEngine()
  /** In-flight ranges and regions of goroutines, by slot (a slot is reused once its goroutine is gone). */
  private readonly gRanges: (Ranges | null)[] = []
  private readonly gRegions: ({ task: number; name: string }[] | null)[] = []
  /** In-flight ranges of Ps, by P. */
  private readonly pRanges = new Map<number, Ranges>()
  readonly activeTasks = new Map<number, { name: string; parent: number }>()
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
   * Advances with an event of thread m that the WebAssembly half left pending (args are gen-local IDs and may be
   * rewritten). Returns false when it is not ready yet. `strings` resolves gen-local string IDs (task and region
   * names). Throws TraceFormatError when the trace is inconsistent.
   */
  advance(typ: number, time: number, args: Float64Array, m: number, gen: number, strings: Map<number, string>): boolean {
    const ex = this.ex
    let ms = -1
    this.m = m
    this.p = NONE
    this.g = NONE
    this.gen = gen
    if (m !== NONE) {
      ms = ex.mSlot(m)
      if (ms < 0) ms = ex.mAdd(m, NONE, NONE)
      this.p = ex.mP(ms)
      this.g = ex.mG(ms)
    }
    this.nextP = this.p
    this.nextG = this.g
    if (!this.dispatch(typ, time, args, strings)) return false
    if (ms >= 0) ex.mSet(ms, this.nextG, this.nextP)
    return true
  }

  private get initialGen(): number {
    return this.ex.initialGen()
  }

  // Goroutine state (in the WebAssembly half).
  private gSlot(id: number): number {
    return this.ex.gSlot(id)
  }
  private gStatus(s: number): number {
    return this.ex.gStatus(s)
  }
  private gSucceeds(s: number, gen: number, seq: number): boolean {
    return gen === this.ex.gSeqGen(s) && seq === this.ex.gSeq(s) + 1
  }
  private gRemove(id: number): void {
    const s = this.ex.gSlot(id)
    if (s < 0) return
    this.gRanges[s] = null
    this.gRegions[s] = null
    this.ex.gRemove(id)
  }
  /** Slot s's in-flight ranges, made on first use. */
  private gRangesOf(s: number): Ranges {
    let r = this.gRanges[s]
    if (!r) {
      r = this.gRanges[s] = { inFlight: null }
      this.ex.gSetFlag(s)
    }
    return r
  }
  // P state.
  private pSucceeds(s: number, gen: number, seq: number): boolean {
    return gen === this.ex.pSeqGen(s) && seq === this.ex.pSeq(s) + 1
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
    const st = this.gSlot(this.g)
    if (st < 0) throw broken(`event ${SPECS[typ]!.name} for goroutine (${this.g}) that doesn't exist`)
    if (this.gStatus(st) !== GoStatus.Running) throw broken(`${SPECS[typ]!.name} event for goroutine that's not Running`)
    return st
  }

  /** The current goroutine's slot; -1 when it does not exist. */
  private currentG(): number {
    return this.gSlot(this.g)
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
    const ex = this.ex
    const gen = this.gen
    const pid = a[0]!
    const st = ex.pSlot(pid)
    if (st < 0 || ex.pStatus(st) !== ProcStatus.Idle || !this.pSucceeds(st, gen, a[1]!) || this.p !== NONE) return false
    this.validate(MUST, MUST_NOT, MAY)
    ex.pSetStatus(st, ProcStatus.Running)
    ex.pSequence(st, gen, a[1]!)
    this.emit(typ, time, a)
    this.nextP = pid
    return true
  }

  private procStop(typ: number, time: number, a: Float64Array): boolean {
    const ex = this.ex
    const st = ex.pSlot(this.p)
    if (st < 0) throw broken(`event ProcStop for proc (${this.p}) that doesn't exist`)
    const status = ex.pStatus(st)
    if (status !== ProcStatus.Running && status !== ProcStatus.Syscall) throw broken('ProcStop event for proc that\'s not Running or Syscall')
    this.validate(MUST, MUST, MAY)
    ex.pSetStatus(st, ProcStatus.Idle)
    this.emit(typ, time, a)
    this.nextP = NONE
    return true
  }

  private goCreate(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    this.validate(MUST, MUST, MAY)
    const creator = this.currentG()
    if (creator >= 0 && this.gStatus(creator) !== GoStatus.Running) throw broken(`${SPECS[typ]!.name} event for goroutine that's not Running`)
    const id = a[0]!
    if (this.gSlot(id) >= 0) throw broken(`tried to create goroutine (${id}) that already exists`)
    this.ex.gAdd(id, typ === EV.GoCreateBlocked ? GoStatus.Waiting : GoStatus.Runnable, gen)
    this.emit(typ, time, a)
    return true
  }

  /** GoDestroy, GoStop, GoBlock: the running goroutine leaves its M. */
  private goLeave(typ: number, time: number, a: Float64Array): boolean {
    this.userGo()
    const st = this.runningG(typ)
    if (typ === EV.GoDestroy) this.gRemove(this.g)
    else this.ex.gSetStatus(st, typ === EV.GoStop ? GoStatus.Runnable : GoStatus.Waiting)
    this.emit(typ, time, a)
    this.nextG = NONE
    return true
  }

  private goStart(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const id = a[0]!
    const st = this.gSlot(id)
    if (st < 0 || this.gStatus(st) !== GoStatus.Runnable || !this.gSucceeds(st, gen, a[1]!)) return false
    this.validate(MUST, MUST, MUST_NOT)
    this.ex.gSetStatus(st, GoStatus.Running)
    this.ex.gSequence(st, gen, a[1]!)
    this.emit(typ, time, a)
    this.nextG = id
    return true
  }

  private goUnblock(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const st = this.gSlot(a[0]!)
    if (st < 0 || this.gStatus(st) !== GoStatus.Waiting || !this.gSucceeds(st, gen, a[1]!)) return false
    this.ex.gSetStatus(st, GoStatus.Runnable)
    this.ex.gSequence(st, gen, a[1]!)
    this.emit(typ, time, a)
    return true
  }

  /** A coroutine switch: Go adds the GoBlock (or GoDestroy) of the current goroutine and the GoStart of the next. */
  private goSwitch(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    this.userGo()
    const curSt = this.runningG(typ)
    const nextId = a[0]!
    const seq = a[1]!
    const nextSt = this.gSlot(nextId)
    if (nextSt < 0 || this.gStatus(nextSt) !== GoStatus.Waiting || !this.gSucceeds(nextSt, gen, seq)) return false
    this.emit(typ, time, a)
    if (typ === EV.GoSwitch) {
      this.ex.gSetStatus(curSt, GoStatus.Waiting)
      this.sink.event(EV.GoBlock, time, this.m, this.p, this.g, 0, 0, 0, 0, null)
    } else {
      this.gRemove(this.g)
      this.sink.event(EV.GoDestroy, time, this.m, this.p, this.g, 0, 0, 0, 0, null)
    }
    this.ex.gSetStatus(nextSt, GoStatus.Running)
    this.ex.gSequence(nextSt, gen, seq)
    this.sink.event(EV.GoStart, time, this.m, this.p, NONE, nextId, seq, 0, 0, null)
    this.nextG = nextId
    return true
  }

  private syscallBegin(typ: number, time: number, a: Float64Array): boolean {
    const ex = this.ex
    const gen = this.gen
    this.userGo()
    const st = this.currentG()
    if (st < 0) throw broken(`event GoSyscallBegin for goroutine (${this.g}) that doesn't exist`)
    if (this.gStatus(st) !== GoStatus.Running) throw broken('GoSyscallBegin event for goroutine that\'s not Running')
    ex.gSetStatus(st, GoStatus.Syscall)
    const ps = ex.pSlot(this.p)
    if (ps < 0) throw broken(`uninitialized proc ${this.p} found during GoSyscallBegin`)
    ex.pSetStatus(ps, ProcStatus.Syscall)
    if (!this.pSucceeds(ps, gen, a[0]!)) throw broken(`failed to advance GoSyscallBegin: can't make sequence: ${ex.pSeq(ps)} (gen=${ex.pSeqGen(ps)}) -> ${a[0]} (gen=${gen})`)
    ex.pSequence(ps, gen, a[0]!)
    this.emit(typ, time, a)
    return true
  }

  private syscallEnd(typ: number, time: number, a: Float64Array): boolean {
    const ex = this.ex
    this.userGo()
    const st = this.currentG()
    if (st < 0) throw broken(`event GoSyscallEnd for goroutine (${this.g}) that doesn't exist`)
    if (this.gStatus(st) !== GoStatus.Syscall) throw broken('GoSyscallEnd event for goroutine that\'s not Running')
    ex.gSetStatus(st, GoStatus.Running)
    const ps = ex.pSlot(this.p)
    if (ps < 0) throw broken(`uninitialized proc ${this.p} found during GoSyscallEnd`)
    const status = ex.pStatus(ps)
    if (status !== ProcStatus.Syscall) throw broken(`expected proc ${this.p} in state Syscall, but got ${STATUS_NAMES[status]} instead`)
    ex.pSetStatus(ps, ProcStatus.Running)
    this.emit(typ, time, a)
    return true
  }

  private syscallEndBlocked(typ: number, time: number, a: Float64Array): boolean {
    const ex = this.ex
    if (this.p !== NONE) {
      const ps = ex.pSlot(this.p)
      if (ps < 0) throw broken(`uninitialized proc ${this.p} found during GoSyscallEndBlocked`)
      if (ex.pStatus(ps) === ProcStatus.Syscall) return false
    }
    this.validate(MUST, MAY, MUST)
    const st = this.currentG()
    if (st < 0) throw broken(`event GoSyscallEndBlocked for goroutine (${this.g}) that doesn't exist`)
    if (this.gStatus(st) !== GoStatus.Syscall) throw broken('GoSyscallEndBlocked event for goroutine that\'s not Running')
    ex.gSetStatus(st, GoStatus.Runnable)
    this.emit(typ, time, a)
    this.nextG = NONE
    return true
  }

  private goCreateSyscall(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    this.validate(MUST, MAY, MUST_NOT)
    const id = a[0]!
    if (this.gSlot(id) >= 0) throw broken(`tried to create goroutine (${id}) in syscall that already exists`)
    this.ex.gAdd(id, GoStatus.Syscall, gen)
    this.emit(typ, time, a)
    this.nextG = id
    return true
  }

  private goDestroySyscall(typ: number, time: number, a: Float64Array): boolean {
    const ex = this.ex
    this.validate(MUST, MAY, MUST)
    const st = this.currentG()
    if (st < 0) throw broken(`event GoDestroySyscall for goroutine (${this.g}) that doesn't exist`)
    if (this.gStatus(st) !== GoStatus.Syscall) throw broken('GoDestroySyscall event for goroutine that\'s not Syscall')
    this.gRemove(this.g)
    this.nextG = NONE
    if (this.p !== NONE) {
      const ps = ex.pSlot(this.p)
      if (ps < 0) throw broken(`found invalid proc ${this.p} during GoDestroySyscall`)
      if (ex.pStatus(ps) !== ProcStatus.Syscall) throw broken(`proc ${this.p} in unexpected state during GoDestroySyscall`)
      ex.pSetStatus(ps, ProcStatus.SyscallAbandoned)
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
    const regions = this.gRegions
    if (typ === EV.UserRegionBegin) {
      let open = regions[st]
      if (!open) {
        open = regions[st] = []
        this.ex.gSetFlag(st)
      }
      open.push(r)
    } else {
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
    const ex = this.ex
    const gen = this.gen
    const seq = a[0]!
    if (gen === this.initialGen) {
      if (ex.gcState() !== GC_UNDETERMINED) throw broken('GCActive in the first generation isn\'t first GC event')
      ex.gcSet(seq, GC_RUNNING)
      this.emit(typ, time, a)
      return true
    }
    if (seq !== ex.gcSeq() + 1) return false
    if (ex.gcState() !== GC_RUNNING) throw broken('encountered GCActive while GC was not in progress')
    ex.gcSet(seq, ex.gcState())
    this.userGo()
    this.emit(typ, time, a)
    return true
  }

  private gcBegin(typ: number, time: number, a: Float64Array): boolean {
    const ex = this.ex
    const seq = a[0]!
    if (ex.gcState() === GC_UNDETERMINED) {
      ex.gcSet(seq, GC_RUNNING)
      this.emit(typ, time, a)
      return true
    }
    if (seq !== ex.gcSeq() + 1) return false
    if (ex.gcState() === GC_RUNNING) throw broken('encountered GCBegin while GC was already in progress')
    ex.gcSet(seq, GC_RUNNING)
    this.userGo()
    this.emit(typ, time, a)
    return true
  }

  private gcEnd(typ: number, time: number, a: Float64Array): boolean {
    const ex = this.ex
    const seq = a[0]!
    if (seq !== ex.gcSeq() + 1) return false
    if (ex.gcState() === GC_NOT_RUNNING) throw broken('encountered GCEnd when GC was not in progress')
    if (ex.gcState() === GC_UNDETERMINED) throw broken('encountered GCEnd when GC was in an undetermined state')
    ex.gcSet(seq, GC_NOT_RUNNING)
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
    if (this.ex.pSlot(this.p) < 0) throw broken(`GCSweepBegin for unknown proc ${this.p}`)
    beginRange(rangesIn(this.pRanges, this.p), EV.GCSweepBegin, 0)
    this.emit(typ, time, a)
    return true
  }

  private sweepActive(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    if (this.ex.pSlot(a[0]!) < 0) throw broken(`encountered GCSweepActive for unknown proc ${a[0]}`)
    activeRange(rangesIn(this.pRanges, a[0]!), EV.GCSweepBegin, 0, gen === this.initialGen)
    this.emit(typ, time, a)
    return true
  }

  private sweepEnd(typ: number, time: number, a: Float64Array): boolean {
    this.validate(MUST, MUST, MAY)
    if (this.ex.pSlot(this.p) < 0) throw broken(`GCSweepEnd for unknown proc ${this.p}`)
    endRange(this.pRanges.get(this.p) ?? NO_RANGES, typ)
    this.emit(typ, time, a)
    return true
  }

  /** STWBegin, GCMarkAssistBegin: a range of the running goroutine begins. */
  private rangeBegin(typ: number, time: number, a: Float64Array): boolean {
    this.userGo()
    const st = this.currentG()
    if (st < 0) throw broken(`encountered event of type ${typ} without known state for current goroutine ${this.g}`)
    beginRange(this.gRangesOf(st), typ, typ === EV.STWBegin ? a[0]! : 0)
    this.emit(typ, time, a)
    return true
  }

  private markAssistActive(typ: number, time: number, a: Float64Array): boolean {
    const gen = this.gen
    const st = this.gSlot(a[0]!)
    if (st < 0) throw broken(`uninitialized goroutine ${a[0]} found during GCMarkAssistActive`)
    activeRange(this.gRangesOf(st), EV.GCMarkAssistBegin, 0, gen === this.initialGen)
    this.emit(typ, time, a)
    return true
  }

  /** STWEnd, GCMarkAssistEnd. */
  private rangeEnd(typ: number, time: number, a: Float64Array): boolean {
    this.userGo()
    const st = this.currentG()
    if (st < 0) throw broken(`encountered event of type ${typ} without known state for current goroutine ${this.g}`)
    const desc = endRange(this.gRanges[st] ?? NO_RANGES, typ)
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
    const ex = this.ex
    const gen = this.gen
    const pid = a[0]!
    const orig = a[1]!
    let status = orig
    if (status < 1 || status > 4) throw broken(`invalid status for proc ${pid}: ${status}`)
    let old: number = PROC_OLD[status]!
    const s = ex.pSlot(pid)
    if (s >= 0) {
      const was = ex.pStatus(s)
      if (status === ProcStatus.SyscallAbandoned && was === ProcStatus.Syscall) {
        old = ProcState.Running
        status = ProcStatus.Syscall
      } else if (status === ProcStatus.SyscallAbandoned && was === ProcStatus.SyscallAbandoned) {
        old = ProcState.Idle
        status = ProcStatus.SyscallAbandoned
      } else if (was !== status) throw broken(`inconsistent status for proc ${pid}: old ${was} vs. new ${status}`)
      a[1] = status
      ex.pSequence(s, gen, 0)
    } else {
      ex.pAdd(pid, status, gen, 0)
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
      for (let ms = 0; ms < ex.mCountOf(); ms++) {
        if (ex.mP(ms) === pid) {
          m = ex.mId(ms)
          p = pid
          g = ex.mG(ms)
          found = true
        }
      }
      if (!found) throw broken(`failed to find sched context for proc ${pid} that's about to be stolen`)
    }
    this.sink.event(typ, time, m, p, g, a[0]!, a[1]!, a[2]!, a[3]!, null)
    return true
  }

  private procSteal(typ: number, time: number, a: Float64Array): boolean {
    const ex = this.ex
    const gen = this.gen
    const pid = a[0]!
    const st = ex.pSlot(pid)
    if (st < 0) return false
    const oldStatus = ex.pStatus(st)
    if ((oldStatus !== ProcStatus.Syscall && oldStatus !== ProcStatus.SyscallAbandoned) || !this.pSucceeds(st, gen, a[1]!)) return false
    this.validate(MUST, MAY, MAY)
    a[3] = oldStatus
    ex.pSetStatus(st, ProcStatus.Idle)
    ex.pSequence(st, gen, a[1]!)
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
    const ms = ex.mSlot(mid)
    if (ms < 0) throw broken(`stole proc from non-existent thread ${mid}`)
    if (ex.mP(ms) !== pid) throw broken(`tried to steal proc ${pid} from thread ${mid}, but got proc ${ex.mP(ms)} instead`)
    ex.mSet(ms, ex.mG(ms), NONE)
    this.emit(typ, time, a)
    return true
  }

  private goStatus(typ: number, time: number, a: Float64Array): boolean {
    const ex = this.ex
    const gen = this.gen
    const gid = a[0]!
    const mid = a[1]!
    const status = a[2]!
    if (status < 1 || status > 4) throw broken(`invalid status for goroutine ${gid}: ${status}`)
    let old: number = goStatusToState[status]!
    const s = this.gSlot(gid)
    if (s >= 0) {
      const was = this.gStatus(s)
      if (was !== status) throw broken(`inconsistent status for goroutine ${gid}: old ${STATUS_NAMES[was]} vs. new ${STATUS_NAMES[status]}`)
      ex.gSequence(s, gen, 0)
    } else if (gen === this.initialGen) {
      ex.gAdd(gid, status, gen)
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
        const ms = ex.mSlot(mid)
        if (ms >= 0) {
          if (ex.mG(ms) !== gid) throw broken(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${ex.mG(ms)}`)
          g = ex.mG(ms)
        } else ex.mAdd(mid, gid, NONE)
        m = mid
      }
    }
    // The old state travels beside the status (Go packs both into one argument).
    this.sink.event(typ, time, m, this.p, g, gid, mid, status | (old << 8), typ === EV.GoStatusStack ? a[3]! : 0, null)
    return true
  }
}
