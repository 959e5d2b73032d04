// The legacy (Go 1.11-1.21) wire format: event types, their argument names and whether the last argument is a
// stack ID. One table for the three versions: an event newer than the file's version is an unknown event.
import { grown } from '../typed-array'

export const V1 = {
  None: 0, Batch: 1, Frequency: 2, Stack: 3, Gomaxprocs: 4, ProcStart: 5, ProcStop: 6, GCStart: 7, GCDone: 8,
  STWStart: 9, STWDone: 10, GCSweepStart: 11, GCSweepDone: 12, GoCreate: 13, GoStart: 14, GoEnd: 15, GoStop: 16,
  GoSched: 17, GoPreempt: 18, GoSleep: 19, GoBlock: 20, GoUnblock: 21, GoBlockSend: 22, GoBlockRecv: 23,
  GoBlockSelect: 24, GoBlockSync: 25, GoBlockCond: 26, GoBlockNet: 27, GoSysCall: 28, GoSysExit: 29, GoSysBlock: 30,
  GoWaiting: 31, GoInSyscall: 32, HeapAlloc: 33, HeapGoal: 34, TimerGoroutine: 35, FutileWakeup: 36, String: 37,
  GoStartLocal: 38, GoUnblockLocal: 39, GoSysExitLocal: 40, GoStartLabel: 41, GoBlockGC: 42, GCMarkAssistStart: 43,
  GCMarkAssistDone: 44, UserTaskCreate: 45, UserTaskEnd: 46, UserRegion: 47, UserLog: 48, CPUSample: 49,
} as const
export const V1_COUNT = 50

export interface V1Desc {
  name: string
  /** First format version (Go 1.N) that has this event. */
  since: number
  /** The last wire argument is a stack ID. */
  stack: boolean
  args: number
}

const d = (name: string, since: number, stack: boolean, args: number): V1Desc => ({ name, since, stack, args })
export const V1_DESC: V1Desc[] = [
  d('None', 5, false, 0), d('Batch', 5, false, 2), d('Frequency', 5, false, 1), d('Stack', 5, false, 2),
  d('Gomaxprocs', 5, true, 1), d('ProcStart', 5, false, 1), d('ProcStop', 5, false, 0), d('GCStart', 5, true, 1),
  d('GCDone', 5, false, 0), d('GCSTWStart', 5, false, 1), d('GCSTWDone', 5, false, 0), d('GCSweepStart', 5, true, 0),
  d('GCSweepDone', 5, false, 2), d('GoCreate', 5, true, 2), d('GoStart', 5, false, 2), d('GoEnd', 5, false, 0),
  d('GoStop', 5, true, 0), d('GoSched', 5, true, 0), d('GoPreempt', 5, true, 0), d('GoSleep', 5, true, 0),
  d('GoBlock', 5, true, 0), d('GoUnblock', 5, true, 2), d('GoBlockSend', 5, true, 0), d('GoBlockRecv', 5, true, 0),
  d('GoBlockSelect', 5, true, 0), d('GoBlockSync', 5, true, 0), d('GoBlockCond', 5, true, 0), d('GoBlockNet', 5, true, 0),
  d('GoSysCall', 5, true, 0), d('GoSysExit', 5, false, 3), d('GoSysBlock', 5, false, 0), d('GoWaiting', 5, false, 1),
  d('GoInSyscall', 5, false, 1), d('HeapAlloc', 5, false, 1), d('HeapGoal', 5, false, 1), d('TimerGoroutine', 5, false, 1),
  d('FutileWakeup', 5, false, 0), d('String', 7, false, 0), d('GoStartLocal', 7, false, 1), d('GoUnblockLocal', 7, true, 1),
  d('GoSysExitLocal', 7, false, 2), d('GoStartLabel', 8, false, 3), d('GoBlockGC', 8, true, 0),
  d('GCMarkAssistStart', 9, true, 0), d('GCMarkAssistDone', 9, false, 0), d('UserTaskCreate', 11, true, 3),
  d('UserTaskEnd', 11, true, 1), d('UserRegion', 11, true, 3), d('UserLog', 11, true, 2), d('CPUSample', 19, true, 3),
]

/** Pseudo-Ps Go's reader moves some events to (they print as P=1000001...). */
export const FAKE_P = { Timer: 1000001, Netpoll: 1000002, Syscall: 1000003, GC: 1000004, Profile: 1000005 } as const

/** One decoded legacy event. Times are CPU ticks until the reader rescales them to ns. */
export interface V1Event {
  type: number
  ts: number
  p: number
  g: number
  /** Event-specific arguments (after the timestamp, without the stack). UserLog: a3 = inline string index.
   *  Four fields rather than an array: one allocation per event, not two. */
  a0: number
  a1: number
  a2: number
  a3: number
  stk: number
  /** File offset of the event's first byte, for error messages. */
  off: number
}

/** Wire arguments the event must carry: its own, the stack, and the timestamp for timed events. */
export function wireArgCount(type: number, got: number): number {
  if (type === V1.Stack) return got
  const desc = V1_DESC[type]!
  let n = desc.args + (desc.stack ? 1 : 0)
  if (type !== V1.Batch && type !== V1.Frequency && type !== V1.TimerGoroutine) n++
  return n
}

/** Built-in reason strings the conversion gives block events and STW kinds (Go's names, in its order). */
export const STW_KINDS = [
  '', 'GC mark termination', 'GC sweep termination', 'write heap dump', 'goroutine profile', 'goroutine profile cleanup',
  'all goroutine stack trace', 'read mem stats', 'AllThreadsSyscall', 'GOMAXPROCS', 'start trace', 'stop trace',
  'CountPagesInUse (test)', 'ReadMetricsSlow (test)', 'ReadMemStatsSlow (test)', 'PageCachePagesLeaked (test)',
  'ResetDebugLog (test)',
]

/** The STW kind name for a GCSTWStart argument: Go 1.11-1.19 had two kinds (0, 1), Go 1.21 the full table. */
export function stwKind(version: number, kind: number): string {
  if (version < 21) return kind === 0 || kind === 1 ? STW_KINDS[kind + 1]! : ''
  if (version === 21 && kind >= 0 && kind < STW_KINDS.length) return STW_KINDS[kind]!
  return ''
}

/** The ordered events in columns (a few dozen bytes each instead of two objects), for traces of millions. */
export class V1Columns {
  n = 0
  type = new Uint8Array(1024)
  ts = new Float64Array(1024)
  p = new Int32Array(1024)
  g = new Float64Array(1024)
  args = new Float64Array(4096)
  stk = new Uint32Array(1024)
  off = new Float64Array(1024)

  push(ev: V1Event): void {
    const i = this.n
    if (i === this.type.length) this.grow(i * 2)
    this.type[i] = ev.type
    this.ts[i] = ev.ts
    this.p[i] = ev.p
    this.g[i] = ev.g
    const a = i * 4
    this.args[a] = ev.a0
    this.args[a + 1] = ev.a1
    this.args[a + 2] = ev.a2
    this.args[a + 3] = ev.a3
    this.stk[i] = ev.stk
    this.off[i] = ev.off
    this.n = i + 1
  }

  arg(i: number, k: number): number {
    return this.args[i * 4 + k]!
  }

  private grow(cap: number): void {
    this.type = grown(this.type, cap)
    this.ts = grown(this.ts, cap)
    this.p = grown(this.p, cap)
    this.g = grown(this.g, cap)
    this.args = grown(this.args, cap * 4)
    this.stk = grown(this.stk, cap)
    this.off = grown(this.off, cap)
  }

  /** Reorders every column by `perm` (new position -> old index). */
  permute(perm: Uint32Array): void {
    const n = this.n
    const type = new Uint8Array(n), ts = new Float64Array(n), p = new Int32Array(n), g = new Float64Array(n)
    const args = new Float64Array(n * 4), stk = new Uint32Array(n), off = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const j = perm[i]!
      type[i] = this.type[j]!; ts[i] = this.ts[j]!; p[i] = this.p[j]!; g[i] = this.g[j]!
      args[i * 4] = this.args[j * 4]!; args[i * 4 + 1] = this.args[j * 4 + 1]!
      args[i * 4 + 2] = this.args[j * 4 + 2]!; args[i * 4 + 3] = this.args[j * 4 + 3]!
      stk[i] = this.stk[j]!; off[i] = this.off[j]!
    }
    Object.assign(this, { type, ts, p, g, args, stk, off })
  }
}
