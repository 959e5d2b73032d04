// Comparing two traces, in a worker: decode and analyse both, match their leak groups by stable key
// (src-shared/compare), and reduce everything to what the compare view shows.
import { analyzeLeaks, site } from '@shared/analysis/leaks'
import { compareGroups, type ChangeStatus } from '@shared/compare/match'
import { loadModel } from '@shared/model/load'
import type { TraceModel } from '@shared/model/model'
import { downsample } from '@shared/report/charts'
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

export interface CompareResult {
  before: CompareSide
  after: CompareSide
  rows: CompareRow[]
}

function side(name: string, model: TraceModel): CompareSide {
  const c = model.goroutineCounts
  const live: [number, number][] = []
  for (let i = 0; i < c.waiting.length; i++) {
    live.push([c.waiting.time[i]!, c.waiting.value[i]! + c.runnable.value[i]! + c.running.value[i]! + c.syscall.value[i]!])
  }
  return { name, format: model.info.format, durationNs: model.info.durationNs, goroutines: model.info.goroutines, live: downsample(live, model.info.durationNs, 300) }
}

export async function compareTraces(
  before: { name: string; stream: ReadableStream<Uint8Array> },
  after: { name: string; stream: ReadableStream<Uint8Array> },
): Promise<CompareResult> {
  const a = await loadModel(streamChunks(before.stream))
  const b = await loadModel(streamChunks(after.stream))
  const changes = compareGroups(analyzeLeaks(b).groups, b.info.durationNs, analyzeLeaks(a).groups, a.info.durationNs)
  return {
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
        blockSite: site(c.group.blockSite),
        count: c.count,
        baselineCount: c.baselineCount,
        rate: c.rate,
        baselineRate: c.baselineRate,
      })),
  }
}
