// What a goroutine track's span values mean. Waiting is split by reason family because "blocked on a channel"
// and "sleeping" are different stories to a Go engineer; each has its own colour and legend entry.
import type { SpanColumns } from './spans'

export const GState = {
  None: 0,
  Running: 1,
  Runnable: 2,
  Syscall: 3,
  WaitChan: 4,
  WaitSelect: 5,
  WaitSync: 6,
  WaitIO: 7,
  WaitSleep: 8,
  WaitGC: 9,
  WaitOther: 10,
  Created: 11,
} as const

export interface StateInfo {
  code: number
  name: string
  color: string
}

/** Legend order = this order. Colours follow gotraceui's conventions (running green, runnable teal, blocked warm). */
export const STATE_INFO: readonly StateInfo[] = [
  { code: GState.Running, name: 'running', color: '#3fbf5f' },
  { code: GState.Runnable, name: 'runnable', color: '#3aa6a6' },
  { code: GState.Syscall, name: 'syscall', color: '#c27ef0' },
  { code: GState.WaitChan, name: 'blocked: chan', color: '#e05a4f' },
  { code: GState.WaitSelect, name: 'blocked: select', color: '#e88a3c' },
  { code: GState.WaitSync, name: 'blocked: sync', color: '#d6b34a' },
  { code: GState.WaitIO, name: 'blocked: I/O', color: '#5a8de0' },
  { code: GState.WaitSleep, name: 'sleeping', color: '#7a8496' },
  { code: GState.WaitGC, name: 'blocked: GC', color: '#b05d8c' },
  { code: GState.WaitOther, name: 'blocked: other', color: '#a0644a' },
  { code: GState.Created, name: 'created, not started', color: '#4d5566' },
]

const BY_CODE = new Map(STATE_INFO.map((s) => [s.code, s]))

export function stateInfo(code: number): StateInfo | undefined {
  return BY_CODE.get(code)
}

/** Maps Go's wait reason strings (runtime/runtime2.go waitReasonStrings) to a reason family. */
export function waitFamily(reason: string): number {
  const r = reason.toLowerCase()
  if (r.includes('select')) return GState.WaitSelect
  if (r.includes('chan')) return GState.WaitChan
  if (r.includes('sleep')) return GState.WaitSleep
  if (r.includes('io wait') || r.includes('network') || r.includes('netpoll') || r === 'io') return GState.WaitIO
  if (r.includes('gc') || r.includes('garbage') || r.includes('finalizer') || r.includes('sweep')) return GState.WaitGC
  if (r.includes('sync') || r.includes('mutex') || r.includes('semacquire') || r.includes('cond') || r.includes('waitgroup') || r.includes('rwmutex')) {
    return GState.WaitSync
  }
  return GState.WaitOther
}

/** The colours of the goroutine-count lines by state, in the timeline's plot and the report's chart alike. */
export const COUNT_COLORS = { running: '#3fbf5f', runnable: '#3aa6a6', waiting: '#e05a4f', syscall: '#c27ef0' } as const

/** A stable colour per goroutine id (P tracks): hue from a hash, so the same goroutine has the same colour everywhere. */
export function goroutineColor(id: number): string {
  let h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  const hue = h % 360
  const light = 48 + ((h >>> 9) % 3) * 8
  return `hsl(${hue} 55% ${light}%)`
}

/** ns per value inside [t0, t1): the "summary of states" of a selected range. */
export function timeByValue(
  spans: SpanColumns,
  t0: number,
  t1: number,
  into: Map<number, number>,
): void {
  for (let i = 0; i < spans.length; i++) {
    const s = spans.start[i]
    if (s >= t1) break
    const e = spans.end[i]
    if (e <= t0) continue
    const v = spans.value[i]
    into.set(v, (into.get(v) ?? 0) + Math.min(e, t1) - Math.max(s, t0))
  }
}
