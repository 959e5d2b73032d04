// Builds the TraceModel from ordered events in one pass: replays every state transition, closing a span whenever a
// goroutine, P or M changes what it does, and keeps the per-goroutine facts the leak analysis needs.
import type { DecodedTrace } from '../trace/decode'
import { transition } from '../trace/dump'
import { ARGS } from '../trace/events'
import { EV, EV_SYNC } from '../trace/spec'
import { utf8 } from '../trace/text'
import type { GoroutineRecord, GoState, Stack } from './goroutine'
import { Columns, STATE, type GoroutineSpans, type RangeSpans, type ResourceSpans, type Series, type TraceModel } from './model'

const NAMES: GoState[] = ['Undetermined', 'NotExist', 'Runnable', 'Running', 'Waiting', 'Syscall']
/** One shared empty stack: traces can hold millions of goroutines, most with no stack of some kind. */
const NO_STACK: Stack = Object.freeze([]) as Stack

/**
 * Per-goroutine replay state in typed columns indexed by a dense goroutine number (traces can hold millions of
 * goroutines: one object each would make the build garbage-collection bound).
 */
class GoroutineStates {
  n = 0
  state = new Uint8Array(1024)
  since = new Float64Array(1024)
  reason = new Uint32Array(1024)
  stack = new Uint32Array(1024)
  runningSince = new Float64Array(1024)
  add(): number {
    if (this.n === this.state.length) {
      const grow = <T extends Uint8Array | Float64Array | Uint32Array>(a: T): T => {
        const next = new (a.constructor as new (n: number) => T)(a.length * 2)
        next.set(a)
        return next
      }
      this.state = grow(this.state)
      this.since = grow(this.since)
      this.reason = grow(this.reason)
      this.stack = grow(this.stack)
      this.runningSince = grow(this.runningSince)
    }
    const i = this.n++
    this.state[i] = 0
    this.since[i] = 0
    this.reason[i] = 0
    this.stack[i] = 0
    this.runningSince[i] = -1
    return i
  }
}

export function buildModel(trace: DecodedTrace): TraceModel {
  const ev = trace.events
  const n = ev.count
  const origin = n > 0 ? ev.timeAt(0) : 0
  const end = n > 0 ? ev.timeAt(n - 1) - origin : 0
  const strings = ev.strings.map(utf8)
  const frameOf = (f: number) => {
    const fr = ev.frames[f]!
    return { func: strings[fr.func]!, file: strings[fr.file]!, line: fr.line }
  }
  const stacks: Stack[] = ev.stacks.map((fs) => fs.map(frameOf))

  const gIndex = new Map<number, number>()
  const records: GoroutineRecord[] = []
  const gs = new GoroutineStates()
  const gSpans = new Columns(['goroutine', 'start', 'end', 'state', 'reason', 'stack'] as const)
  const pSpans = new Columns(['resource', 'goroutine', 'start', 'end'] as const)
  const mSpans = new Columns(['resource', 'goroutine', 'start', 'end'] as const)
  // Which goroutine runs on each P / M, and since when.
  const pRun = new Map<number, number>()
  const pSince = new Map<number, number>()
  const mRun = new Map<number, number>()
  const mSince = new Map<number, number>()
  const ranges = {
    gc: new Columns(['resource', 'kind', 'start', 'end'] as const),
    stw: new Columns(['resource', 'kind', 'start', 'end'] as const),
    sweeps: new Columns(['resource', 'kind', 'start', 'end'] as const),
    markAssists: new Columns(['resource', 'kind', 'start', 'end'] as const),
  }
  const open = new Map<string, { start: number; kind: number }>()
  const heapAlloc = new Columns(['time', 'value'] as const)
  const heapGoal = new Columns(['time', 'value'] as const)
  const gomaxprocs = new Columns(['time', 'value'] as const)
  const counts = [0, 0, 0, 0, 0, 0]
  const countSeries = [2, 3, 4, 5].map(() => new Columns(['time', 'value'] as const))
  const unblocks = new Columns(['time', 'goroutine', 'by', 'stack'] as const)
  const tasks = new Map<number, TraceModel['tasks'][number]>()
  const taskList: TraceModel['tasks'] = []
  const regions: TraceModel['regions'] = []
  const openRegions = new Map<number, TraceModel['regions']>()
  const logs: TraceModel['logs'] = []
  const procs = new Set<number>()
  const threads = new Set<number>()
  let gcCount = 0
  let lastCountT = -1

  /** The dense index of goroutine id, creating its record on first sight. */
  const goroutine = (id: number): number => {
    let i = gIndex.get(id)
    if (i === undefined) {
      i = gs.add()
      gIndex.set(id, i)
      records.push({
        id, createdNs: null, endedNs: null, parent: null, creationStack: NO_STACK, startStack: NO_STACK, statusStack: NO_STACK,
        finalState: 'Undetermined', finalReason: '', finalStack: NO_STACK, lastTransitionNs: 0, lastBlockNs: null, lastBlockReason: '', lastBlockStack: NO_STACK,
        wakeups: 0, lastWakeupNs: null, runningNs: 0, label: '',
      })
    }
    return i
  }
  const closeRun = (run: Map<number, number>, since: Map<number, number>, cols: typeof pSpans, res: number, t: number) => {
    const g = run.get(res)
    if (g !== undefined) {
      const from = since.get(res)!
      if (t > from) cols.row(res, g, from, t)
      run.delete(res)
      since.delete(res)
    }
  }
  const recordCounts = (t: number) => {
    for (let k = 0; k < 4; k++) {
      const c = countSeries[k]!
      const v = counts[k + 2]!
      if (t === lastCountT && c.length > 0) c.cols.value[c.length - 1] = v
      else c.row(t, v)
    }
    lastCountT = t
  }
  const openRange = (key: string, t: number, kind = 0) => void open.set(key, { start: t, kind })
  const closeRange = (key: string, cols: Columns<'resource' | 'kind' | 'start' | 'end'>, res: number, t: number) => {
    const o = open.get(key)
    cols.push({ resource: res, kind: o?.kind ?? 0, start: o ? o.start : 0, end: t })
    open.delete(key)
  }

  const a = new Float64Array(ARGS) // this event's arguments (reused: no allocation per event)
  for (let i = 0; i < n; i++) {
    const type = ev.typeAt(i)
    if (type === EV_SYNC) continue
    const t = ev.timeAt(i) - origin
    ev.argsInto(i, a)
    const g = ev.gAt(i)
    const p = ev.pAt(i)
    const m = ev.mAt(i)
    if (p >= 0) procs.add(p)
    if (m !== -1) threads.add(m)
    switch (type) {
      case EV.HeapAlloc: heapAlloc.push({ time: t, value: a[0]! }); continue
      case EV.HeapGoal: heapGoal.push({ time: t, value: a[0]! }); continue
      case EV.ProcsChange: gomaxprocs.push({ time: t, value: a[0]! }); continue
      case EV.GoLabel: records[goroutine(g)]!.label = strings[a[0]!]!; continue
      case EV.GCBegin: case EV.GCActive: gcCount++; openRange('gc', type === EV.GCActive ? 0 : t); continue
      case EV.GCEnd: closeRange('gc', ranges.gc, 0, t); continue
      case EV.STWBegin: openRange(`stw${g}`, t, a[0]!); continue
      case EV.STWEnd: closeRange(`stw${g}`, ranges.stw, g, t); continue
      case EV.GCSweepBegin: openRange(`sw${p}`, t); continue
      case EV.GCSweepActive: openRange(`sw${a[0]}`, 0); continue
      case EV.GCSweepEnd: closeRange(`sw${p}`, ranges.sweeps, p, t); continue
      case EV.GCMarkAssistBegin: openRange(`ma${g}`, t); continue
      case EV.GCMarkAssistActive: openRange(`ma${a[0]}`, 0); continue
      case EV.GCMarkAssistEnd: closeRange(`ma${g}`, ranges.markAssists, g, t); continue
      case EV.UserTaskBegin: {
        const task = { id: a[0]!, parent: a[1]!, name: strings[a[2]!]!, startNs: t, endNs: null }
        tasks.set(task.id, task)
        taskList.push(task)
        continue
      }
      case EV.UserTaskEnd: {
        const task = tasks.get(a[0]!)
        if (task) task.endNs = t
        else taskList.push({ id: a[0]!, parent: a[2]!, name: strings[a[3]!]!, startNs: null, endNs: t })
        tasks.delete(a[0]!)
        continue
      }
      case EV.UserRegionBegin: {
        const r = { goroutine: g, task: a[0]!, name: strings[a[1]!]!, startNs: t, endNs: null }
        regions.push(r)
        const list = openRegions.get(g) ?? []
        list.push(r)
        openRegions.set(g, list)
        continue
      }
      case EV.UserRegionEnd: {
        const list = openRegions.get(g)
        const r = list?.pop()
        if (r) r.endNs = t
        else regions.push({ goroutine: g, task: a[0]!, name: strings[a[1]!]!, startNs: 0, endNs: t })
        continue
      }
      case EV.UserLog: logs.push({ goroutine: g, task: a[0]!, category: strings[a[1]!]!, message: strings[a[2]!]!, timeNs: t }); continue
    }
    if (!isTransition(type)) continue
    const tr = transition(type, a, g, p)
    if (tr.proc) {
      if (tr.to !== 2 /* Running */) closeRun(pRun, pSince, pSpans, tr.id, t)
      continue
    }
    const gi = goroutine(tr.id)
    const rec = records[gi]!
    const cur = gs.state[gi]!
    // A goroutine first seen through a status event existed before the trace: its state holds from the start.
    const from = tr.from === STATE.Undetermined ? 0 : gs.since[gi]!
    // A status restated in a later generation (s -> s) changes nothing: the span goes on.
    const changes = tr.from !== tr.to
    if (changes && cur !== STATE.Undetermined && cur !== STATE.NotExist && t > from) {
      gSpans.row(tr.id, from, t, cur, gs.reason[gi]!, gs.stack[gi]!)
    }
    if (!changes && tr.from !== STATE.Undetermined) continue
    if (cur === STATE.Running && gs.runningSince[gi]! >= 0) rec.runningNs += t - gs.runningSince[gi]!
    counts[cur]!--
    counts[tr.to]!++
    const stackId = tr.stack ?? 0
    switch (type) {
      case EV.GoCreate: case EV.GoCreateBlocked: case EV.GoCreateSyscall:
        rec.createdNs = t
        rec.parent = g >= 0 ? g : null
        rec.creationStack = stacks[a[2]!] ?? NO_STACK
        rec.startStack = type === EV.GoCreateSyscall ? [] : stacks[a[1]!] ?? NO_STACK
        break
      case EV.GoStatusStack:
        if (rec.statusStack.length === 0) rec.statusStack = stacks[a[3]!] ?? NO_STACK
        break
      case EV.GoUnblock: case EV.GoSwitch: case EV.GoSwitchDestroy: {
        rec.wakeups++
        rec.lastWakeupNs = t
        const spec = type === EV.GoUnblock ? a[2]! : 0
        unblocks.row(t, tr.id, g, spec)
        break
      }
    }
    if (tr.to === STATE.Waiting && tr.from !== STATE.Waiting) {
      rec.lastBlockNs = tr.from === STATE.Undetermined ? 0 : t
      rec.lastBlockReason = strings[tr.reason]!
      rec.lastBlockStack = stacks[type === EV.GoStatusStack ? a[3]! : stackId] ?? NO_STACK
    }
    if (tr.from !== tr.to || tr.from === STATE.Undetermined) {
      gs.state[gi] = tr.to
      gs.since[gi] = tr.from === STATE.Undetermined ? 0 : t
      gs.reason[gi] = tr.reason
      gs.stack[gi] = type === EV.GoStatusStack ? a[3]! : type === EV.GoCreate || type === EV.GoCreateBlocked ? a[1]! : stackId
      rec.finalState = NAMES[tr.to]!
      rec.finalReason = strings[tr.reason]!
      rec.finalStack = stacks[gs.stack[gi]!] ?? NO_STACK
      rec.lastTransitionNs = gs.since[gi]!
    }
    gs.runningSince[gi] = tr.to === STATE.Running ? t : -1
    if (tr.to === STATE.NotExist) rec.endedNs = t
    // Which goroutine runs on the P and the M.
    if (tr.to === STATE.Running && p >= 0) {
      closeRun(pRun, pSince, pSpans, p, t)
      pRun.set(p, tr.id)
      pSince.set(p, t)
    }
    if (tr.to === STATE.Running && m !== -1) {
      closeRun(mRun, mSince, mSpans, m, t)
      mRun.set(m, tr.id)
      mSince.set(m, t)
    }
    if (tr.from === STATE.Running && tr.to !== STATE.Running) {
      for (const [res, g2] of pRun) if (g2 === tr.id) closeRun(pRun, pSince, pSpans, res, t)
      for (const [res, g2] of mRun) if (g2 === tr.id) closeRun(mRun, mSince, mSpans, res, t)
    }
    recordCounts(t)
  }
  // Close what is still open at the end of the trace.
  for (let gi = 0; gi < gs.n; gi++) {
    const st = gs.state[gi]!
    const rec = records[gi]!
    if (st !== STATE.Undetermined && st !== STATE.NotExist && end > gs.since[gi]!) {
      gSpans.row(rec.id, gs.since[gi]!, end, st, gs.reason[gi]!, gs.stack[gi]!)
    }
    if (st === STATE.Running && gs.runningSince[gi]! >= 0) rec.runningNs += end - gs.runningSince[gi]!
  }
  for (const res of [...pRun.keys()]) closeRun(pRun, pSince, pSpans, res, end)
  for (const res of [...mRun.keys()]) closeRun(mRun, mSince, mSpans, res, end)
  for (const [key, o] of open) {
    const cols = key === 'gc' ? ranges.gc : key.startsWith('stw') ? ranges.stw : key.startsWith('sw') ? ranges.sweeps : ranges.markAssists
    cols.push({ resource: Number(key.replace(/^\D+/, '')) || 0, kind: o.kind, start: o.start, end })
  }

  const gsp = sortSpans(gSpans.trimmed(), 'goroutine')
  const series = (c: Columns<'time' | 'value'>): Series => c.trimmed()
  const rangeSpans = (c: Columns<'resource' | 'kind' | 'start' | 'end'>): RangeSpans => {
    const t = c.trimmed()
    return { length: t.length, start: t.start, end: t.end, resource: t.resource, kind: Uint32Array.from(t.kind) }
  }
  const goroutines = records.sort((x, y) => x.id - y.id)
  return {
    info: {
      format: `go 1.${trace.version}`,
      legacy: trace.legacy,
      generations: trace.generations,
      events: n,
      originNs: origin,
      durationNs: end,
      goroutines: goroutines.length,
      procs: procs.size,
      threads: threads.size,
      gcCount,
      error: trace.error ? trace.error.message : null,
    },
    goroutines,
    goroutineSpans: {
      length: gsp.length, goroutine: gsp.goroutine, start: gsp.start, end: gsp.end,
      state: Uint8Array.from(gsp.state), reason: Uint32Array.from(gsp.reason), stack: Uint32Array.from(gsp.stack),
    },
    procSpans: sortSpans(pSpans.trimmed(), 'resource') as ResourceSpans,
    threadSpans: sortSpans(mSpans.trimmed(), 'resource') as ResourceSpans,
    gc: rangeSpans(ranges.gc),
    stw: rangeSpans(ranges.stw),
    sweeps: rangeSpans(ranges.sweeps),
    markAssists: rangeSpans(ranges.markAssists),
    heapAlloc: series(heapAlloc),
    heapGoal: series(heapGoal),
    gomaxprocs: series(gomaxprocs),
    goroutineCounts: { runnable: series(countSeries[0]!), running: series(countSeries[1]!), waiting: series(countSeries[2]!), syscall: series(countSeries[3]!) },
    unblocks: { ...unblocks.trimmed(), stack: Uint32Array.from(unblocks.trimmed().stack) },
    tasks: taskList,
    regions,
    logs,
    strings,
    stacks,
    events: ev,
  } satisfies TraceModel as TraceModel
}

function isTransition(type: number): boolean {
  return (type >= EV.ProcStart && type <= EV.GoStatus) || (type >= EV.GoSwitch && type <= EV.GoStatusStack)
}

/**
 * Orders span columns by (key, start) so each goroutine's or resource's spans are contiguous and in time order.
 * Spans of one key are appended in time order during the replay, so a stable counting sort by key is enough: linear,
 * and no comparator over millions of spans.
 */
function sortSpans<T extends { length: number; start: Float64Array } & Record<string, Float64Array | number>>(cols: T, key: string): T {
  const n = cols.length
  const k = cols[key] as Float64Array
  const keys = Float64Array.from(new Set(k.subarray(0, n))).sort()
  const rank = new Map<number, number>()
  keys.forEach((v, i) => rank.set(v, i))
  const starts = new Uint32Array(keys.length + 1)
  const r = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    r[i] = rank.get(k[i]!)!
    starts[r[i]! + 1]!++
  }
  for (let i = 1; i < starts.length; i++) starts[i]! += starts[i - 1]!
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[starts[r[i]!]!++] = i
  const out = { length: n } as Record<string, unknown>
  for (const [name, col] of Object.entries(cols)) {
    if (name === 'length') continue
    const src = col as Float64Array
    const dst = new Float64Array(n)
    for (let i = 0; i < n; i++) dst[i] = src[order[i]!]!
    out[name] = dst
  }
  return out as T
}
