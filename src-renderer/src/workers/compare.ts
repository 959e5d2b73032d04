// Comparing two traces, in a worker: decode and analyse both, match their leak groups by stable key
// (src-shared/compare), and reduce everything to what the compare view shows.
import { analyzeLeaks, blockShown, site } from '@shared/analysis/leaks'
import { creationFrame, recordEntry } from '@shared/analysis/frames'
import { normalizeFunc } from '@shared/analysis/key'
import { compareGroups, type ChangeStatus } from '@shared/compare/match'
import { buildModel } from '@shared/model/build'
import { decodeEvents } from '@shared/trace/decode'
import { webOrderThread } from './order-thread'
import type { SpanRange, TraceModel } from '@shared/model/model'
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
  rate: number
  baselineRate: number
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
}

type StateTimes = SiteTimes['before']
const ZERO = (): StateTimes => ({ running: 0, runnable: 0, waiting: 0, syscall: 0 })
const STATE_FIELD: Record<number, keyof StateTimes> = { 2: 'runnable', 3: 'running', 4: 'waiting', 5: 'syscall' }

/** Per creation site (matched across traces like leak groups: closure names normalised, no line numbers). */
function timePerSite(model: TraceModel): Map<string, StateTimes> {
  const siteOf = new Map<number, string>()
  for (const g of model.goroutines) {
    const f = g.createdNs === null ? recordEntry(g) : creationFrame(g.creationStack)
    const label = f ? `${normalizeFunc(f.func)} (${f.file.split('/').slice(-2).join('/')})` : g.createdNs === null ? 'before the trace' : 'runtime'
    siteOf.set(g.id, label)
  }
  const out = new Map<string, StateTimes>()
  const s = model.goroutineSpans
  // A window of spans at a time (see GoroutineSpans.readRange: one by one is several times slower on a big trace).
  const window = Math.min(s.length, 1 << 20)
  const got: SpanRange = { start: new Float64Array(window), end: new Float64Array(window), state: new Uint8Array(window), reason: new Uint32Array(window) }
  for (let a = 0; a < s.length; a += window) {
    const b = Math.min(s.length, a + window)
    s.readRange(a, b, got)
    for (let i = a; i < b; i++) {
      const field = STATE_FIELD[got.state[i - a]!]
      if (!field) continue
      const label = siteOf.get(s.goroutine(i)) ?? 'runtime'
      let t = out.get(label)
      if (!t) out.set(label, (t = ZERO()))
      t[field] += got.end[i - a]! - got.start[i - a]!
    }
  }
  return out
}

function side(name: string, model: TraceModel): CompareSide {
  const live = new Downsampler(model.info.durationNs, 300)
  model.goroutineCounts.forEach((t, runnable, running, waiting, syscall) => live.add(t, waiting + runnable + running + syscall))
  return { name, format: model.info.format, durationNs: model.info.durationNs, goroutines: model.info.goroutines, live: live.points() }
}

/** One side of a comparison: its name, and how to get its model (decode bytes, or receive a decoder's events). */
/** What loading a side is doing: its phase, the bytes read, and the total when known (else 0). */
export type LoadProgress = (phase: string, bytes: number, total: number) => void

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
  progress('building the model', decoded.bytesRead, decoded.bytesRead)
  return buildModel(decoded)
}

export async function compareTraces(before: CompareInput, after: CompareInput, onProgress: (p: CompareProgress) => void = () => {}): Promise<CompareResult> {
  const loadSide = (side: 0 | 1, input: CompareInput) => {
    onProgress({ side, phase: 'reading', bytes: 0, total: 0 })
    return input.load((phase, bytes, total) => onProgress({ side, phase, bytes, total }))
  }
  const a = await loadSide(0, before)
  const b = await loadSide(1, after)
  onProgress({ side: null, phase: 'finding leaks', bytes: 0, total: 0 })
  const analysis = analyzeLeaks(b)
  const changes = compareGroups(analysis.groups, b.info.durationNs, analyzeLeaks(a).groups, a.info.durationNs)
  const report = renderReport({
    name: after.name,
    model: b,
    analysis,
    comparison: { baselineName: before.name, baselineFormat: a.info.format, baselineDurationNs: a.info.durationNs, changes },
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
    rows: changes
      .filter((c) => c.group.verdict !== 'benign')
      .map((c) => ({
        key: c.key,
        status: c.status,
        verdict: c.group.verdict,
        category: c.group.category,
        pattern: c.group.pattern,
        creationSite: c.group.preexisting ? `before the trace (${site(c.group.entry)})` : site(c.group.creationSite),
        blockSite: site(blockShown(c.group)),
        count: c.count,
        baselineCount: c.baselineCount,
        rate: c.rate,
        baselineRate: c.baselineRate,
      })),
  }
}
