// Comparing two traces, in a worker: decode and analyse both, match their leak groups by stable key
// (src-shared/compare), and reduce everything to what the compare view shows.
import { analyzeLeaks, blockShown, createdAt, site } from '@shared/analysis/leaks'
import { creationFrame, recordEntry } from '@shared/analysis/frames'
import { normalizeFunc } from '@shared/analysis/key'
import { backwards, compareGroups, sameProcess, stillText, togetherText, type ChangeStatus } from '@shared/compare/match'
import { buildModel } from '@shared/model/build'
import { decodeEvents, type DecodedTrace } from '@shared/trace/decode'
import { webOrderThread } from './order-thread'
import type { SpanRange, TraceModel } from '@shared/model/model'
import type { Frame } from '@shared/model/goroutine'
import { Downsampler } from '@shared/report/charts'
import { renderReport } from '@shared/report/report'
import { streamChunks } from '@shared/trace/input'

export interface CompareSide {
  name: string
  format: string
  durationNs: number
  goroutines: number
  /** Live goroutines over time (ns from the trace's start), downsampled. */
  live: [number, number][]
  /** Set when the trace could be read only up to a problem (truncated, corrupt): what was compared is what came before. */
  warning: string | null
}

export interface CompareRow {
  key: string
  status: ChangeStatus
  verdict: string
  category: string
  pattern: string | null
  creationSite: string
  blockSite: string
  count: number
  baselineCount: number
  /** Goroutines per second of each trace; null for goroutines from before the trace (no rate over it). */
  rate: number | null
  baselineRate: number | null
  /** For a leak of groups doing the same work, compared as one: its goroutines on each side ("" otherwise). */
  together: string
  /** Two traces of one process: how many of the "before" goroutines are still there ("" otherwise). */
  still: string
}

/** Time goroutines from one creation site spent in each state, in both traces (ns). */
export interface SiteTimes {
  site: string
  before: { running: number; runnable: number; waiting: number; syscall: number }
  after: { running: number; runnable: number; waiting: number; syscall: number }
}

export interface CompareResult {
  before: CompareSide
  after: CompareSide
  rows: CompareRow[]
  sites: SiteTimes[]
  /** The leak report of the newer trace compared with the older, as `lifeline report before after` writes it. */
  report: string
  /** Set when the "before" trace was recorded after the "after" one (by their wall clocks): a warning. */
  backwards: string | null
}

type StateTimes = SiteTimes['before']
const ZERO = (): StateTimes => ({ running: 0, runnable: 0, waiting: 0, syscall: 0 })
/** A span's state code -> its column in a site's four totals (-1: not counted). */
const STATE_COLUMN = Int8Array.from({ length: 8 }, (_, state) => ({ 3: 0, 2: 1, 4: 2, 5: 3 })[state] ?? -1)

/** Per creation site (matched across traces like leak groups: closure names normalised, no line numbers). */
function timePerSite(model: TraceModel): Map<string, StateTimes> {
  // Each goroutine's site as a number, totals in one array: a span is two array writes, not two Map lookups and a
  // property by name (which took seconds for the spans of a big trace, more in a browser).
  const labels: string[] = []
  const numbers = new Map<string, number>()
  const number = (label: string): number => {
    let n = numbers.get(label)
    if (n === undefined) numbers.set(label, (n = labels.push(label) - 1))
    return n
  }
  const labelOf = (f: Frame | null, fallback: string) => (f ? `${normalizeFunc(f.func)} (${f.file.split('/').slice(-2).join('/')})` : fallback)
  const runtime = number('runtime')
  // By table row; a creation stack's site worked out once (a trace that starts a goroutine per request has many
  // goroutines and few creation stacks).
  const table = model.goroutines
  const siteOfRow = new Int32Array(table.length)
  const byStack = new Map<number, number>()
  for (let i = 0; i < table.length; i++) {
    if (table.createdNs(i) === null) {
      siteOfRow[i] = number(labelOf(recordEntry(table.at(i)), 'before the trace'))
      continue
    }
    const stack = table.creationStackId(i)
    let n = byStack.get(stack)
    if (n === undefined) byStack.set(stack, (n = number(labelOf(creationFrame(model.stacks[stack] ?? []), 'runtime'))))
    siteOfRow[i] = n
  }
  const totals = new Float64Array(labels.length * 4)
  const counted = new Uint8Array(labels.length)
  /** Sites in the order their first span came (the order they are listed in when their totals tie). */
  const order: number[] = []
  const s = model.goroutineSpans
  // A window of spans at a time (see GoroutineSpans.readRange: one by one is several times slower on a big trace).
  const window = Math.min(s.length, 1 << 20)
  const got: SpanRange = { start: new Float64Array(window), end: new Float64Array(window), state: new Uint8Array(window), reason: new Uint32Array(window) }
  // Spans come grouped by goroutine: the site is looked up once per goroutine.
  let lastId = NaN
  let site = runtime
  for (let a = 0; a < s.length; a += window) {
    const b = Math.min(s.length, a + window)
    s.readRange(a, b, got)
    for (let i = a; i < b; i++) {
      const column = STATE_COLUMN[got.state[i - a]!] ?? -1
      if (column < 0) continue
      const id = s.goroutine(i)
      if (id !== lastId) {
        lastId = id
        const row = table.indexOf(id)
        site = row < 0 ? runtime : siteOfRow[row]!
        if (!counted[site]) {
          counted[site] = 1
          order.push(site)
        }
      }
      totals[site * 4 + column] += got.end[i - a]! - got.start[i - a]!
    }
  }
  const out = new Map<string, StateTimes>()
  for (const n of order) out.set(labels[n]!, { running: totals[n * 4]!, runnable: totals[n * 4 + 1]!, waiting: totals[n * 4 + 2]!, syscall: totals[n * 4 + 3]! })
  return out
}

function side(name: string, model: TraceModel): CompareSide {
  const live = new Downsampler(model.info.durationNs, 300)
  model.goroutineCounts.forEach((t, runnable, running, waiting, syscall) => live.add(t, waiting + runnable + running + syscall))
  const warning = model.info.error ? `decoded up to the problem only: ${model.info.error}` : null
  return { name, format: model.info.format, durationNs: model.info.durationNs, goroutines: model.info.goroutines, live: live.points(), warning }
}

/** What loading a side is doing: its phase, the bytes read, and the total when known (else 0). */
export type LoadProgress = (phase: string, bytes: number, total: number) => void

/** One side of a comparison: its name, and how to get its model (decode bytes, or receive a decoder's events). */
export interface CompareInput {
  name: string
  /** Decodes the trace and builds its model, telling `progress` how far it is. */
  load(progress: LoadProgress): Promise<TraceModel>
}

/** What a comparison is doing: which side (0 the baseline, 1 the newer; null for both) and how far. */
export interface CompareProgress {
  side: 0 | 1 | null
  phase: string
  bytes: number
  total: number
}

/** The model of a byte stream, decoded here. */
export async function modelOfStream(stream: ReadableStream<Uint8Array>, size: number, progress: LoadProgress): Promise<TraceModel> {
  const decoded = await decodeEvents(streamChunks(stream), { orderThread: webOrderThread, totalBytes: size, onProgress: (p) => progress('reading', p.bytesRead, p.totalBytes ?? 0) })
  refuseEmpty(decoded)
  progress('building the model', decoded.bytesRead, decoded.bytesRead)
  return buildModel(decoded)
}

/** A trace with nothing to compare (nothing after its header, or nothing before its first problem) is refused, as an open refuses it. */
export function refuseEmpty(decoded: DecodedTrace): void {
  if (decoded.generations > 0 && decoded.events.count > 0) return
  throw decoded.error ?? new Error('the trace holds no events after its header')
}

export async function compareTraces(before: CompareInput, after: CompareInput, onProgress: (p: CompareProgress) => void = () => {}): Promise<CompareResult> {
  const loadSide = async (side: 0 | 1, input: CompareInput) => {
    onProgress({ side, phase: 'reading', bytes: 0, total: 0 })
    try {
      return await input.load((phase, bytes, total) => onProgress({ side, phase, bytes, total }))
    } catch (e) {
      // Which of the two it was.
      throw new Error(`${input.name}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  const a = await loadSide(0, before)
  const b = await loadSide(1, after)
  onProgress({ side: null, phase: 'finding leaks', bytes: 0, total: 0 })
  const analysis = analyzeLeaks(b)
  const baseline = analyzeLeaks(a)
  const changes = compareGroups(analysis.groups, b.info.durationNs, baseline.groups, a.info.durationNs, sameProcess(b.info, a.info))
  const report = renderReport({
    name: after.name,
    model: b,
    analysis,
    comparison: { baselineName: before.name, baselineFormat: a.info.format, baselineDurationNs: a.info.durationNs, baselineError: a.info.error, changes },
  })
  const ta = timePerSite(a)
  const tb = timePerSite(b)
  const total = (t: StateTimes | undefined) => (t ? t.running + t.runnable + t.waiting + t.syscall : 0)
  const sites = [...new Set([...ta.keys(), ...tb.keys()])]
    .map((site) => ({ site, before: ta.get(site) ?? ZERO(), after: tb.get(site) ?? ZERO() }))
    .sort((x, y) => Math.max(total(y.before), total(y.after)) - Math.max(total(x.before), total(x.after)))
    .slice(0, 15)
  return {
    sites,
    report,
    before: side(before.name, a),
    after: side(after.name, b),
    backwards: backwards({ name: after.name, info: b.info }, { name: before.name, info: a.info }),
    rows: changes
      .filter((c) => c.group.verdict !== 'benign')
      .map((c) => ({
        key: c.key,
        status: c.status,
        verdict: c.group.verdict,
        category: c.group.category,
        pattern: c.group.pattern,
        creationSite: c.group.preexisting ? `before the trace (${site(c.group.entry)})` : createdAt(c.group),
        blockSite: site(blockShown(c.group)),
        count: c.count,
        baselineCount: c.baselineCount,
        // Goroutines that were there before the trace accumulated outside it: a count, not a rate over the trace.
        rate: c.group.preexisting ? null : c.rate,
        baselineRate: c.group.preexisting ? null : c.baselineRate,
        together: togetherText(c) ?? '',
        still: stillText(c)?.concat(' (one process: the same goroutines)') ?? '',
      })),
  }
}
