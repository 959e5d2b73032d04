// Prints ordered events exactly as `go tool trace -d=parsed` (Go 1.26) does: one Event.String() per event, each
// followed by a newline. The parity tests hold this byte for byte against Go.
import type { EventStore } from './events'
import { unsignedText, hex } from './bytes'
import { EV, EV_SYNC, GO_STATE_NAMES, PROC_STATE_NAMES, ProcState, ProcStatus, SPECS, goStatusToState, procStatusToState } from './spec'
import { goQuote } from './text'

const KIND: Record<number, string> = { [EV_SYNC]: 'Sync', [EV.CPUSample]: 'StackSample' }
for (const t of [EV.ProcsChange, EV.HeapAlloc, EV.HeapGoal]) KIND[t] = 'Metric'
for (const t of [EV.ProcStart, EV.ProcStop, EV.ProcSteal, EV.ProcStatus, EV.GoCreate, EV.GoCreateSyscall, EV.GoStart, EV.GoDestroy,
  EV.GoDestroySyscall, EV.GoStop, EV.GoBlock, EV.GoUnblock, EV.GoSyscallBegin, EV.GoSyscallEnd, EV.GoSyscallEndBlocked, EV.GoStatus,
  EV.GoSwitch, EV.GoSwitchDestroy, EV.GoCreateBlocked, EV.GoStatusStack]) KIND[t] = 'StateTransition'
for (const t of [EV.STWBegin, EV.GCBegin, EV.GCSweepBegin, EV.GCMarkAssistBegin]) KIND[t] = 'RangeBegin'
for (const t of [EV.GCActive, EV.GCSweepActive, EV.GCMarkAssistActive]) KIND[t] = 'RangeActive'
for (const t of [EV.STWEnd, EV.GCEnd, EV.GCSweepEnd, EV.GCMarkAssistEnd]) KIND[t] = 'RangeEnd'
KIND[EV.GoLabel] = 'Label'
KIND[EV.UserTaskBegin] = 'TaskBegin'
KIND[EV.UserTaskEnd] = 'TaskEnd'
KIND[EV.UserRegionBegin] = 'RegionBegin'
KIND[EV.UserRegionEnd] = 'RegionEnd'
KIND[EV.UserLog] = 'Log'
for (let t = 128; t <= 136; t++) KIND[t] = 'Experimental'

const METRIC: Record<number, string> = {
  [EV.ProcsChange]: '/sched/gomaxprocs:threads',
  [EV.HeapAlloc]: '/memory/classes/heap/objects:bytes',
  [EV.HeapGoal]: '/gc/heap/goal:bytes',
}

export function eventKind(type: number): string {
  return KIND[type] ?? 'Bad'
}

/** RFC 3339 with nanoseconds, trailing zeros trimmed, in UTC (Go's time.RFC3339Nano in a UTC zone). */
export function rfc3339Nano(sec: number, nsec: number): string {
  const total = BigInt(sec) * 1_000_000_000n + BigInt(nsec)
  let s = total / 1_000_000_000n
  let ns = total % 1_000_000_000n
  if (ns < 0n) {
    ns += 1_000_000_000n
    s -= 1n
  }
  const d = new Date(Number(s) * 1000)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  let out = `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
  if (ns !== 0n) out += '.' + ns.toString().padStart(9, '0').replace(/0+$/, '')
  return out + 'Z'
}

function stackText(store: EventStore, id: number): string {
  let s = ''
  for (const f of store.stacks[id] ?? []) {
    const fr = store.frames[f]!
    s += `\t${store.strings[fr.func]} @ 0x${hex(fr.pc)}\n\t\t${store.strings[fr.file]}:${fr.line}\n`
  }
  return s
}

/**
 * The text Go prints for event i (without the trailing newline Println adds), as a byte string: one char per output
 * byte, trace strings (function names, paths) byte for byte. Write it with latin1 encoding, or decode it with utf8().
 */
export function eventString(store: EventStore, i: number): string {
  const type = store.typeAt(i)
  const a = [store.arg(i, 0), store.arg(i, 1), store.arg(i, 2), store.arg(i, 3)]
  const g = store.gAt(i)
  const p = store.pAt(i)
  const q = (id: number) => goQuote(store.strings[id] ?? '')
  let s = `M=${store.mAt(i)} P=${p} G=${g} ${eventKind(type)} Time=${store.timeAt(i)}`
  let stack = 0
  const spec = SPECS[type]
  if (spec && spec.stackArgs.length > 0) stack = a[spec.stackArgs[0]!]!
  switch (KIND[type]) {
    case 'Metric':
      s += ` Name=${goQuote(METRIC[type]!)} Value=Value{Uint64(${unsignedText(a[0]!)})}`
      break
    case 'Label':
      s += ` Label=${q(a[0]!)} Resource=Goroutine(${g})`
      break
    case 'RangeBegin':
    case 'RangeActive':
    case 'RangeEnd': {
      let name: string
      let scope: string
      if (type === EV.STWBegin || type === EV.STWEnd) {
        name = 'stop-the-world (' + (store.strings[a[0]!] ?? '') + ')'
        scope = `Goroutine(${g})`
      } else if (type === EV.GCBegin || type === EV.GCActive || type === EV.GCEnd) {
        name = 'GC concurrent mark phase'
        scope = 'None'
      } else if (type === EV.GCSweepBegin || type === EV.GCSweepActive || type === EV.GCSweepEnd) {
        name = 'GC incremental sweep'
        scope = `Proc(${type === EV.GCSweepActive ? a[0] : p})`
      } else {
        name = 'GC mark assist'
        scope = `Goroutine(${type === EV.GCMarkAssistActive ? a[0] : g})`
      }
      s += ` Name=${goQuote(name)} Scope=${scope}`
      if (KIND[type] === 'RangeEnd') {
        s += ' Attributes=['
        if (type === EV.GCSweepEnd) s += `"bytes swept"=Value{Uint64(${unsignedText(a[0]!)})} "bytes reclaimed"=Value{Uint64(${unsignedText(a[1]!)})}`
        s += ']'
      }
      break
    }
    case 'TaskBegin':
      s += ` ID=${unsignedText(a[0]!)} Parent=${unsignedText(a[1]!)} Type=${q(a[2]!)}`
      break
    case 'TaskEnd':
      s += ` ID=${unsignedText(a[0]!)} Parent=${unsignedText(a[2]!)} Type=${q(a[3]!)}`
      break
    case 'RegionBegin':
    case 'RegionEnd':
      s += ` Task=${unsignedText(a[0]!)} Type=${q(a[1]!)}`
      break
    case 'Log':
      s += ` Task=${unsignedText(a[0]!)} Category=${q(a[1]!)} Message=${q(a[2]!)}`
      break
    case 'StateTransition': {
      const t = transition(type, a, g, p)
      s += t.proc ? ` ProcID=${t.id} ${PROC_STATE_NAMES[t.from]}->${PROC_STATE_NAMES[t.to]}` : ` GoID=${t.id} ${GO_STATE_NAMES[t.from]}->${GO_STATE_NAMES[t.to]}`
      s += ` Reason=${q(t.reason)}`
      if (t.stack !== null) s += '\nTransitionStack=\n' + stackText(store, t.stack)
      break
    }
    case 'Experimental': {
      const names = spec!.args
      s += ` Name=${spec!.name} Args=[` + names.map((n, k) => `${n}=Value{Uint64(${unsignedText(a[k]!)})}`).join(', ') + ']'
      break
    }
    case 'Sync': {
      s += ` N=${a[0]}`
      const c = store.clocks.get(i)
      if (c) s += ` Trace=${c.trace} Mono=${unsignedText(c.mono)} Wall=${rfc3339Nano(c.sec, c.nsec)}`
      break
    }
  }
  if (type === EV.CPUSample) stack = a[0]!
  if (type !== EV_SYNC && stack !== 0) s += '\nStack=\n' + stackText(store, stack)
  return s
}

export interface Transition {
  proc: boolean
  id: number
  from: number
  to: number
  /** String id of the reason (0 = none). */
  reason: number
  /** Transition stack id, 0 for an empty one; null when there is none. */
  stack: number | null
}

/** What a state-transition event does, in Go's high-level terms (used by the dump and the model alike). */
export function transition(type: number, a: ArrayLike<number>, g: number, p: number): Transition {
  return transitionInto({ proc: false, id: 0, from: 0, to: 0, reason: 0, stack: null }, type, a, g, p)
}

/** transition(), written into out (the model calls it for millions of events: no object or closure each). */
export function transitionInto(out: Transition, type: number, a: ArrayLike<number>, g: number, p: number): Transition {
  let proc = false
  let id: number
  let from: number
  let to: number
  let reason = 0
  let stack: number | null = null
  switch (type) {
    case EV.ProcStart: proc = true; id = a[0]!; from = ProcState.Idle; to = ProcState.Running; break
    case EV.ProcStop: proc = true; id = p; from = ProcState.Running; to = ProcState.Idle; break
    case EV.ProcSteal: proc = true; id = a[0]!; from = a[3] === ProcStatus.SyscallAbandoned ? ProcState.Idle : ProcState.Running; to = ProcState.Idle; break
    case EV.ProcStatus: proc = true; id = a[0]!; from = a[2]!; to = procStatusToState[a[1]!]!; break
    case EV.GoCreate: id = a[0]!; from = 1; to = 2; stack = a[1]!; break
    case EV.GoCreateBlocked: id = a[0]!; from = 1; to = 4; stack = a[1]!; break
    case EV.GoCreateSyscall: id = a[0]!; from = 1; to = 5; break
    case EV.GoStart: id = a[0]!; from = 2; to = 3; break
    case EV.GoDestroy: id = g; from = 3; to = 1; break
    case EV.GoDestroySyscall: id = g; from = 5; to = 1; break
    case EV.GoStop: id = g; from = 3; to = 2; reason = a[0]!; stack = a[1] === 0 ? null : a[1]!; break
    case EV.GoBlock: id = g; from = 3; to = 4; reason = a[0]!; stack = a[1] === 0 ? null : a[1]!; break
    case EV.GoUnblock: case EV.GoSwitch: case EV.GoSwitchDestroy: id = a[0]!; from = 4; to = 2; break
    case EV.GoSyscallBegin: id = g; from = 3; to = 5; stack = a[1] === 0 ? null : a[1]!; break
    case EV.GoSyscallEnd: id = g; from = 5; to = 3; break
    case EV.GoSyscallEndBlocked: id = g; from = 5; to = 2; break
    case EV.GoStatus: id = a[0]!; from = a[2]! >> 8; to = goStatusToState[a[2]! & 0xff]!; break
    case EV.GoStatusStack: id = a[0]!; from = a[2]! >> 8; to = goStatusToState[a[2]! & 0xff]!; stack = a[3] === 0 ? null : a[3]!; break
    default: throw new Error(`not a state transition: ${type}`)
  }
  out.proc = proc
  out.id = id
  out.from = from
  out.to = to
  out.reason = reason
  out.stack = stack
  return out
}

/** The whole dump, as one string per event (call join('\n') + '\n', or stream them). */
export function* dumpLines(store: EventStore): Generator<string> {
  for (let i = 0; i < store.count; i++) yield eventString(store, i)
}
