// What the timeline reads from a decoded trace, independent of how the decoder lays out its model: spans are
// visited in time order per resource, so the builder can write typed columns without holding span objects.

import { recordEntry, tableEntry } from '@shared/analysis/frames'
import type { GoState } from '@shared/model/goroutine'
import type { GoroutineTable } from '@shared/model/goroutine-table'
import { STATE, type GoroutineSpans, type ResourceSpans, type SpanRange } from '@shared/model/model'
import { SpanBuilder, groupLifelines, groupSpans, type GroupedSpans } from '@shared/timeline/spans'
import { GState, waitFamily } from '@shared/timeline/states'
import { TimelineStore, type Series, type Track } from '@shared/timeline/store'
import type { GoroutineDetail, LeakGroupView, TraceSummary, UnblockView } from './protocol'
import { GoroutineList } from './goroutine-list'

/**
 * The part of the model's goroutine spans the timeline reads (sorted by goroutine, then start); the state code is
 * turned into a colour class by TimelineSource.valueOf.
 */
export type GoroutineSpanColumns = Pick<GoroutineSpans, 'length' | 'goroutine' | 'readRange' | 'stack'>

/** The part of the model's P or M runs the timeline reads (sorted by resource, then start). */
export type ResourceSpanColumns = Pick<ResourceSpans, 'length' | 'resource' | 'goroutine' | 'start' | 'end'>

export interface TimelineSource {
  name: string
  endNs: number
  goroutines: GoroutineTable
  goroutineSpans: GoroutineSpanColumns
  /** The GState code (see STATE_INFO) of a span with this state and reason. */
  valueOf(state: number, reason: number): number
  /**
   * The GState code of a wait with no reason (a goroutine found parked: Go gives a stack but no reason), from the span's
   * stack, as the leak analysis reads it.
   */
  waitOfStack(stack: number): number
  procSpans: ResourceSpanColumns
  threadSpans: ResourceSpanColumns
  /** Marks per P: [p, start, end, kind] with kind 1 = GC sweep, 2 = mark assist, in any order. */
  procMarks: readonly (readonly [number, number, number, number])[]
  gcRanges: readonly (readonly [number, number])[]
  stwRanges: readonly (readonly [number, number])[]
  unblocksOf(g: number): UnblockView[]
  series: Series[]
  leaks: LeakGroupView[]
  facts: string[]
  /** Threads the decoder ran on. */
  decodeThreads: number
}

export function stateCode(state: GoState, reason: string): number {
  switch (state) {
    case 'Running':
      return GState.Running
    case 'Runnable':
      return GState.Runnable
    case 'Syscall':
      return GState.Syscall
    case 'Waiting':
      return waitFamily(reason)
    default:
      return GState.None
  }
}

/** Builds the worker-side store and the page-side summary from a source. */
export function buildFromSource(src: TimelineSource): {
  store: TimelineStore
  summary: TraceSummary
  goroutines: GoroutineList
  detail(id: number): GoroutineDetail | null
} {
  const gs = src.goroutineSpans
  // Spans are read a window at a time (readRange: far faster than one by one on a big trace), in the order
  // groupLifelines asks for them. A span's state, and a wait's reason, pick its colour.
  const window = Math.min(gs.length, SPAN_WINDOW)
  const got: SpanRange = { start: new Float64Array(window), end: new Float64Array(window), state: new Uint8Array(window), reason: new Uint32Array(window) }
  let from = 0
  let to = 0
  const at = (i: number) => {
    if (i < from || i >= to) {
      from = i
      to = Math.min(gs.length, i + window)
      gs.readRange(from, to, got)
    }
    return i - from
  }
  const spanValue = (i: number) => {
    const k = at(i)
    const state = got.state[k]!
    const reason = got.reason[k]!
    return state === STATE.Waiting && reason === 0 ? src.waitOfStack(gs.stack(i)) : src.valueOf(state, reason)
  }
  const gGroups = groupLifelines(gs.length, src.goroutines.length, (i) => gs.goroutine(i), (i) => got.start[at(i)]!, (i) => got.end[at(i)]!, spanValue)
  const resourceGroups = (r: ResourceSpanColumns) => groupSpans(r.length, (i) => r.resource(i), (i) => r.start(i), (i) => r.end(i), (i) => r.goroutine(i) + 1)
  const pGroups = resourceGroups(src.procSpans)
  // M tracks are hidden until asked for (they repeat the P runs, grouped by thread): built on first use, not at load.
  let mGroups: GroupedSpans | null = null
  const threadGroups = () => (mGroups ??= resourceGroups(src.threadSpans))
  const threadIds: number[] = []
  for (let i = 0; i < src.threadSpans.length; i++) {
    const m = src.threadSpans.resource(i)
    if (threadIds[threadIds.length - 1] !== m) threadIds.push(m)
  }
  const ranges = (list: readonly (readonly [number, number])[]) => {
    // Ranges may touch or nest (a STW inside another): clip each to start where the previous ended.
    const b = new SpanBuilder()
    let lastEnd = -Infinity
    for (const [s, e] of [...list].sort((x, y) => x[0] - y[0])) {
      const from = Math.max(s, lastEnd)
      if (e > from) b.push(from, e, 1)
      lastEnd = Math.max(lastEnd, e)
    }
    return b.finish()
  }

  const tracks: Track[] = []
  const gc = ranges(src.gcRanges)
  if (gc.length) tracks.push({ kind: 'gc', id: 0, label: 'GC', spans: gc })
  const stw = ranges(src.stwRanges)
  if (stw.length) tracks.push({ kind: 'stw', id: 0, label: 'STW', spans: stw })
  const marks = new Map<number, (readonly [number, number, number, number])[]>()
  for (const m of src.procMarks) (marks.get(m[0]) ?? marks.set(m[0], []).get(m[0])!).push(m)
  const marksOf = (p: number) => {
    const list = (marks.get(p) ?? []).slice().sort((x, y) => x[1] - y[1])
    if (list.length === 0) return undefined
    // A sweep and an assist can overlap on one P: each mark starts where the previous one ended.
    const b = new SpanBuilder()
    let lastEnd = -Infinity
    for (const [, s, e, kind] of list) {
      const from = Math.max(s, lastEnd)
      if (e > from) b.push(from, e, kind)
      lastEnd = Math.max(lastEnd, e)
    }
    return b.finish()
  }
  pGroups.keys.forEach((p, i) => tracks.push({ kind: 'proc', id: p, label: `P${p}`, spans: pGroups.tracks[i], marks: marksOf(p) }))
  threadIds.forEach((m, i) =>
    tracks.push({
      kind: 'thread',
      id: m,
      label: `M${m}`,
      get spans() {
        return threadGroups().tracks[i]!
      },
    }),
  )
  const records = src.goroutines
  const gTrackIndex = new Map<number, number>()
  gGroups.keys.forEach((g, i) => {
    gTrackIndex.set(g, tracks.length)
    tracks.push({ kind: 'goroutine', id: g, label: goroutineLabel(g, records), spans: gGroups.tracks[i] })
  })
  // Overlaps clipped on the M tracks (only a decoder bug makes any) are not in this count: those tracks are made later.
  const clipped = gGroups.clipped + pGroups.clipped

  const store = new TimelineStore(tracks, src.endNs, src.series)
  const goroutines = new GoroutineList(src.goroutines)
  const summary: TraceSummary = {
    name: src.name,
    endNs: src.endNs,
    tracks: store.meta(),
    goroutineCount: goroutines.count,
    goroutinesHead: goroutines.search('', 0, GOROUTINES_HEAD).rows,
    leaks: src.leaks.map((l) => ({ ...l, createdRange: goroutines.createdRange(l.goroutineIds) })),
    series: store.seriesMeta(),
    facts: clipped ? [...src.facts, `${clipped} overlapping spans clipped`] : src.facts,
    decodeThreads: src.decodeThreads,
    warning: null,
  }
  return {
    store,
    summary,
    goroutines,
    detail(id) {
      const record = records.byId(id)
      if (!record) return null
      const t = gTrackIndex.get(id)
      const byState = new Map<number, number>()
      if (t !== undefined) {
        const s = tracks[t].spans
        for (let i = 0; i < s.length; i++) byState.set(s.value[i], (byState.get(s.value[i]) ?? 0) + s.end[i] - s.start[i])
      }
      byState.delete(0)
      return { record, entry: recordEntry(record), timeByState: [...byState].sort((a, b) => b[1] - a[1]), unblocks: src.unblocksOf(id) }
    },
  }
}

/** Goroutine spans read at a time when building the tracks (4 Mi: 80 MiB of scratch). */
const SPAN_WINDOW = 1 << 22

/** Rows of the goroutine list sent with the summary (a few screens' worth). */
export const GOROUTINES_HEAD = 200

/** "G12 pkg.worker": its entry function, else its label (a track per goroutine: no record made for it). */
function goroutineLabel(id: number, table: GoroutineTable): string {
  const i = table.indexOf(id)
  // As the goroutine list names it (GoroutineList.row).
  const fn = i < 0 ? '' : tableEntry(table, i)?.func || table.label(i)
  return fn ? `G${id} ${shortFunc(fn)}` : `G${id}`
}

/** "github.com/x/y/pkg.(*T).run.func1" -> "pkg.(*T).run.func1": the package path is noise in a 160 px label. */
export function shortFunc(fn: string): string {
  const slash = fn.lastIndexOf('/')
  return slash >= 0 ? fn.slice(slash + 1) : fn
}
