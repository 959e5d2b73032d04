// Builds the TraceModel from ordered events in one pass: replays every state transition, closing a span whenever a
// goroutine, P or M changes what it does, and keeps the per-goroutine facts the leak analysis needs.
import type { DecodedTrace } from '../trace/decode'
import { transitionInto, type Transition } from '../trace/dump'
import { eventRecord } from '../trace/events'
import { IdTable } from '../trace/id-table'
import { EV, EV_SYNC, goStatusToState } from '../trace/spec'
import { utf8 } from '../trace/text'
import type { Stack } from './goroutine'
import { GoroutineColumns, GoroutineTable, NO_STACK } from './goroutine-table'
import { Columns, STATE, type RangeSpans, type Series, type TraceModel } from './model'
import { CountBuilder, EventClock, EventsOfTypes, FROM_ORIGIN, GoroutineSpanLists, GoroutineSpanTable, RunStaging, TO_TRACE_END, TRACE_END, UNBLOCK_TYPES, UnblockTable } from './spans'
import { grown } from '../trace/typed-array'


/**
 * Per-goroutine replay state in typed columns indexed by a dense goroutine number (traces can hold millions of
 * goroutines: one object each would make the build garbage-collection bound).
 */
class GoroutineStates {
  n = 0
  state = new Uint8Array(1024)
  since = new Float64Array(1024)
  runningSince = new Float64Array(1024)
  /** The event that began the current state, and whether the state holds since the trace start. */
  startEv = new Uint32Array(1024)
  fromOrigin = new Uint8Array(1024)
  /** The P and M slots (see Runs) it was last put running on (-1: none), to end those runs when it stops. */
  runP = new Int32Array(1024)
  runM = new Int32Array(1024)
  /**
   * Whether its last staged span's end is still open, and the event that ended it: whether that is where its next
   * span starts is only known when the next one is staged.
   */
  open = new Uint8Array(1024)
  openTo = new Uint32Array(1024)
  add(): number {
    if (this.n === this.state.length) {
      this.state = grown(this.state)
      this.since = grown(this.since)
      this.runningSince = grown(this.runningSince)
      this.startEv = grown(this.startEv)
      this.fromOrigin = grown(this.fromOrigin)
      this.runP = grown(this.runP)
      this.runM = grown(this.runM)
      this.open = grown(this.open)
      this.openTo = grown(this.openTo)
    }
    const i = this.n++
    this.state[i] = 0
    this.since[i] = 0
    this.runningSince[i] = -1
    this.runP[i] = -1
    this.runM[i] = -1
    this.open[i] = 0
    return i
  }
}

/** The wall-clock time of the event at `origin`, from the first clock snapshot (see TraceInfo.wallStartNs). */
function wallStart(events: DecodedTrace['events'], origin: number): number | null {
  let first: number | null = null
  for (const i of events.clocks.keys()) if (first === null || i < first) first = i
  if (first === null) return null
  const c = events.clocks.get(first)!
  return c.sec * 1e9 + c.nsec - (c.trace - origin)
}

export function buildModel(trace: DecodedTrace): TraceModel {
  const ev = trace.events
  const n = ev.count
  const origin = n > 0 ? ev.timeAt(0) : 0
  const end = n > 0 ? ev.timeAt(n - 1) - origin : 0
  const strings = ev.strings.map(utf8)
  // One object per frame, shared by every stack that holds it.
  const frames = ev.frames.map((fr) => ({ func: strings[fr.func]!, file: strings[fr.file]!, line: fr.line }))
  const stacks: Stack[] = ev.stacks.map((fs) => fs.map((f) => frames[f]!))

  const gIndex = new IdTable()
  // What the goroutine table keeps (the events that created, changed and ended each one), by dense index.
  const records = new GoroutineColumns()
  const gs = new GoroutineStates()
  const clock = new EventClock(ev, origin, end)
  // Goroutine spans as they close, per goroutine: the event that begins each and its state (see spans.ts), and the
  // ends that are not where the goroutine's next span begins.
  let gSpans: GoroutineSpanLists | null = new GoroutineSpanLists()
  const pSpans = new RunStaging()
  const mSpans = new RunStaging()
  // Which goroutine (record index) runs on each P / M, and since which event.
  const pRun = new Runs()
  const mRun = new Runs()
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
  // A goroutine first seen through a status event existed from the trace's start, in that state, as its spans say;
  // it counts from there too. (Go 1.23 and later write the status of a goroutine that has not moved only when the
  // generation ends: counted at that event, every goroutine from before the trace came in at the trace's end.)
  const counts = [0, 0, 0, 0, 0, 0]
  const statusTypes = new Uint8Array(256)
  statusTypes[EV.GoStatus] = statusTypes[EV.GoStatusStack] = 1
  for (let i = ev.nextOfType(0, statusTypes); i < n; i = ev.nextOfType(i + 1, statusTypes)) {
    const status = ev.arg(i, 2)
    if (status >> 8 === STATE.Undetermined) counts[goStatusToState[status & 0xff]!]!++
  }
  // Goroutine counts by state (Runnable, Running, Waiting, Syscall) share one time column.
  const countPoints = new CountBuilder(n)
  if (n > 0) countPoints.record(0, 0, counts[2]!, counts[3]!, counts[4]!, counts[5]!)
  // Every event that wakes a goroutine is one: found by type, not listed.
  const unblocks = new EventsOfTypes(ev, UNBLOCK_TYPES)
  const tasks = new Map<number, TraceModel['tasks'][number]>()
  const taskList: TraceModel['tasks'] = []
  const regions: TraceModel['regions'] = []
  const openRegions = new Map<number, TraceModel['regions']>()
  const logs: TraceModel['logs'] = []
  const procs = new Set<number>()
  const threads = new Set<number>()
  let gcCount = 0

  /** The dense index of goroutine id, creating its record on first sight. */
  const goroutine = (id: number): number => {
    let i = gIndex.get(id)
    if (i === undefined) {
      i = gs.add()
      records.add(id)
      gIndex.set(id, i)
    }
    return i
  }
  /** Stages a goroutine's span from event fromEv to toEv (TRACE_END: the end of the trace). */
  const pushSpan = (lists: GoroutineSpanLists, gi: number, fromEv: number, toEv: number, state: number) => {
    if (gs.open[gi] && gs.openTo[gi] !== fromEv) lists.markApart(gi, gs.openTo[gi]!)
    if (toEv === TRACE_END) {
      lists.push(gi, fromEv, state | TO_TRACE_END)
      gs.open[gi] = 0
    } else {
      lists.push(gi, fromEv, state)
      gs.open[gi] = 1
      gs.openTo[gi] = toEv
    }
  }
  /** Ends what runs in a resource's slot at event endEv (TRACE_END: the end of the trace), time t. */
  const closeRun = (run: Runs, cols: RunStaging, slot: number, endEv: number, t: number) => {
    const gi = run.gi[slot]!
    if (gi >= 0) {
      const fromEv = run.since[slot]!
      if (t > clock.at(fromEv)) cols.push(run.ids[slot]!, fromEv, endEv)
      run.gi[slot] = -1
    }
  }

  const openRange = (key: string, t: number, kind = 0) => void open.set(key, { start: t, kind })
  // An *Active event restates a range still running at a generation's start: the range it continues, or, the first
  // time it is seen, one that began before the trace. Returns whether it is new.
  const activeRange = (key: string) => !open.has(key) && (open.set(key, { start: 0, kind: 0 }), true)
  const closeRange = (key: string, cols: Columns<'resource' | 'kind' | 'start' | 'end'>, res: number, t: number) => {
    const o = open.get(key)
    cols.push({ resource: res, kind: o?.kind ?? 0, start: o ? o.start : 0, end: t })
    open.delete(key)
  }

  const e = eventRecord() // this event (reused: no allocation per event)
  const a = e.args
  const trBuf: Transition = { proc: false, id: 0, from: 0, to: 0, reason: 0, stack: null }
  let lastP = NaN
  let lastM = NaN
  for (let i = 0; i < n; i++) {
    ev.read(i, e)
    const type = e.type
    unblocks.note(i, type)
    if (type === EV_SYNC) continue
    const t = e.time - origin
    const g = e.g
    const p = e.p
    const m = e.m
    if (p !== lastP && p >= 0) procs.add((lastP = p))
    if (m !== lastM && m !== -1) threads.add((lastM = m))
    // State transitions (most events) skip the chain of comparisons below.
    if (!isTransition(type)) switch (type) {
      case EV.HeapAlloc: heapAlloc.push({ time: t, value: a[0]! }); continue
      case EV.HeapGoal: heapGoal.push({ time: t, value: a[0]! }); continue
      case EV.ProcsChange: gomaxprocs.push({ time: t, value: a[0]! }); continue
      case EV.GoLabel: records.labels.set(goroutine(g), a[0]!); continue
      case EV.GCBegin: gcCount++; openRange('gc', t); continue
      case EV.GCActive: if (activeRange('gc')) gcCount++; continue
      case EV.GCEnd: closeRange('gc', ranges.gc, 0, t); continue
      case EV.STWBegin: openRange(`stw${g}`, t, a[0]!); continue
      case EV.STWEnd: closeRange(`stw${g}`, ranges.stw, g, t); continue
      case EV.GCSweepBegin: openRange(`sw${p}`, t); continue
      case EV.GCSweepActive: activeRange(`sw${a[0]}`); continue
      case EV.GCSweepEnd: closeRange(`sw${p}`, ranges.sweeps, p, t); continue
      case EV.GCMarkAssistBegin: openRange(`ma${g}`, t); continue
      case EV.GCMarkAssistActive: activeRange(`ma${a[0]}`); continue
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
    const tr = transitionInto(trBuf, type, a, g, p)
    if (tr.proc) {
      // A P named only by its own status or start/stop (idle the whole trace) is one of the trace's Ps too.
      if (tr.id >= 0) procs.add(tr.id)
      if (tr.to !== 2 /* Running */) closeRun(pRun, pSpans, pRun.slot(tr.id), i, t)
      continue
    }
    const gi = goroutine(tr.id)
    const cur = gs.state[gi]!
    // A goroutine first seen through a status event existed before the trace: its state holds from the start.
    const from = tr.from === STATE.Undetermined ? 0 : gs.since[gi]!
    // A status restated in a later generation (s -> s) changes nothing: the span goes on.
    const changes = tr.from !== tr.to
    if (changes && cur !== STATE.Undetermined && cur !== STATE.NotExist && t > from) {
      pushSpan(gSpans, gi, gs.startEv[gi]!, i, cur | (gs.fromOrigin[gi]! ? FROM_ORIGIN : 0))
    }
    if (!changes && tr.from !== STATE.Undetermined) continue
    if (cur === STATE.Running && gs.runningSince[gi]! >= 0) records.runningNs[gi] += t - gs.runningSince[gi]!
    if (tr.from !== STATE.Undetermined) {
      counts[cur]!--
      counts[tr.to]!++
    }
    switch (type) {
      case EV.GoCreate: case EV.GoCreateBlocked: case EV.GoCreateSyscall:
        records.created[gi] = i
        break
      case EV.GoStatusStack:
        if ((stacks[records.statusStack[gi]!] ?? NO_STACK).length === 0) records.statusStack[gi] = a[3]!
        break
      case EV.GoStatus:
        if (ev.entryStacks.size > 0) {
          const entry = ev.entryStacks.get(i)
          if (entry !== undefined) records.entryStacks.set(gi, entry)
        }
        break
      case EV.GoUnblock: case EV.GoSwitch: case EV.GoSwitchDestroy: {
        records.wakeups[gi]++
        records.lastWakeup[gi] = i
        break
      }
    }
    // The table reads the reason, stack and time of these back from the events.
    if (tr.to === STATE.Waiting && tr.from !== STATE.Waiting) records.lastBlock[gi] = i
    if (tr.from !== tr.to || tr.from === STATE.Undetermined) {
      gs.state[gi] = tr.to
      gs.since[gi] = tr.from === STATE.Undetermined ? 0 : t
      gs.startEv[gi] = i
      gs.fromOrigin[gi] = tr.from === STATE.Undetermined ? 1 : 0
      records.last[gi] = i
    }
    gs.runningSince[gi] = tr.to === STATE.Running ? t : -1
    if (tr.to === STATE.NotExist) records.ended[gi] = i
    // Which goroutine runs on the P and the M.
    if (tr.to === STATE.Running && p >= 0) {
      const slot = pRun.slot(p)
      closeRun(pRun, pSpans, slot, i, t)
      pRun.start(slot, gi, i)
      gs.runP[gi] = slot
    }
    if (tr.to === STATE.Running && m !== -1) {
      const slot = mRun.slot(m)
      closeRun(mRun, mSpans, slot, i, t)
      mRun.start(slot, gi, i)
      gs.runM[gi] = slot
    }
    if (tr.from === STATE.Running && tr.to !== STATE.Running) {
      const rp = gs.runP[gi]!
      if (rp >= 0 && pRun.gi[rp] === gi) closeRun(pRun, pSpans, rp, i, t)
      const rm = gs.runM[gi]!
      if (rm >= 0 && mRun.gi[rm] === gi) closeRun(mRun, mSpans, rm, i, t)
    }
    // (A first status changes no count: the goroutine was counted from the start.)
    if (tr.from !== STATE.Undetermined) countPoints.record(i, t, counts[2]!, counts[3]!, counts[4]!, counts[5]!)
  }
  // Close what is still open at the end of the trace.
  for (let gi = 0; gi < gs.n; gi++) {
    const st = gs.state[gi]!
    if (st !== STATE.Undetermined && st !== STATE.NotExist && end > gs.since[gi]!) {
      pushSpan(gSpans, gi, gs.startEv[gi]!, TRACE_END, st | (gs.fromOrigin[gi]! ? FROM_ORIGIN : 0))
    }
    // A goroutine whose last span ended before the trace did: that end is kept apart.
    if (gs.open[gi]) gSpans.markApart(gi, gs.openTo[gi]!)
    if (st === STATE.Running && gs.runningSince[gi]! >= 0) records.runningNs[gi] += end - gs.runningSince[gi]!
  }
  for (let s = 0; s < pRun.ids.length; s++) closeRun(pRun, pSpans, s, TRACE_END, end)
  for (let s = 0; s < mRun.ids.length; s++) closeRun(mRun, mSpans, s, TRACE_END, end)
  for (const [key, o] of open) {
    const cols = key === 'gc' ? ranges.gc : key.startsWith('stw') ? ranges.stw : key.startsWith('sw') ? ranges.sweeps : ranges.markAssists
    cols.push({ resource: Number(key.replace(/^\D+/, '')) || 0, kind: o.kind, start: o.start, end })
  }

  // P and M runs first: their tables are smaller than their staging.
  const procSpans = pSpans.table(clock)
  const threadSpans = mSpans.table(clock)
  // Goroutines in ID order; spans grouped by it.
  const byId = Uint32Array.from({ length: records.length }, (_, gi) => gi).sort((x, y) => records.id[x]! - records.id[y]!)
  const goroutines = new GoroutineTable(records.permuted(byId), clock, strings, stacks)
  const spanCount = gSpans.length
  const { chains, apartBits, apartEnds } = gSpans.seal(byId)
  gSpans = null
  const goroutineSpans = new GoroutineSpanTable(spanCount, clock, goroutines.ids, chains, apartBits, apartEnds)
  const series = (c: Columns<'time' | 'value'>): Series => c.trimmed()
  const rangeSpans = (c: Columns<'resource' | 'kind' | 'start' | 'end'>): RangeSpans => {
    const t = c.trimmed()
    return { length: t.length, start: t.start, end: t.end, resource: t.resource, kind: Uint32Array.from(t.kind) }
  }
  return {
    info: {
      format: `go 1.${trace.version}`,
      legacy: trace.legacy,
      generations: trace.generations,
      events: n,
      originNs: origin,
      wallStartNs: wallStart(ev, origin),
      threadIds: [...threads].sort((x, y) => x - y),
      durationNs: end,
      goroutines: goroutines.length,
      procs: procs.size,
      threads: threads.size,
      gcCount,
      decodeThreads: trace.threads,
      error: trace.error ? trace.error.message : null,
    },
    goroutines,
    goroutineSpans,
    procSpans,
    threadSpans,
    gc: rangeSpans(ranges.gc),
    stw: rangeSpans(ranges.stw),
    sweeps: rangeSpans(ranges.sweeps),
    markAssists: rangeSpans(ranges.markAssists),
    heapAlloc: series(heapAlloc),
    heapGoal: series(heapGoal),
    gomaxprocs: series(gomaxprocs),
    goroutineCounts: countPoints.table(clock),
    unblocks: new UnblockTable(clock, unblocks.seal()),
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

/** What runs on each P or M while replaying: a slot per resource ID, its goroutine (record index) and first event. */
class Runs {
  readonly ids: number[] = []
  readonly gi: number[] = []
  readonly since: number[] = []
  private readonly slots = new Map<number, number>()
  slot(id: number): number {
    let s = this.slots.get(id)
    if (s === undefined) {
      s = this.ids.length
      this.slots.set(id, s)
      this.ids.push(id)
      this.gi.push(-1)
      this.since.push(0)
    }
    return s
  }
  start(slot: number, gi: number, ev: number): void {
    this.gi[slot] = gi
    this.since[slot] = ev
  }
}
