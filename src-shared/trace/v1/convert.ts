// Turns ordered legacy events into the current vocabulary, exactly as Go's reader does (internal/trace/tracev1.go):
// the same event mapping, block reasons as strings, goroutines created before the first GOMAXPROCS event restated
// as runnable, a syscall that did not block split into begin+end, and strictly increasing times. One generation,
// framed by a Sync event at each end.
import { TraceFormatError } from '../errors'
import type { EventStore } from '../events'
import { EV, EV_SYNC, GoStatus, ProcStatus, SPECS } from '../spec'
import { V1, V1_DESC, stwKind, type V1Event } from './format'
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

interface Out {
  type: number
  time: number
  m: number
  p: number
  g: number
  a: [number, number, number, number]
}

export function convertEvents(events: V1Event[], parser: V1Parser, version: number, store: EventStore, signal?: { readonly aborted: boolean }): void {
  const stackIds = new Map<number, number>()
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
  const str = (v1: number): number => store.string(parser.strings.get(v1) ?? '')

  // The next event of the same goroutine, to tell whether a syscall blocked (Go looks ahead the same way).
  const nextSameG = new Int32Array(events.length).fill(-1)
  const seen = new Map<number, number>()
  for (let i = events.length - 1; i >= 0; i--) {
    const g = events[i]!.g
    nextSameG[i] = seen.get(g) ?? -1
    seen.set(g, i)
  }

  let lastTs = -1
  const emit = (o: Out) => {
    if (o.time <= lastTs) o.time = lastTs + 1
    lastTs = o.time
    store.push(o.type, o.time, o.m, o.p, o.g, o.a[0], o.a[1], o.a[2], o.a[3])
  }
  if (events.length > 0) store.push(EV_SYNC, events[0]!.ts - 1, NONE, NONE, NONE, 1)

  let preInit = true
  const createdPreInit = new Set<number>()
  const seenProcs = new Set<number>()
  const procMs = new Map<number, number>()
  const tasks = new Map<number, { name: string; parent: number }>()
  let lastStw = store.string('')

  for (let i = 0; i < events.length; i++) {
    if ((i & 0xffff) === 0 && signal?.aborted) throw new TraceFormatError('cancelled', 'cancelled', -1)
    const ev = events[i]!
    const ctxG = ev.g === 0 ? NONE : ev.g
    let type: number
    const a: [number, number, number, number] = [ev.args[0], ev.args[1], ev.args[2], ev.args[3]]
    const reason = REASON[ev.type]
    if (reason !== undefined) {
      type = ev.type === V1.GoSched || ev.type === V1.GoPreempt ? EV.GoStop : EV.GoBlock
      a[0] = store.string(reason)
      a[1] = ev.stk
      a[2] = a[3] = 0
    } else {
      switch (ev.type) {
        case V1.Gomaxprocs:
          type = EV.ProcsChange
          if (preInit) {
            // The first GOMAXPROCS event ends trace start-up: goroutines created before it were already there.
            preInit = false
            for (const g of createdPreInit) emit({ type: EV.GoStatus, time: ev.ts, m: NONE, p: NONE, g: NONE, a: [g, NONE, GoStatus.Runnable, 0] })
            createdPreInit.clear()
            continue
          }
          break
        case V1.ProcStart:
          procMs.set(ev.p, ev.args[0])
          if (seenProcs.has(ev.p)) {
            type = EV.ProcStart
            a.splice(0, 4, ev.p, 0, 0, 0)
          } else {
            seenProcs.add(ev.p)
            type = EV.ProcStatus
            a.splice(0, 4, ev.p, ProcStatus.Running, 0, 0)
          }
          break
        case V1.ProcStop:
          if (seenProcs.has(ev.p)) {
            type = EV.ProcStop
            a.splice(0, 4, ev.p, 0, 0, 0)
          } else {
            seenProcs.add(ev.p)
            type = EV.ProcStatus
            a.splice(0, 4, ev.p, ProcStatus.Idle, 0, 0)
          }
          break
        case V1.GCStart: type = EV.GCBegin; break
        case V1.GCDone: type = EV.GCEnd; break
        case V1.STWStart:
          type = EV.STWBegin
          lastStw = store.string(stwKind(version, ev.args[0]))
          a.splice(0, 4, lastStw, 0, 0, 0)
          break
        case V1.STWDone:
          type = EV.STWEnd
          a.splice(0, 4, lastStw, 0, 0, 0)
          break
        case V1.GCSweepStart: type = EV.GCSweepBegin; break
        case V1.GCSweepDone: type = EV.GCSweepEnd; break
        case V1.GoCreate:
          if (preInit) {
            createdPreInit.add(ev.args[0])
            continue
          }
          type = EV.GoCreate
          a[1] = stackOf(a[1])
          break
        case V1.GoStart:
          if (preInit) {
            type = EV.GoStatus
            a.splice(0, 4, ev.args[0], NONE, GoStatus.Running, 0)
            createdPreInit.delete(ev.args[0])
          } else type = EV.GoStart
          break
        case V1.GoStartLabel: {
          // A labelled start is a start followed by a label event (M looked up without Go's presence check).
          const m = procMs.get(ev.p) ?? 0
          emit({ type: EV.GoStart, time: ev.ts, m, p: ev.p, g: ev.g, a })
          emit({ type: EV.GoLabel, time: ev.ts, m, p: ev.p, g: ev.g, a: [str(ev.args[2]), 0, 0, 0] })
          continue
        }
        case V1.GoEnd: type = EV.GoDestroy; break
        case V1.GoUnblock: type = EV.GoUnblock; break
        case V1.GoSysCall: {
          const j = nextSameG[i]!
          if (j >= 0 && events[j]!.type === V1.GoSysBlock) {
            type = EV.GoSyscallBegin
            a.splice(0, 4, 0, ev.stk, 0, 0)
            break
          }
          // A syscall that never blocked: begin and end 1ns apart.
          const m = procMs.get(ev.p) ?? 0
          emit({ type: EV.GoSyscallBegin, time: ev.ts, m, p: ev.p, g: ev.g, a: [0, stackOf(ev.stk), 0, 0] })
          emit({ type: EV.GoSyscallEnd, time: ev.ts + 1, m, p: ev.p, g: ev.g, a: [0, 0, 0, 0] })
          continue
        }
        case V1.GoSysExit: type = EV.GoSyscallEndBlocked; break
        case V1.GoSysBlock: continue
        case V1.GoWaiting: case V1.GoInSyscall:
          type = EV.GoStatus
          a.splice(0, 4, ev.args[0], NONE, ev.type === V1.GoWaiting ? GoStatus.Waiting : GoStatus.Syscall, 0)
          createdPreInit.delete(ev.args[0])
          break
        case V1.HeapAlloc: type = EV.HeapAlloc; break
        case V1.HeapGoal: type = EV.HeapGoal; break
        case V1.GCMarkAssistStart: type = EV.GCMarkAssistBegin; break
        case V1.GCMarkAssistDone: type = EV.GCMarkAssistEnd; break
        case V1.UserTaskCreate: {
          type = EV.UserTaskBegin
          const name = parser.strings.get(ev.args[2]) ?? ''
          a.splice(0, 4, ev.args[0], ev.args[1] === 0 ? NO_TASK : ev.args[1], store.string(name), ev.stk)
          tasks.set(ev.args[0], { name, parent: ev.args[1] })
          break
        }
        case V1.UserTaskEnd: {
          type = EV.UserTaskEnd
          const t = tasks.get(ev.args[0])
          tasks.delete(ev.args[0])
          a.splice(0, 4, ev.args[0], ev.args[1], t ? t.parent : NO_TASK, store.string(t ? t.name : ''))
          break
        }
        case V1.UserRegion:
          if (ev.args[1] === 0) type = EV.UserRegionBegin
          else if (ev.args[1] === 1) type = EV.UserRegionEnd
          else throw new TraceFormatError('inconsistent', `invalid user region mode ${ev.args[1]}`, ev.off)
          a.splice(0, 4, ev.args[0], str(ev.args[2]), ev.stk, 0)
          break
        case V1.UserLog:
          type = EV.UserLog
          a.splice(0, 4, ev.args[0], str(ev.args[1]), store.string(parser.inlineStrings[ev.args[3]] ?? ''), ev.stk)
          break
        case V1.CPUSample:
          type = EV.CPUSample
          a.splice(0, 4, stackOf(ev.stk), NONE, ev.p, ev.g)
          break
        default:
          throw new TraceFormatError('corrupt', `unexpected event type ${V1_DESC[ev.type]?.name ?? ev.type}`, ev.off)
      }
    }
    // The event's own stack goes where the current format keeps it.
    const spec = SPECS[type]!
    if (V1_DESC[ev.type]!.stack && spec.stackArgs.length > 0) a[spec.stackArgs[0]!] = stackOf(ev.stk)
    let m = NONE
    if (ev.p !== -1 && ev.type !== V1.CPUSample) m = procMs.get(ev.p) ?? NONE
    if (ev.type === V1.ProcStop) procMs.delete(ev.p)
    emit({ type, time: ev.ts, m, p: ev.p, g: ctxG, a })
  }
  store.push(EV_SYNC, lastTs + 1, NONE, NONE, NONE, events.length > 0 ? 2 : 1)
}
