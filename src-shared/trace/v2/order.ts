// The ordering engine: decides whether the next event of an M may happen now, given every goroutine's, P's and the
// GC's state and sequence numbers, and emits it (plus the synthetic events Go's reader adds for coroutine switches
// and implicit steals). Semantics follow Go's internal/trace order.go; "not ready" is not an error: the reader then
// tries another M.
import { TraceFormatError } from '../errors'
import { EV, GoState, GoStatus, ProcState, ProcStatus, SPECS, goStatusToState } from '../spec'

export const NONE = -1

export interface Ctx {
  g: number
  p: number
  m: number
}

/** A decoded event on its way out: wire type, time (ns), context before it, arguments (gen-local IDs). */
export interface OrderedEvent {
  typ: number
  time: number
  ctx: Ctx
  args: number[]
}

interface Seq {
  gen: number
  seq: number
}
const succeeds = (a: Seq, b: Seq) => a.gen === b.gen && a.seq === b.seq + 1

interface RangeType {
  typ: number
  desc: number
}

class RangeState {
  inFlight: RangeType[] = []
  has(r: RangeType) {
    return this.inFlight.some((x) => x.typ === r.typ && x.desc === r.desc)
  }
  begin(r: RangeType) {
    if (this.has(r)) throw broken(`discovered event already in-flight for when starting event ${SPECS[r.typ]!.name}`)
    this.inFlight.push(r)
  }
  active(r: RangeType, initialGen: boolean) {
    if (initialGen) {
      if (this.has(r)) throw broken(`found named active range already in first gen: ${r.typ}`)
      this.inFlight.push(r)
    } else if (!this.has(r)) throw broken(`resource is missing active range: ${SPECS[r.typ]!.name}`)
  }
  end(typ: number): number {
    const st = startOf(typ)
    const idx = this.inFlight.findIndex((r) => r.typ === st)
    if (idx < 0) throw broken(`tried to end event ${SPECS[st]!.name}, but not in-flight`)
    const desc = this.inFlight[idx]!.desc
    this.inFlight[idx] = this.inFlight[this.inFlight.length - 1]!
    this.inFlight.pop()
    return desc
  }
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

class GState extends RangeState {
  regions: { task: number; name: string }[] = []
  constructor(public status: number, public seq: Seq) {
    super()
  }
}

class PState extends RangeState {
  constructor(public status: number, public seq: Seq) {
    super()
  }
}

function broken(message: string): TraceFormatError {
  return new TraceFormatError('inconsistent', message, -1)
}

type Need = 'must' | 'mustNot' | 'may'
function validate(ctx: Ctx, m: Need, p: Need, g: Need): void {
  if (m === 'must' && ctx.m === NONE) throw broken('expected a thread but didn\'t have one')
  if (m === 'mustNot' && ctx.m !== NONE) throw broken('expected no thread but had one')
  if (p === 'must' && ctx.p === NONE) throw broken('expected a proc but didn\'t have one')
  if (p === 'mustNot' && ctx.p !== NONE) throw broken('expected no proc but had one')
  if (g === 'must' && ctx.g === NONE) throw broken('expected a goroutine but didn\'t have one')
  if (g === 'mustNot' && ctx.g !== NONE) throw broken('expected no goroutine but had one')
}
const userGo = (ctx: Ctx) => validate(ctx, 'must', 'must', 'must')

const STATUS_NAMES = ['Bad', 'Runnable', 'Running', 'Syscall', 'Waiting']

export class Ordering {
  readonly gStates = new Map<number, GState>()
  readonly pStates = new Map<number, PState>()
  readonly mStates = new Map<number, { g: number; p: number }>()
  readonly activeTasks = new Map<number, { name: string; parent: number }>()
  gcSeq = 0
  gcState: 'undetermined' | 'notRunning' | 'running' = 'undetermined'
  initialGen = 0
  readonly queue: OrderedEvent[] = []

  constructor(private readonly version: number) {}

  /**
   * Tries to advance with ev from thread m. Returns false when it is not ready yet. `strings` resolves gen-local
   * string IDs (for task and region names). Throws TraceFormatError when the trace is inconsistent.
   */
  advance(ev: OrderedEvent, m: number, gen: number, strings: Map<number, string>): boolean {
    if (this.initialGen === 0) this.initialGen = gen
    let ms: { g: number; p: number } | undefined
    const cur: Ctx = { m, p: NONE, g: NONE }
    if (m !== NONE) {
      ms = this.mStates.get(m)
      if (!ms) {
        ms = { g: NONE, p: NONE }
        this.mStates.set(m, ms)
      }
      cur.p = ms.p
      cur.g = ms.g
    }
    const next = this.dispatch(ev, cur, gen, strings)
    if (next === null) return false
    if (ms) {
      ms.p = next.p
      ms.g = next.g
    }
    return true
  }

  private emit(ev: OrderedEvent, ctx: Ctx): void {
    this.queue.push({ typ: ev.typ, time: ev.time, ctx: { ...ctx }, args: ev.args.slice() })
  }

  private dispatch(ev: OrderedEvent, cur: Ctx, gen: number, strings: Map<number, string>): Ctx | null {
    const a = ev.args
    switch (ev.typ) {
      case EV.ProcsChange:
      case EV.GoLabel:
      case EV.UserLog:
        userGo(cur)
        this.emit(ev, cur)
        return cur
      case EV.ProcStatus: return this.procStatus(ev, cur, gen)
      case EV.ProcStart: {
        const pid = a[0]!
        const seq = { gen, seq: a[1]! }
        const st = this.pStates.get(pid)
        if (!st || st.status !== ProcStatus.Idle || !succeeds(seq, st.seq) || cur.p !== NONE) return null
        validate(cur, 'must', 'mustNot', 'may')
        st.status = ProcStatus.Running
        st.seq = seq
        this.emit(ev, cur)
        return { ...cur, p: pid }
      }
      case EV.ProcStop: {
        const st = this.pStates.get(cur.p)
        if (!st) throw broken(`event ProcStop for proc (${cur.p}) that doesn't exist`)
        if (st.status !== ProcStatus.Running && st.status !== ProcStatus.Syscall) throw broken('ProcStop event for proc that\'s not Running or Syscall')
        validate(cur, 'must', 'must', 'may')
        st.status = ProcStatus.Idle
        this.emit(ev, cur)
        return { ...cur, p: NONE }
      }
      case EV.ProcSteal: return this.procSteal(ev, cur, gen)
      case EV.GoStatus:
      case EV.GoStatusStack: return this.goStatus(ev, cur, gen)
      case EV.GoCreate:
      case EV.GoCreateBlocked: {
        validate(cur, 'must', 'must', 'may')
        const creator = this.gStates.get(cur.g)
        if (creator && creator.status !== GoStatus.Running) throw broken(`${SPECS[ev.typ]!.name} event for goroutine that's not Running`)
        const id = a[0]!
        if (this.gStates.has(id)) throw broken(`tried to create goroutine (${id}) that already exists`)
        this.gStates.set(id, new GState(ev.typ === EV.GoCreateBlocked ? GoStatus.Waiting : GoStatus.Runnable, { gen, seq: 0 }))
        this.emit(ev, cur)
        return cur
      }
      case EV.GoDestroy:
      case EV.GoStop:
      case EV.GoBlock: {
        userGo(cur)
        const st = this.gStates.get(cur.g)
        if (!st) throw broken(`event ${SPECS[ev.typ]!.name} for goroutine (${cur.g}) that doesn't exist`)
        if (st.status !== GoStatus.Running) throw broken(`${SPECS[ev.typ]!.name} event for goroutine that's not Running`)
        if (ev.typ === EV.GoDestroy) this.gStates.delete(cur.g)
        else st.status = ev.typ === EV.GoStop ? GoStatus.Runnable : GoStatus.Waiting
        this.emit(ev, cur)
        return { ...cur, g: NONE }
      }
      case EV.GoStart: {
        const id = a[0]!
        const seq = { gen, seq: a[1]! }
        const st = this.gStates.get(id)
        if (!st || st.status !== GoStatus.Runnable || !succeeds(seq, st.seq)) return null
        validate(cur, 'must', 'must', 'mustNot')
        st.status = GoStatus.Running
        st.seq = seq
        this.emit(ev, cur)
        return { ...cur, g: id }
      }
      case EV.GoUnblock: {
        const st = this.gStates.get(a[0]!)
        const seq = { gen, seq: a[1]! }
        if (!st || st.status !== GoStatus.Waiting || !succeeds(seq, st.seq)) return null
        st.status = GoStatus.Runnable
        st.seq = seq
        this.emit(ev, cur)
        return cur
      }
      case EV.GoSwitch:
      case EV.GoSwitchDestroy: {
        userGo(cur)
        const curSt = this.gStates.get(cur.g)
        if (!curSt) throw broken(`event ${SPECS[ev.typ]!.name} for goroutine (${cur.g}) that doesn't exist`)
        if (curSt.status !== GoStatus.Running) throw broken(`${SPECS[ev.typ]!.name} event for goroutine that's not Running`)
        const nextId = a[0]!
        const seq = { gen, seq: a[1]! }
        const nextSt = this.gStates.get(nextId)
        if (!nextSt || nextSt.status !== GoStatus.Waiting || !succeeds(seq, nextSt.seq)) return null
        this.emit(ev, cur)
        if (ev.typ === EV.GoSwitch) {
          curSt.status = GoStatus.Waiting
          this.emit({ typ: EV.GoBlock, time: ev.time, ctx: cur, args: [0, 0, 0, 0] }, cur)
        } else {
          this.gStates.delete(cur.g)
          this.emit({ typ: EV.GoDestroy, time: ev.time, ctx: cur, args: [0, 0, 0, 0] }, cur)
        }
        nextSt.status = GoStatus.Running
        nextSt.seq = seq
        this.emit({ typ: EV.GoStart, time: ev.time, ctx: cur, args: [nextId, a[1]!, 0, 0] }, { ...cur, g: NONE })
        return { ...cur, g: nextId }
      }
      case EV.GoSyscallBegin: {
        userGo(cur)
        const st = this.gStates.get(cur.g)
        if (!st) throw broken(`event GoSyscallBegin for goroutine (${cur.g}) that doesn't exist`)
        if (st.status !== GoStatus.Running) throw broken('GoSyscallBegin event for goroutine that\'s not Running')
        st.status = GoStatus.Syscall
        const ps = this.pStates.get(cur.p)
        if (!ps) throw broken(`uninitialized proc ${cur.p} found during GoSyscallBegin`)
        ps.status = ProcStatus.Syscall
        const pSeq = { gen, seq: a[0]! }
        if (!succeeds(pSeq, ps.seq)) throw broken(`failed to advance GoSyscallBegin: can't make sequence: ${ps.seq.seq} (gen=${ps.seq.gen}) -> ${pSeq.seq} (gen=${gen})`)
        ps.seq = pSeq
        this.emit(ev, cur)
        return cur
      }
      case EV.GoSyscallEnd: {
        userGo(cur)
        const st = this.gStates.get(cur.g)
        if (!st) throw broken(`event GoSyscallEnd for goroutine (${cur.g}) that doesn't exist`)
        if (st.status !== GoStatus.Syscall) throw broken('GoSyscallEnd event for goroutine that\'s not Running')
        st.status = GoStatus.Running
        const ps = this.pStates.get(cur.p)
        if (!ps) throw broken(`uninitialized proc ${cur.p} found during GoSyscallEnd`)
        if (ps.status !== ProcStatus.Syscall) throw broken(`expected proc ${cur.p} in state Syscall, but got ${STATUS_NAMES[ps.status]} instead`)
        ps.status = ProcStatus.Running
        this.emit(ev, cur)
        return cur
      }
      case EV.GoSyscallEndBlocked: {
        if (cur.p !== NONE) {
          const ps = this.pStates.get(cur.p)
          if (!ps) throw broken(`uninitialized proc ${cur.p} found during GoSyscallEndBlocked`)
          if (ps.status === ProcStatus.Syscall) return null
        }
        validate(cur, 'must', 'may', 'must')
        const st = this.gStates.get(cur.g)
        if (!st) throw broken(`event GoSyscallEndBlocked for goroutine (${cur.g}) that doesn't exist`)
        if (st.status !== GoStatus.Syscall) throw broken('GoSyscallEndBlocked event for goroutine that\'s not Running')
        st.status = GoStatus.Runnable
        this.emit(ev, cur)
        return { ...cur, g: NONE }
      }
      case EV.GoCreateSyscall: {
        validate(cur, 'must', 'may', 'mustNot')
        const id = a[0]!
        if (this.gStates.has(id)) throw broken(`tried to create goroutine (${id}) in syscall that already exists`)
        this.gStates.set(id, new GState(GoStatus.Syscall, { gen, seq: 0 }))
        this.emit(ev, cur)
        return { ...cur, g: id }
      }
      case EV.GoDestroySyscall: {
        validate(cur, 'must', 'may', 'must')
        const st = this.gStates.get(cur.g)
        if (!st) throw broken(`event GoDestroySyscall for goroutine (${cur.g}) that doesn't exist`)
        if (st.status !== GoStatus.Syscall) throw broken('GoDestroySyscall event for goroutine that\'s not Syscall')
        this.gStates.delete(cur.g)
        const next = { ...cur, g: NONE }
        if (cur.p !== NONE) {
          const ps = this.pStates.get(cur.p)
          if (!ps) throw broken(`found invalid proc ${cur.p} during GoDestroySyscall`)
          if (ps.status !== ProcStatus.Syscall) throw broken(`proc ${cur.p} in unexpected state during GoDestroySyscall`)
          ps.status = ProcStatus.SyscallAbandoned
          next.p = NONE
          // Go adds an implicit steal of the P the callback held, by the same M.
          this.emit({ typ: EV.ProcSteal, time: ev.time, ctx: cur, args: [cur.p, 0, 0, ProcStatus.Syscall] }, cur)
        }
        this.emit(ev, cur)
        return next
      }
      case EV.UserTaskBegin: {
        const id = a[0]!
        if (this.activeTasks.has(id)) throw broken(`task ID conflict: ${id}`)
        let parent = a[1]!
        if (parent === 0) {
          parent = NONE // NoTask
          a[1] = NONE
        }
        const name = strings.get(a[2]!)
        if (name === undefined && a[2] !== 0) throw broken(`invalid string ID ${a[2]} for ${ev.typ} event`)
        this.activeTasks.set(id, { name: name ?? '', parent })
        userGo(cur)
        this.emit(ev, cur)
        return cur
      }
      case EV.UserTaskEnd: {
        const task = this.activeTasks.get(a[0]!)
        // Carry the task's parent and name (they may be in another generation's table).
        const out = { ...ev, args: [a[0]!, a[1]!, task ? task.parent : NONE, 0] }
        ;(out as OrderedEvent & { extraName?: string }).extraName = task ? task.name : ''
        if (task) this.activeTasks.delete(a[0]!)
        userGo(cur)
        this.queue.push({ ...out, ctx: { ...cur } })
        return cur
      }
      case EV.UserRegionBegin:
      case EV.UserRegionEnd: {
        userGo(cur)
        const name = strings.get(a[1]!)
        if (name === undefined && a[1] !== 0) throw broken(`invalid string ID ${a[1]} for ${ev.typ} event`)
        const st = this.gStates.get(cur.g)
        if (!st) throw broken(`encountered EvUserRegion${ev.typ === EV.UserRegionBegin ? 'Begin' : 'End'} without known state for current goroutine ${cur.g}`)
        const r = { task: a[0]!, name: name ?? '' }
        if (ev.typ === EV.UserRegionBegin) st.regions.push(r)
        else if (st.regions.length > 0) {
          const top = st.regions[st.regions.length - 1]!
          if (top.task !== r.task || top.name !== r.name) throw broken(`misuse of region in goroutine ${cur.g}: region end when the inner-most active region start event is different`)
          st.regions.pop()
        }
        this.emit(ev, cur)
        return cur
      }
      case EV.GCActive: {
        const seq = a[0]!
        if (gen === this.initialGen) {
          if (this.gcState !== 'undetermined') throw broken('GCActive in the first generation isn\'t first GC event')
          this.gcSeq = seq
          this.gcState = 'running'
          this.emit(ev, cur)
          return cur
        }
        if (seq !== this.gcSeq + 1) return null
        if (this.gcState !== 'running') throw broken('encountered GCActive while GC was not in progress')
        this.gcSeq = seq
        userGo(cur)
        this.emit(ev, cur)
        return cur
      }
      case EV.GCBegin: {
        const seq = a[0]!
        if (this.gcState === 'undetermined') {
          this.gcSeq = seq
          this.gcState = 'running'
          this.emit(ev, cur)
          return cur
        }
        if (seq !== this.gcSeq + 1) return null
        if (this.gcState === 'running') throw broken('encountered GCBegin while GC was already in progress')
        this.gcSeq = seq
        this.gcState = 'running'
        userGo(cur)
        this.emit(ev, cur)
        return cur
      }
      case EV.GCEnd: {
        const seq = a[0]!
        if (seq !== this.gcSeq + 1) return null
        if (this.gcState === 'notRunning') throw broken('encountered GCEnd when GC was not in progress')
        if (this.gcState === 'undetermined') throw broken('encountered GCEnd when GC was in an undetermined state')
        this.gcSeq = seq
        this.gcState = 'notRunning'
        userGo(cur)
        this.emit(ev, cur)
        return cur
      }
      case EV.HeapAlloc:
      case EV.HeapGoal:
        validate(cur, 'must', 'must', 'may')
        this.emit(ev, cur)
        return cur
      case EV.GCSweepBegin: {
        validate(cur, 'must', 'must', 'may')
        const ps = this.pStates.get(cur.p)
        if (!ps) throw broken(`GCSweepBegin for unknown proc ${cur.p}`)
        ps.begin({ typ: EV.GCSweepBegin, desc: 0 })
        this.emit(ev, cur)
        return cur
      }
      case EV.GCSweepActive: {
        const ps = this.pStates.get(a[0]!)
        if (!ps) throw broken(`encountered GCSweepActive for unknown proc ${a[0]}`)
        ps.active({ typ: EV.GCSweepBegin, desc: 0 }, gen === this.initialGen)
        this.emit(ev, cur)
        return cur
      }
      case EV.GCSweepEnd: {
        validate(cur, 'must', 'must', 'may')
        const ps = this.pStates.get(cur.p)
        if (!ps) throw broken(`GCSweepEnd for unknown proc ${cur.p}`)
        ps.end(ev.typ)
        this.emit(ev, cur)
        return cur
      }
      case EV.STWBegin:
      case EV.GCMarkAssistBegin: {
        userGo(cur)
        const st = this.gStates.get(cur.g)
        if (!st) throw broken(`encountered event of type ${ev.typ} without known state for current goroutine ${cur.g}`)
        st.begin({ typ: ev.typ, desc: ev.typ === EV.STWBegin ? a[0]! : 0 })
        this.emit(ev, cur)
        return cur
      }
      case EV.GCMarkAssistActive: {
        const st = this.gStates.get(a[0]!)
        if (!st) throw broken(`uninitialized goroutine ${a[0]} found during GCMarkAssistActive`)
        st.active({ typ: EV.GCMarkAssistBegin, desc: 0 }, gen === this.initialGen)
        this.emit(ev, cur)
        return cur
      }
      case EV.STWEnd:
      case EV.GCMarkAssistEnd: {
        userGo(cur)
        const st = this.gStates.get(cur.g)
        if (!st) throw broken(`encountered event of type ${ev.typ} without known state for current goroutine ${cur.g}`)
        const desc = st.end(ev.typ)
        if (ev.typ === EV.STWEnd) ev.args[0] = desc
        this.emit(ev, cur)
        return cur
      }
      default:
        if (ev.typ >= 128 && ev.typ <= 136) {
          validate(cur, 'must', 'may', 'may')
          this.emit(ev, cur)
          return cur
        }
        throw broken(`bad event type found while ordering: ${ev.typ}`)
    }
  }

  private procStatus(ev: OrderedEvent, cur: Ctx, gen: number): Ctx {
    const a = ev.args
    const pid = a[0]!
    const orig = a[1]!
    let status = orig
    if (status < 1 || status > 4) throw broken(`invalid status for proc ${pid}: ${status}`)
    let old: number = [ProcState.Undetermined, ProcState.Running, ProcState.Idle, ProcState.Running, ProcState.Idle][status]!
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
      s.seq = { gen, seq: 0 }
    } else {
      this.pStates.set(pid, new PState(status, { gen, seq: 0 }))
      old = gen === this.initialGen ? ProcState.Undetermined : ProcState.NotExist
    }
    a[2] = old
    const next = { ...cur }
    // Go decides these on the status as written, not the corrected one.
    if (orig === ProcStatus.Running || orig === ProcStatus.Syscall) next.p = pid
    const evCtx = { ...cur }
    if (orig === ProcStatus.SyscallAbandoned && old === ProcState.Running) {
      let found = false
      for (const [mid, ms] of this.mStates) {
        if (ms.p === pid) {
          evCtx.m = mid
          evCtx.p = pid
          evCtx.g = ms.g
          found = true
        }
      }
      if (!found) throw broken(`failed to find sched context for proc ${pid} that's about to be stolen`)
    }
    this.emit(ev, evCtx)
    return next
  }

  private procSteal(ev: OrderedEvent, cur: Ctx, gen: number): Ctx | null {
    const a = ev.args
    const pid = a[0]!
    const seq = { gen, seq: a[1]! }
    const st = this.pStates.get(pid)
    if (!st || (st.status !== ProcStatus.Syscall && st.status !== ProcStatus.SyscallAbandoned) || !succeeds(seq, st.seq)) return null
    validate(cur, 'must', 'may', 'may')
    const oldStatus = st.status
    a[3] = oldStatus
    st.status = ProcStatus.Idle
    st.seq = seq
    if (oldStatus === ProcStatus.SyscallAbandoned) {
      this.emit(ev, cur)
      return cur
    }
    const mid = a[2]!
    if (mid === cur.m) {
      if (cur.p !== pid) throw broken(`tried to self-steal proc ${pid} (thread ${mid}), but got proc ${cur.p} instead`)
      this.emit(ev, cur)
      return { ...cur, p: NONE }
    }
    const ms = this.mStates.get(mid)
    if (!ms) throw broken(`stole proc from non-existent thread ${mid}`)
    if (ms.p !== pid) throw broken(`tried to steal proc ${pid} from thread ${mid}, but got proc ${ms.p} instead`)
    ms.p = NONE
    this.emit(ev, cur)
    return cur
  }

  private goStatus(ev: OrderedEvent, cur: Ctx, gen: number): Ctx {
    const a = ev.args
    const gid = a[0]!
    const mid = a[1]!
    const status = a[2]!
    if (status < 1 || status > 4) throw broken(`invalid status for goroutine ${gid}: ${status}`)
    let old: number = goStatusToState[status]!
    const s = this.gStates.get(gid)
    if (s) {
      if (s.status !== status) throw broken(`inconsistent status for goroutine ${gid}: old ${STATUS_NAMES[s.status]} vs. new ${STATUS_NAMES[status]}`)
      s.seq = { gen, seq: 0 }
    } else if (gen === this.initialGen) {
      this.gStates.set(gid, new GState(status, { gen, seq: 0 }))
      old = GoState.Undetermined
    } else throw broken(`found goroutine status for new goroutine after the first generation: id=${gid} status=${STATUS_NAMES[status]}`)
    // Keep the old state beside the status (Go packs both into one argument).
    a[3] = ev.typ === EV.GoStatusStack ? a[3]! : 0
    ;(ev as OrderedEvent & { oldState?: number }).oldState = old
    const next = { ...cur }
    const evCtx = { ...cur }
    if (status === GoStatus.Running) next.g = gid
    else if (status === GoStatus.Syscall) {
      if (mid === NONE) throw broken(`found goroutine ${gid} in syscall without a thread`)
      if (mid === cur.m) {
        if (gen !== this.initialGen && cur.g !== gid) throw broken(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${cur.g}`)
        next.g = gid
      } else {
        const ms = this.mStates.get(mid)
        if (ms) {
          if (ms.g !== gid) throw broken(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${ms.g}`)
          evCtx.g = ms.g
        } else this.mStates.set(mid, { g: gid, p: NONE })
        evCtx.m = mid
      }
    }
    this.queue.push({ typ: ev.typ, time: ev.time, ctx: evCtx, args: a.slice(), ...{ oldState: old } } as OrderedEvent)
    return next
  }
}
