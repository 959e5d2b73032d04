// Messages between the page and the data worker. The worker owns the decoded trace; the page only ever holds
// track metadata, the goroutine rows and tooltips it shows, and the per-pixel runs of what is on screen
// (transferred, not copied).

import type { Frame, GoroutineRecord } from '@shared/model/goroutine'
import type { DecoderEnded } from '@shared/platform/ipc'
import type { PagePort } from '@shared/platform/api'
import type { PixelWindow } from '@shared/timeline/pyramid'
import type { PlotPixels, SeriesMeta, SpanHit, TrackMeta } from '@shared/timeline/store'

/** A leak group as the panel shows it (flattened from the analysis so the page needs no analysis types). */
export interface LeakGroupView {
  key: string
  verdict: string
  count: number
  /** Where its goroutines come from, in words: "created at <site>" (and the library whose go statement it was), or before the trace or by the runtime, with their entry. */
  origin: string
  /** The group of this trace doing the same work from the other side of its start, in words ('' if none). */
  sameWork: string
  blockSite: string
  category: string
  /** Why it got its verdict, a sentence. */
  reason: string
  /** What to do about its pattern, when it has one ('' if not). */
  hint: string
  goroutineIds: number[]
  /** First and last creation time of its goroutines (null when all existed before the trace). */
  createdRange: [number, number] | null
}

/** One line of the goroutine list: the worker searches, the page shows a window of the matches. */
export interface GoroutineRow {
  id: number
  /** Entry function, else label, else "(unknown)". */
  fn: string
  /** "waiting: chan receive", "running", "ended", … */
  state: string
}

/** What a tooltip says about a goroutine. */
export interface GoroutineBrief {
  id: number
  label: string
  startFunc: string
  /** file:line of the entry function ("" when unknown). */
  startSite: string
  ended: boolean
  finalReason: string
  finalFunc: string
  finalSite: string
}

/** Who woke a goroutine up: the unblock edge into a Runnable transition. */
export interface UnblockView {
  /** When the waker made it runnable. */
  atNs: number
  /** The goroutine that did it; null when it was the runtime (timer, netpoller) or unknown. */
  by: number | null
}

export interface GoroutineDetail {
  record: GoroutineRecord
  /** Its entry function: the start stack's, else the outermost frame of a stack it had (see recordEntry). */
  entry: Frame | null
  /** ns spent per state code (see STATE_INFO) over the whole trace. */
  timeByState: [number, number][]
  /** The unblock edges into this goroutine, latest last. */
  unblocks: UnblockView[]
}

export interface TraceSummary {
  name: string
  endNs: number
  tracks: TrackMeta[]
  /** How many goroutines; the records stay in the worker (see GoroutineRow, GoroutineBrief, GoroutineDetail). */
  goroutineCount: number
  /** The first rows of the unfiltered goroutine list, so it shows at once; the rest is asked for. */
  goroutinesHead: GoroutineRow[]
  leaks: LeakGroupView[]
  series: SeriesMeta[]
  /** Human words about the trace (Go version, event count) for the status line. */
  facts: string[]
  /** Threads the decoder ran on (2: a helper thread ordered the events). */
  decodeThreads: number
  /** Set when the file was damaged after some complete generations: what precedes the problem is shown. */
  warning: string | null
}

export type ToWorker =
  | { type: 'open'; name: string; size: number; stream: ReadableStream<Uint8Array> }
  /** Desktop: the events come decoded from a decoder process over `port` (src-shared/trace/remote.ts). */
  | { type: 'open-events'; name: string; size: number; job: number; port: PagePort }
  /** How that decoder process ended (a crash fails the open it was working for). */
  | { type: 'decoder-ended'; ended: DecoderEnded }
  | { type: 'cancel' }
  | { type: 'runs'; seq: number; win: PixelWindow; tracks: number[] }
  | { type: 'summary'; seq: number; startNs: number; endNs: number }
  | { type: 'hit'; seq: number; track: number; t: number; slackNs: number }
  | { type: 'goroutine'; seq: number; id: number }
  | { type: 'goroutines'; seq: number; query: string; offset: number; limit: number }
  | { type: 'plots'; seq: number; win: PixelWindow }
  | { type: 'report'; seq: number }

export type FromWorker =
  | { type: 'progress'; bytes: number; total: number; phase: string }
  | { type: 'loaded'; summary: TraceSummary; decodeMs: number }
  | { type: 'failed'; message: string; cancelled: boolean }
  | { type: 'runs'; seq: number; runs: Uint32Array[] }
  | { type: 'summary'; seq: number; byState: [number, number][] }
  | { type: 'hit'; seq: number; hit: SpanHit | null; goroutine: GoroutineBrief | null }
  | { type: 'goroutines'; seq: number; matches: number; rows: GoroutineRow[] }
  | { type: 'goroutine'; seq: number; detail: GoroutineDetail | null }
  | { type: 'plots'; seq: number; plots: PlotPixels[] }
  | { type: 'report'; seq: number; html: string | null }
