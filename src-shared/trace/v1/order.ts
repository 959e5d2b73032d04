// Puts legacy events in one order, as Go's reader does: per-P batches are merged by timestamp, but an event that
// changes a goroutine's state waits until the goroutine is in the state (and at the sequence number) it expects,
// and GC starts wait for their GC sequence. Then syscall exits take their real timestamps, times are rescaled to
// ns, and a consistency pass (Go's postProcessTrace) rejects impossible histories.
import { TraceFormatError } from '../errors'
import { FAKE_P, V1, V1_DESC, V1Columns, type V1Event } from './format'
import type { V1Parser } from './parser'

const enum St { Dead, Runnable, Running, Waiting }
/** Sequence markers: NOSEQ = "any" (init) / "unchanged" (next); SEQINC = previous + 1. */
const NOSEQ = -Infinity
const SEQINC = Infinity

interface GSeq { seq: number; st: St }
interface Step { kind: 'none' | 'g' | 'gc'; g: number; initSeq: number; initSt: St; nextSeq: number; nextSt: St }

const step: Step = { kind: 'none', g: 0, initSeq: 0, initSt: St.Dead, nextSeq: 0, nextSt: St.Dead }

function set(kind: Step['kind'], g: number, initSeq: number, initSt: St, nextSeq: number, nextSt: St): Step {
  const s = step
  s.kind = kind; s.g = g; s.initSeq = initSeq; s.initSt = initSt; s.nextSeq = nextSeq; s.nextSt = nextSt
  return s
}

/** The goroutine (or GC) transition an event makes; written into the shared `step`. */
function stateStep(ev: V1Event): Step {
  switch (ev.type) {
    case V1.GoCreate: return set('g', ev.a0, 0, St.Dead, 1, St.Runnable)
    case V1.GoWaiting: case V1.GoInSyscall: return set('g', ev.g, 1, St.Runnable, 2, St.Waiting)
    case V1.GoStart: case V1.GoStartLabel: return set('g', ev.g, ev.a1, St.Runnable, ev.a1 + 1, St.Running)
    case V1.GoStartLocal: return set('g', ev.g, NOSEQ, St.Runnable, SEQINC, St.Running)
    case V1.GoBlock: case V1.GoBlockSend: case V1.GoBlockRecv: case V1.GoBlockSelect: case V1.GoBlockSync:
    case V1.GoBlockCond: case V1.GoBlockNet: case V1.GoSleep: case V1.GoSysBlock: case V1.GoBlockGC:
      return set('g', ev.g, NOSEQ, St.Running, NOSEQ, St.Waiting)
    case V1.GoSched: case V1.GoPreempt: return set('g', ev.g, NOSEQ, St.Running, NOSEQ, St.Runnable)
    case V1.GoUnblock: case V1.GoSysExit: return set('g', ev.a0, ev.a1, St.Waiting, ev.a1 + 1, St.Runnable)
    case V1.GoUnblockLocal: case V1.GoSysExitLocal: return set('g', ev.a0, NOSEQ, St.Waiting, SEQINC, St.Runnable)
    case V1.GCStart: return set('gc', 0, ev.a0, St.Dead, ev.a0 + 1, St.Dead)
    default: return set('none', 0, 0, St.Dead, 0, St.Dead)
  }
}

const DEAD: GSeq = { seq: 0, st: St.Dead }

class States {
  private readonly gs = new Map<number, GSeq>()
  private gc: GSeq = DEAD
  get(s: Step): GSeq {
    return s.kind === 'gc' ? this.gc : (this.gs.get(s.g) ?? DEAD)
  }
  ready(s: Step): boolean {
    if (s.kind === 'none') return true
    const cur = this.get(s)
    return (s.initSeq === NOSEQ || s.initSeq === cur.seq) && s.initSt === cur.st
  }
  apply(s: Step, off: number): void {
    if (s.kind === 'none') return
    if (!this.ready(s)) throw new TraceFormatError('inconsistent', 'encountered impossible goroutine state transition', off)
    const cur = this.get(s)
    const seq = s.nextSeq === NOSEQ ? cur.seq : s.nextSeq === SEQINC ? cur.seq + 1 : s.nextSeq
    const next = { seq, st: s.nextSt }
    if (s.kind === 'gc') this.gc = next
    else this.gs.set(s.g, next)
  }
}

interface Proc { pid: number; events: V1Event[]; at: number; done: boolean }

// Go's binary heap on timestamps (its tie-breaking decides the order of equal timestamps, so we keep its shape).
// Events and their Ps sit in parallel arrays: no wrapper object per event.
class Frontier {
  private readonly evs: V1Event[] = []
  private readonly procs: Proc[] = []
  get length(): number { return this.evs.length }
  private less(i: number, j: number): boolean { return this.evs[i]!.ts < this.evs[j]!.ts }
  private swap(i: number, j: number): void {
    const e = this.evs[i]!; this.evs[i] = this.evs[j]!; this.evs[j] = e
    const p = this.procs[i]!; this.procs[i] = this.procs[j]!; this.procs[j] = p
  }
  push(ev: V1Event, proc: Proc): void {
    this.evs.push(ev)
    this.procs.push(proc)
    let j = this.evs.length - 1
    for (;;) {
      const i = Math.trunc((j - 1) / 2)
      if (i === j || !this.less(j, i)) break
      this.swap(i, j)
      j = i
    }
  }
  /** Pops the earliest event; its P is then in `poppedProc`. */
  poppedProc: Proc | null = null
  pop(): V1Event {
    const n = this.evs.length - 1
    this.swap(0, n)
    let i = 0
    for (;;) {
      const j1 = 2 * i + 1
      if (j1 >= n) break
      let j = j1
      if (j1 + 1 < n && this.less(j1 + 1, j1)) j = j1 + 1
      if (!this.less(j, i)) break
      this.swap(i, j)
      i = j
    }
    this.poppedProc = this.procs.pop()!
    return this.evs.pop()!
  }
}

/** Merges the batches into one ordered list with times in ns from the first event. */
export function orderEvents(parser: V1Parser, signal?: { readonly aborted: boolean }): V1Columns {
  const all: Proc[] = [...parser.batches.keys()].map((pid) => ({ pid, events: [], at: 0, done: false }))
  all.push({ pid: FAKE_P.Profile, events: parser.cpuSamples, at: 0, done: false })
  const states = new States()
  const out = new V1Columns()
  const frontier = new Frontier()
  const available = all.slice()
  const removeAt = (i: number) => {
    available[i] = available[available.length - 1]!
    available.pop()
  }
  for (;;) {
    for (let i = 0; i < available.length; i++) {
      const proc = available[i]!
      let exhausted = false
      while (proc.at === proc.events.length) {
        const evs = parser.loadBatch(proc.pid)
        if (evs === null) {
          proc.done = true
          removeAt(i)
          i--
          exhausted = true
          break
        }
        proc.events = evs
        proc.at = 0
      }
      if (exhausted) continue
      const ev = proc.events[proc.at]!
      if (!states.ready(stateStep(ev))) continue
      proc.at++
      removeAt(i)
      frontier.push(ev, proc)
      i--
    }
    if (frontier.length === 0) {
      const stuck = all.find((p) => !p.done)
      if (stuck) {
        const ev = stuck.events[stuck.at]
        throw new TraceFormatError('inconsistent', 'no consistent ordering of events possible', ev ? ev.off : -1)
      }
      break
    }
    const ev = frontier.pop()
    const proc = frontier.poppedProc!
    const s = stateStep(ev)
    if (ev.type === V1.GoStartLocal) ev.type = V1.GoStart
    else if (ev.type === V1.GoUnblockLocal) ev.type = V1.GoUnblock
    else if (ev.type === V1.GoSysExitLocal) ev.type = V1.GoSysExit
    out.push(ev)
    states.apply(s, ev.off)
    available.push(proc)
    if ((out.n & 0xffff) === 0 && signal?.aborted) throw new TraceFormatError('cancelled', 'cancelled', -1)
  }
  const n = out.n
  const ts = out.ts
  for (let i = 1; i < n; i++) {
    if (ts[i]! < ts[i - 1]!) throw new TraceFormatError('inconsistent', 'time stamps out of order', out.off[i]!)
  }
  // A syscall exit is recorded when the goroutine next runs; its argument holds when the syscall really returned.
  const lastSysBlock = new Map<number, number>()
  const moved: number[] = []
  for (let i = 0; i < n; i++) {
    const type = out.type[i]!
    if (type === V1.GoSysBlock || type === V1.GoInSyscall) lastSysBlock.set(out.g[i]!, ts[i]!)
    else if (type === V1.GoSysExit) {
      const real = out.arg(i, 2)
      if (real === 0) continue
      const block = lastSysBlock.get(out.g[i]!) ?? 0
      if (block === 0) throw new TraceFormatError('inconsistent', 'stray syscall exit', out.off[i]!)
      if (real < block) throw new TraceFormatError('inconsistent', 'time stamps out of order (syscall exit before its block)', out.off[i]!)
      if (real !== ts[i]) moved.push(i)
      ts[i] = real
    }
  }
  if (moved.length > 0) out.permute(stableOrder(ts, n, moved))
  if (parser.ticksPerSec === 0) throw new TraceFormatError('corrupt', 'no EvFrequency event', -1)
  if (n > 0) {
    const t = out.ts
    const minTs = t[0]!
    const nsPerTick = 1e9 / parser.ticksPerSec
    for (let i = 0; i < n; i++) {
      t[i] = Math.trunc((t[i]! - minTs) * nsPerTick)
      const type = out.type[i]!
      if (type === V1.GoUnblock && parser.timerGoids.has(out.g[i]!)) out.p[i] = FAKE_P.Timer
      if (type === V1.GoSysExit) out.p[i] = FAKE_P.Syscall
    }
  }
  checkHistory(out, parser)
  return out
}

/** The permutation Go's sort.Stable by time makes when only the `moved` events changed time: the others are still
 *  in order, so sort the few moved ones and merge (ties keep the original order). */
function stableOrder(ts: Float64Array, n: number, moved: number[]): Uint32Array {
  const key = (i: number, j: number) => ts[i]! - ts[j]! || i - j
  moved.sort(key)
  const isMoved = new Uint8Array(n)
  for (const i of moved) isMoved[i] = 1
  const perm = new Uint32Array(n)
  let k = 0
  let m = 0
  for (let i = 0; i < n; i++) {
    if (isMoved[i]) continue
    while (m < moved.length && key(moved[m]!, i) < 0) perm[k++] = moved[m++]!
    perm[k++] = i
  }
  while (m < moved.length) perm[k++] = moved[m++]!
  return perm
}

interface GDesc { st: St; lastType: number; assist: boolean }
interface PDesc { running: boolean; g: number; sweep: boolean }

/** Go's consistency pass: each event must be possible in the state the previous ones left. Also moves GC starts
 *  and network unblocks to their pseudo-Ps and drops stack IDs that have no stack. */
function checkHistory(evs: V1Columns, parser: V1Parser): void {
  const gs = new Map<number, GDesc>([[0, { st: St.Running, lastType: 0, assist: false }]])
  const ps = new Map<number, PDesc>()
  const tasks = new Set<number>()
  const regions = new Map<number, number[]>() // goroutine -> stack of (task, name) pairs
  let gc = false
  let stw = false
  const G = (id: number): GDesc => gs.get(id) ?? { st: St.Dead, lastType: 0, assist: false }
  const P = (id: number): PDesc => ps.get(id) ?? { running: false, g: 0, sweep: false }
  // The event being checked (hoisted so the helpers below are made once, not per event).
  let i = 0
  let type = 0
  let evG = 0
  let evP = 0
  const bad = (msg: string): never => {
    throw new TraceFormatError('inconsistent', `${msg} (time ${evs.ts[i]})`, evs.off[i]!)
  }
  const checkRunning = (p: PDesc, g: GDesc, allowG0: boolean) => {
    const name = V1_DESC[type]!.name
    if (g.st !== St.Running) bad(`g ${evG} is not running while ${name}`)
    if (p.g !== evG) bad(`p ${evP} is not running g ${evG} while ${name}`)
    if (!allowG0 && evG === 0) bad(`g 0 did ${name}`)
  }
  for (i = 0; i < evs.n; i++) {
    type = evs.type[i]!
    evG = evs.g[i]!
    evP = evs.p[i]!
    const a0 = evs.arg(i, 0)
    switch (type) {
      case V1.ProcStart: {
        const p = P(evP)
        if (p.running) bad(`p ${evP} is running before start`)
        p.running = true
        ps.set(evP, p)
        break
      }
      case V1.ProcStop: {
        const p = P(evP)
        if (!p.running) bad(`p ${evP} is not running before stop`)
        if (p.g !== 0) bad(`p ${evP} is running a goroutine ${p.g} during stop`)
        p.running = false
        ps.set(evP, p)
        break
      }
      case V1.GCStart:
        if (gc) bad('previous GC is not ended before a new one')
        gc = true
        evs.p[i] = FAKE_P.GC
        break
      case V1.GCDone:
        if (!gc) bad('bogus GC end')
        gc = false
        break
      case V1.STWStart:
        if (stw) bad('previous STW is not ended before a new one')
        stw = true
        break
      case V1.STWDone:
        if (!stw) bad('bogus STW end')
        stw = false
        break
      case V1.GCSweepStart: {
        const p = P(evP)
        if (p.sweep) bad('previous sweeping is not ended before a new one')
        p.sweep = true
        ps.set(evP, p)
        break
      }
      case V1.GCSweepDone: {
        const p = P(evP)
        if (!p.sweep) bad('bogus sweeping end')
        p.sweep = false
        ps.set(evP, p)
        break
      }
      case V1.GCMarkAssistStart: {
        const g = G(evG)
        if (g.assist) bad('previous mark assist is not ended before a new one')
        g.assist = true
        gs.set(evG, g)
        break
      }
      case V1.GCMarkAssistDone: {
        const g = G(evG)
        g.assist = false
        gs.set(evG, g)
        break
      }
      case V1.GoWaiting: case V1.GoInSyscall: {
        const g = G(evG)
        if (g.st !== St.Runnable) bad(`g ${evG} is not runnable before ${type === V1.GoWaiting ? 'EvGoWaiting' : 'EvGoInSyscall'}`)
        g.st = St.Waiting
        g.lastType = type
        gs.set(evG, g)
        break
      }
      case V1.GoCreate: {
        checkRunning(P(evP), G(evG), true)
        if (gs.has(a0)) bad(`g ${a0} already exists`)
        gs.set(a0, { st: St.Runnable, lastType: type, assist: false })
        break
      }
      case V1.GoStart: case V1.GoStartLabel: {
        const g = G(evG)
        const p = P(evP)
        if (g.st !== St.Runnable) bad(`g ${evG} is not runnable before start`)
        if (p.g !== 0) bad(`p ${evP} is already running g ${p.g} while start g ${evG}`)
        g.st = St.Running
        p.g = evG
        g.lastType = 0
        gs.set(evG, g)
        ps.set(evP, p)
        break
      }
      case V1.GoEnd: case V1.GoStop: {
        const g = G(evG)
        const p = P(evP)
        checkRunning(p, g, false)
        g.st = St.Dead
        p.g = 0
        if (type === V1.GoEnd) regions.delete(evG)
        gs.set(evG, g)
        ps.set(evP, p)
        break
      }
      case V1.GoSched: case V1.GoPreempt: {
        const g = G(evG)
        const p = P(evP)
        checkRunning(p, g, false)
        g.st = St.Runnable
        p.g = 0
        g.lastType = type
        gs.set(evG, g)
        ps.set(evP, p)
        break
      }
      case V1.GoUnblock: {
        const g = G(evG)
        const p = P(evP)
        if (g.st !== St.Running) bad(`g ${evG} is not running while unpark`)
        if (evP !== FAKE_P.Timer && p.g !== evG) bad(`p ${evP} is not running g ${evG} while unpark`)
        const g1 = G(a0)
        if (g1.st !== St.Waiting) bad(`g ${a0} is not waiting before unpark`)
        if (g1.lastType === V1.GoBlockNet) evs.p[i] = FAKE_P.Netpoll
        g1.st = St.Runnable
        g1.lastType = type
        gs.set(a0, g1)
        break
      }
      case V1.GoSysCall: {
        const g = G(evG)
        checkRunning(P(evP), g, false)
        g.lastType = type
        gs.set(evG, g)
        break
      }
      case V1.GoSysBlock: {
        const g = G(evG)
        const p = P(evP)
        checkRunning(p, g, false)
        g.st = St.Waiting
        p.g = 0
        gs.set(evG, g)
        ps.set(evP, p)
        break
      }
      case V1.GoSysExit: {
        const g = G(evG)
        if (g.st !== St.Waiting) bad(`g ${evG} is not waiting during syscall exit`)
        g.st = St.Runnable
        g.lastType = type
        gs.set(evG, g)
        break
      }
      case V1.GoSleep: case V1.GoBlock: case V1.GoBlockSend: case V1.GoBlockRecv: case V1.GoBlockSelect:
      case V1.GoBlockSync: case V1.GoBlockCond: case V1.GoBlockNet: case V1.GoBlockGC: {
        const g = G(evG)
        const p = P(evP)
        checkRunning(p, g, false)
        g.st = St.Waiting
        g.lastType = type
        p.g = 0
        gs.set(evG, g)
        ps.set(evP, p)
        break
      }
      case V1.UserTaskCreate:
        if (tasks.has(a0)) bad(`task id conflicts (id:${a0})`)
        tasks.add(a0)
        break
      case V1.UserTaskEnd:
        tasks.delete(a0)
        break
      case V1.UserRegion: {
        const mode = evs.arg(i, 1)
        const nameId = evs.arg(i, 2)
        const stack = regions.get(evG) ?? []
        if (mode === 0) {
          stack.push(a0, nameId)
          regions.set(evG, stack)
        } else if (mode === 1) {
          if (stack.length > 0) {
            if (stack[stack.length - 2] !== a0 || stack[stack.length - 1] !== nameId) bad(`misuse of region in goroutine ${evG}: region end does not match the innermost region start`)
            stack.length -= 2
            if (stack.length === 0) regions.delete(evG)
          }
        } else bad(`invalid user region mode ${mode}`)
        break
      }
    }
    const stk = evs.stk[i]!
    if (stk !== 0 && !parser.stacks.get(stk)?.length) evs.stk[i] = 0
  }
}
