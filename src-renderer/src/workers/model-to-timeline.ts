// The decoder and model (src-shared/trace, src-shared/model) seen as a TimelineSource: columnar spans are visited
// in place, never copied into objects. A decode that stopped early still opens (like `go tool trace`) when it
// produced events, with the problem shown as a warning; one that produced nothing is an error.
import { decodeEvents, type DecodedTrace } from '@shared/trace/decode'
import { webOrderThread } from './order-thread'
import { buildModel } from '@shared/model/build'
import type { GoroutineCounts, RangeSpans, TraceModel } from '@shared/model/model'
import { arraySeries, type StepSeries } from '@shared/timeline/series'
import { COUNT_COLORS, GState } from '@shared/timeline/states'
import { categorize, type Category } from '@shared/analysis/categories'
import type { GoState } from '@shared/model/goroutine'
import type { Series } from '@shared/timeline/store'
import type { LoadedTrace } from './load-trace'
import type { LeakGroupView, UnblockView } from './protocol'
import { buildFromSource, stateCode, type TimelineSource } from './timeline-source'
import { leakGroupsOf } from './leaks'
import { analyzeLeaks } from '@shared/analysis/leaks'
import { renderReport } from '@shared/report/report'

const NAMES: readonly GoState[] = ['Undetermined', 'NotExist', 'Runnable', 'Running', 'Waiting', 'Syscall']

export async function buildTimeline(
  name: string,
  chunks: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
  phase: (p: string) => void,
  totalBytes?: number,
): Promise<LoadedTrace> {
  return timelineOf(name, await decodeEvents(chunks, { signal, totalBytes, orderThread: webOrderThread }), phase)
}

/** The timeline of a decoded trace (decoded here, or elsewhere and received: see load-trace.ts). */
export function timelineOf(name: string, decoded: DecodedTrace, phase: (p: string) => void): LoadedTrace {
  // Nothing complete before the problem: there is nothing worth showing, and the open trace must stay.
  if (decoded.error && (decoded.events.count === 0 || decoded.generations === 0)) throw decoded.error
  if (decoded.generations === 0) throw new Error('the trace holds no events after its header (the program stopped right after trace.Start?)')
  phase('building the model')
  const model = buildModel(decoded)
  phase('finding leaks')
  const analysis = analyzeLeaks(model)
  const leaks = leakGroupsOf(analysis)
  const warning = decoded.error ? `decoded up to the problem only: ${decoded.error.message}` : null
  phase('preparing the timeline')
  const loaded = buildFromSource(sourceOf(name, model, leaks, warning))
  loaded.summary.warning = warning
  loaded.store.warm()
  return { ...loaded, report: () => renderReport({ name, model, analysis }) }
}

/** The colour class (GState) of a wait in each of the analysis' categories, as waitFamily gives it for Go's reasons. */
const WAIT_OF_CATEGORY: Record<Category, number> = {
  'chan-send': GState.WaitChan, 'chan-receive': GState.WaitChan, select: GState.WaitSelect, forever: GState.WaitOther,
  mutex: GState.WaitSync, rwmutex: GState.WaitSync, waitgroup: GState.WaitSync, cond: GState.WaitSync, sleep: GState.WaitSleep,
  network: GState.WaitIO, syscall: GState.WaitOther, running: GState.WaitOther, system: GState.WaitGC, unknown: GState.WaitOther,
}

export function sourceOf(name: string, model: TraceModel, leaks: LeakGroupView[], warning: string | null): TimelineSource {
  const { goroutineSpans: gs, procSpans: ps, threadSpans: ms, strings } = model
  const codes = new Map<number, number>()
  const waitCodes = new Map<number, number>()
  // Each goroutine's wake-ups, for its detail panel: indexed on the first request, not at load (a busy trace has
  // millions of wake-ups, and an object each made the load garbage-collection bound).
  const u = model.unblocks
  let unblockIndex: Map<number, number[]> | null = null
  const unblocksOf = (g: number): UnblockView[] => {
    if (!unblockIndex) {
      unblockIndex = new Map()
      for (let i = 0; i < u.length; i++) {
        const k = u.goroutine(i)
        let list = unblockIndex.get(k)
        if (!list) unblockIndex.set(k, (list = []))
        list.push(i)
      }
    }
    return (unblockIndex.get(g) ?? []).map((i) => {
      const by = u.by(i)
      return { atNs: u.time(i), by: by >= 0 ? by : null }
    })
  }
  // Mark assists are per goroutine: they are drawn on the P the goroutine was running on at the time. Only the
  // goroutines that assisted matter; their P runs are read once, in order, and sorted by start (a goroutine's runs
  // do not overlap), so each assist finds its runs by binary search instead of walking them all.
  const procMarks: [number, number, number, number][] = []
  const sw = model.sweeps
  for (let i = 0; i < sw.length; i++) procMarks.push([sw.resource[i], sw.start[i], sw.end[i], 1])
  const ma = model.markAssists
  const assisted = new Map<number, { start: number; end: number; p: number }[]>()
  for (let i = 0; i < ma.length; i++) assisted.set(ma.resource[i], [])
  if (assisted.size > 0) {
    for (let i = 0; i < ps.length; i++) assisted.get(ps.goroutine(i))?.push({ start: ps.start(i), end: ps.end(i), p: ps.resource(i) })
    for (const runs of assisted.values()) runs.sort((x, y) => x.start - y.start)
  }
  for (let i = 0; i < ma.length; i++) {
    const runs = assisted.get(ma.resource[i])!
    const from = ma.start[i]
    const to = ma.end[i]
    // The first run that ends after the assist starts.
    let lo = 0
    let hi = runs.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (runs[mid]!.end <= from) lo = mid + 1
      else hi = mid
    }
    for (let k = lo; k < runs.length && runs[k]!.start < to; k++) {
      const s = Math.max(from, runs[k]!.start)
      const e = Math.min(to, runs[k]!.end)
      if (e > s) procMarks.push([runs[k]!.p, s, e, 2])
    }
  }
  const ranges = (r: RangeSpans) => Array.from({ length: r.length }, (_, i) => [r.start[i], r.end[i]] as const)
  const series = (points: StepSeries, name: string, plot: string, unit: Series['unit'], color: string): Series => ({ name, plot, unit, color, points })
  const sampled = (s: { length: number; time: Float64Array; value: Float64Array | Int32Array }) => arraySeries(s.time.subarray(0, s.length), s.value.subarray(0, s.length))
  const [runnable, running, waiting, syscall] = countSeries(model.goroutineCounts)
  const facts = [model.info.format, `${model.info.events.toLocaleString('en-US')} events`, `${model.info.procs} Ps`, `${model.info.gcCount} GCs`]
  return {
    name,
    endNs: model.info.durationNs,
    goroutines: model.goroutines,
    goroutineSpans: gs,
    waitOfStack: (stack) => {
      let v = waitCodes.get(stack)
      if (v === undefined) waitCodes.set(stack, (v = WAIT_OF_CATEGORY[categorize('Waiting', '', model.stacks[stack] ?? [])]))
      return v
    },
    valueOf: (state, reason) => {
      const key = state * 0x1_0000_0000 + reason
      let v = codes.get(key)
      if (v === undefined) codes.set(key, (v = stateCode(NAMES[state] ?? 'Undetermined', strings[reason] ?? '')))
      return v
    },
    procSpans: ps,
    threadSpans: ms,
    procMarks,
    gcRanges: ranges(model.gc),
    stwRanges: ranges(model.stw),
    unblocksOf,
    series: [
      series(running!, 'running', 'Goroutines', 'count', COUNT_COLORS.running),
      series(runnable!, 'runnable', 'Goroutines', 'count', COUNT_COLORS.runnable),
      series(waiting!, 'waiting', 'Goroutines', 'count', COUNT_COLORS.waiting),
      series(syscall!, 'syscall', 'Goroutines', 'count', COUNT_COLORS.syscall),
      series(sampled(model.heapAlloc), 'heap', 'Heap', 'bytes', '#5aa9ff'),
      series(sampled(model.heapGoal), 'goal', 'Heap', 'bytes', '#d6b34a'),
      series(sampled(model.gomaxprocs), 'GOMAXPROCS', 'GOMAXPROCS', 'count', '#8b93a1'),
    ],
    leaks,
    facts,
    decodeThreads: model.info.decodeThreads,
  }
}

/**
 * The goroutine counts by state as four series (runnable, running, waiting, syscall), read from the model's count table
 * a piece at a time: a busy trace has a point per transition (17 M for 100 MB), a byte each there and 24 as columns.
 * The four share the last piece read: plots walk them together (decimateMany), so each piece is decoded once.
 */
function countSeries(c: GoroutineCounts): StepSeries[] {
  let from = -1
  let n = 0
  let times = new Float64Array(0)
  let counts = new Int32Array(0)
  const state = (k: number): StepSeries => ({
    length: c.length,
    time: (i) => c.time(i),
    read(at, len, t, values) {
      if (at !== from || len > n) {
        if (times.length < len) {
          times = new Float64Array(len)
          counts = new Int32Array(4 * len)
        }
        c.read(at, len, times, counts)
        from = at
        n = len
      }
      t.set(times.subarray(0, len))
      for (let j = 0; j < len; j++) values[j] = counts[4 * j + k]!
    },
  })
  return [0, 1, 2, 3].map(state)
}
