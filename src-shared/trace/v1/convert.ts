// Turns ordered legacy events into the current vocabulary, exactly as Go's reader does (internal/trace/tracev1.go):
// the same event mapping, block reasons as strings, goroutines created before the first GOMAXPROCS event restated
// as runnable, a syscall that did not block split into begin+end, and strictly increasing times. One generation,
// framed by a Sync event at each end.
import { TraceFormatError } from '../errors'
import type { EventSink } from '../events'
import { EV, EV_SYNC, GoStatus, ProcStatus, SPECS } from '../spec'
import { V1, V1_DESC, stwKind, type V1Columns } from './format'
import type { V1Parser } from './parser'

const NONE = -1
/** Go's NoTask: ^uint64(0), in the int64 reading our args use. */
const NO_TASK = -1

const REASON: Partial<Record<number, string>> = {
  [V1.GoStop]: 'forever', [V1.GoSched]: 'runtime.Gosched', [V1.GoPreempt]: 'preempted', [V1.GoSleep]: 'sleep',
  [V1.GoBlock]: '', [V1.GoBlockSend]: 'chan send', [V1.GoBlockRecv]: 'chan receive', [V1.GoBlockSelect]: 'select',
  [V1.GoBlockSync]: 'sync', [V1.GoBlockCond]: 'sync.(*Cond).Wait', [V1.GoBlockNet]: 'network',
  [V1.GoBlockGC]: 'GC mark assist wait for work',
}

export function convertEvents(evs: V1Columns, parser: V1Parser, version: number, store: EventSink, signal?: { readonly aborted: boolean }, onProgress?: () => void): void {
  const n = evs.n
  const stackIds = new Map<number, number>()
  const str = (v1: number): number => store.string(parser.strings.get(v1) ?? '')
  const stackOf = (v1: number): number => {
    if (v1 === 0) return 0
    let id = stackIds.get(v1)
    if (id === undefined) {
      const pcs = parser.stacks.get(v1)
      if (!pcs) id = 0
      else {
        id = store.stack(pcs.map((pc) => {
          const f = parser.pcs.get(pc)!
          return store.frame(pc, str(f.fn), str(f.file), f.line)
        }))
      }
      stackIds.set(v1, id)
    }
    return id
  }

  // The next event of the same goroutine, to tell whether a syscall blocked (Go looks ahead the same way).
  const nextSameG = new Int32Array(n).fill(-1)
  {
    const seen = new Map<number, number>()
    for (let i = n - 1; i >= 0; i--) {
      const g = evs.g[i]!
      nextSameG[i] = seen.get(g) ?? -1
      seen.set(g, i)
    }
  }

  let preInit = true
  const createdPreInit = new Set<number>()
  /** The start stacks (entry functions) of the goroutines that were there before the trace, from their GoCreate. */
  const preInitStacks = new Map<number, number>()
  let lastTs = -1
  const emit = (type: number, time: number, m: number, p: number, g: number, a0: number, a1: number, a2: number, a3: number) => {
    if (time <= lastTs) time = lastTs + 1
    lastTs = time
    const at = store.push(type, time, m, p, g, a0, a1, a2, a3)
    // A goroutine that was there before the trace: its start stack, which Go's reader drops, kept beside the event.
    if (type === EV.GoStatus) {
      const entry = preInitStacks.get(a0)
      if (entry) store.entryStacks.set(at, entry)
      preInitStacks.delete(a0)
    }
  }
  if (n > 0) store.push(EV_SYNC, evs.ts[0]! - 1, NONE, NONE, NONE, 1)

  const seenProcs = new Set<number>()
  const procMs = new Map<number, number>()
  const tasks = new Map<number, { name: string; parent: number }>()
  let lastStw = store.string('')
  const reasonIds = new Map<number, number>()
  for (const [t, r] of Object.entries(REASON)) reasonIds.set(Number(t), store.string(r!))

  for (let i = 0; i < n; i++) {
    if ((i & 0xffff) === 0 && i > 0) {
      if (signal?.aborted) throw new TraceFormatError('cancelled', 'cancelled', -1)
      onProgress?.()
    }
    const v1 = evs.type[i]!
    const ts = evs.ts[i]!
    const evP = evs.p[i]!
    const evG = evs.g[i]!
    const stk = evs.stk[i]!
    const x0 = evs.arg(i, 0), x1 = evs.arg(i, 1), x2 = evs.arg(i, 2), x3 = evs.arg(i, 3)
    let a0 = x0, a1 = x1, a2 = x2, a3 = x3
    let type: number
    const reason = reasonIds.get(v1)
    if (reason !== undefined) {
      type = v1 === V1.GoSched || v1 === V1.GoPreempt ? EV.GoStop : EV.GoBlock
      a0 = reason
      a2 = a3 = 0
    } else {
      switch (v1) {
        case V1.Gomaxprocs:
          type = EV.ProcsChange
          if (preInit) {
            // The first GOMAXPROCS event ends trace start-up: goroutines created before it were already there.
            preInit = false
            for (const g of createdPreInit) emit(EV.GoStatus, ts, NONE, NONE, NONE, g, NONE, GoStatus.Runnable, 0)
            createdPreInit.clear()
            continue
          }
          break
        case V1.ProcStart:
          procMs.set(evP, x0)
          a1 = a2 = a3 = 0
          a0 = evP
          if (seenProcs.has(evP)) type = EV.ProcStart
          else {
            seenProcs.add(evP)
            type = EV.ProcStatus
            a1 = ProcStatus.Running
          }
          break
        case V1.ProcStop:
          a1 = a2 = a3 = 0
          a0 = evP
          if (seenProcs.has(evP)) {
            type = EV.ProcStop
            a0 = 0 // ProcStop has no arguments: its P is the event's
          } else {
            seenProcs.add(evP)
            type = EV.ProcStatus
            a1 = ProcStatus.Idle
          }
          break
        case V1.GCStart: type = EV.GCBegin; break
        case V1.GCDone: type = EV.GCEnd; break
        case V1.STWStart:
          type = EV.STWBegin
          lastStw = store.string(stwKind(version, x0))
          a0 = lastStw
          a1 = a2 = a3 = 0
          break
        case V1.STWDone:
          type = EV.STWEnd
          a0 = lastStw
          a1 = a2 = a3 = 0
          break
        case V1.GCSweepStart: type = EV.GCSweepBegin; break
        case V1.GCSweepDone: type = EV.GCSweepEnd; break
        case V1.GoCreate:
          if (preInit) {
            createdPreInit.add(x0)
            preInitStacks.set(x0, stackOf(x1))
            continue
          }
          type = EV.GoCreate
          a1 = stackOf(x1)
          break
        case V1.GoStart:
          if (preInit) {
            type = EV.GoStatus
            a0 = x0; a1 = NONE; a2 = GoStatus.Running; a3 = 0
            createdPreInit.delete(x0)
          } else type = EV.GoStart
          break
        case V1.GoStartLabel: {
          // A labelled start is a start followed by a label event (M looked up without Go's presence check).
          const m = procMs.get(evP) ?? 0
          emit(EV.GoStart, ts, m, evP, evG, x0, x1, 0, 0)
          emit(EV.GoLabel, ts, m, evP, evG, str(x2), 0, 0, 0)
          continue
        }
        case V1.GoEnd: type = EV.GoDestroy; break
        case V1.GoUnblock: type = EV.GoUnblock; break
        case V1.GoSysCall: {
          const j = nextSameG[i]!
          if (j >= 0 && evs.type[j] === V1.GoSysBlock) {
            type = EV.GoSyscallBegin
            a0 = a2 = a3 = 0
            break
          }
          // A syscall that never blocked: begin and end 1ns apart.
          const m = procMs.get(evP) ?? 0
          emit(EV.GoSyscallBegin, ts, m, evP, evG, 0, stackOf(stk), 0, 0)
          emit(EV.GoSyscallEnd, ts + 1, m, evP, evG, 0, 0, 0, 0)
          continue
        }
        case V1.GoSysExit:
          // The goroutine is the event's; the sequence number and the real time have no place in the current format.
          type = EV.GoSyscallEndBlocked
          a0 = a1 = a2 = a3 = 0
          break
        case V1.GoSysBlock: continue
        case V1.GoWaiting: case V1.GoInSyscall:
          type = EV.GoStatus
          a0 = x0; a1 = NONE; a2 = v1 === V1.GoWaiting ? GoStatus.Waiting : GoStatus.Syscall; a3 = 0
          createdPreInit.delete(x0)
          break
        case V1.HeapAlloc: type = EV.HeapAlloc; break
        case V1.HeapGoal: type = EV.HeapGoal; break
        case V1.GCMarkAssistStart: type = EV.GCMarkAssistBegin; break
        case V1.GCMarkAssistDone: type = EV.GCMarkAssistEnd; break
        case V1.UserTaskCreate: {
          type = EV.UserTaskBegin
          const name = parser.strings.get(x2) ?? ''
          a0 = x0; a1 = x1 === 0 ? NO_TASK : x1; a2 = store.string(name)
          tasks.set(x0, { name, parent: x1 })
          break
        }
        case V1.UserTaskEnd: {
          type = EV.UserTaskEnd
          const t = tasks.get(x0)
          tasks.delete(x0)
          a2 = t ? t.parent : NO_TASK
          a3 = store.string(t ? t.name : '')
          break
        }
        case V1.UserRegion:
          if (x1 === 0) type = EV.UserRegionBegin
          else if (x1 === 1) type = EV.UserRegionEnd
          else throw new TraceFormatError('inconsistent', `invalid user region mode ${x1}`, evs.off[i]!)
          a1 = str(x2); a3 = 0
          break
        case V1.UserLog:
          type = EV.UserLog
          a1 = str(x1)
          a2 = store.string(parser.inlineStrings[x3] ?? '')
          break
        case V1.CPUSample:
          // P and G are the event's context (as the current format's samples have them).
          type = EV.CPUSample
          a0 = stackOf(stk); a1 = a2 = a3 = 0
          break
        default:
          throw new TraceFormatError('corrupt', `unexpected event type ${V1_DESC[v1]?.name ?? v1}`, evs.off[i]!)
      }
    }
    // The event's own stack goes where the current format keeps it.
    const spec = SPECS[type]!
    if (V1_DESC[v1]!.stack && spec.stackArgs.length > 0) {
      const s = stackOf(stk)
      switch (spec.stackArgs[0]) {
        case 0: a0 = s; break
        case 1: a1 = s; break
        case 2: a2 = s; break
        case 3: a3 = s; break
      }
    }
    const m = evP !== -1 && v1 !== V1.CPUSample ? (procMs.get(evP) ?? NONE) : NONE
    if (v1 === V1.ProcStop) procMs.delete(evP)
    emit(type, ts, m, evP, evG === 0 ? NONE : evG, a0, a1, a2, a3)
  }
  store.push(EV_SYNC, lastTs + 1, NONE, NONE, NONE, n > 0 ? 2 : 1)
}
