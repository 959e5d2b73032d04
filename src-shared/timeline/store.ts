// Everything the timeline draws, held where the data lives (the renderer's data worker): one span column set per
// track, pyramids built lazily the first time a track is seen zoomed out, and the queries the page asks per frame.

import { buildPyramid, pixelsOf, PYRAMID_MIN_SPANS, runsOf, type PixelWindow, type Pyramid } from './pyramid'
import { spanAt, type SpanColumns } from './spans'
import { timeByValue } from './states'
import { coarsenMany, decimateMany, fromCoarse, needsExact, type CoarseSeries, type StepSeries } from './series'

export type TrackKind = 'gc' | 'stw' | 'proc' | 'thread' | 'goroutine'

/** What the page knows about a track without its spans (spans stay in the worker). */
export interface TrackMeta {
  kind: TrackKind
  /** P id, M id or goroutine id; 0 for GC/STW. */
  id: number
  label: string
}

export interface Track extends TrackMeta {
  spans: SpanColumns
  /** Short events drawn as a strip under the spans (on P tracks: GC sweeps = 1, mark assists = 2). */
  marks?: SpanColumns
}

/** A sampled series (heap bytes, goroutines by state, GOMAXPROCS): values hold until the next sample. */
export interface Series extends Omit<SeriesMeta, 'max'> {
  points: StepSeries
}

/** What the page knows about a series: series sharing `plot` are drawn together on one y scale. */
export interface SeriesMeta {
  name: string
  plot: string
  unit: 'bytes' | 'count'
  color: string
  max: number
}

/** Per-pixel min and max of each series (NaN where it has no value yet). */
export interface PlotPixels {
  min: Float64Array
  max: Float64Array
}

export interface SpanHit {
  track: number
  startNs: number
  endNs: number
  value: number
}

export class TimelineStore {
  private readonly pyramids = new Map<number, Pyramid | null>()
  private scratch = new Uint32Array(0)
  /** The series' coarse summaries, made together on first need (see decimateMany). */
  private coarse: CoarseSeries[] | null = null

  constructor(
    readonly tracks: readonly Track[],
    readonly endNs: number,
    readonly series: readonly Series[] = [],
  ) {}

  meta(): TrackMeta[] {
    return this.tracks.map(({ kind, id, label }) => ({ kind, id, label }))
  }

  /**
   * Per-pixel merged runs (see runsOf) for each requested track, in request order; then, after all of them, the
   * runs of each track's marks (empty when it has none).
   */
  runs(win: PixelWindow, trackIndexes: readonly number[]): Uint32Array[] {
    const width = Math.max(0, Math.min(Math.floor(win.width), 16384))
    if (this.scratch.length < width) this.scratch = new Uint32Array(width)
    const out: Uint32Array[] = []
    for (const t of trackIndexes) {
      const track = this.tracks[t]
      if (!track) {
        out.push(new Uint32Array(0))
        continue
      }
      pixelsOf(track.spans, { ...win, width }, this.scratch, () => this.pyramidOf(t))
      out.push(runsOf(this.scratch, width))
    }
    for (const t of trackIndexes) {
      const marks = this.tracks[t]?.marks
      if (!marks || marks.length === 0) {
        out.push(new Uint32Array(0))
        continue
      }
      // Marks are short and sparse: the direct path (no pyramid) is always cheap enough.
      pixelsOf(marks, { ...win, width }, this.scratch, () => null)
      out.push(runsOf(this.scratch, width))
    }
    return out
  }

  /**
   * Builds the pyramids of the GC, STW and P tracks and the plot summaries now (at load, in the worker): they are
   * on screen first (and in the overview), and the first zoomed-out view would otherwise stall the worker for as long
   * as their builds take. Goroutine tracks build theirs when first seen zoomed out: there are many, most are never
   * looked at that way, and all of them would cost memory (about 4-8 bytes per span). M tracks are hidden at first.
   */
  warm(): void {
    this.tracks.forEach((t, i) => {
      // (An M track's spans are made on first use: see timeline-source.ts.)
      if (t.kind !== 'goroutine' && t.kind !== 'thread' && t.spans.length >= PYRAMID_MIN_SPANS) this.pyramidOf(i)
    })
    this.coarseAll()
  }

  /**
   * The series without their points. A series' max is its coarse summary's (the points before endNs), and that of the
   * points at endNs or after (a trace's last event can be a sample).
   */
  seriesMeta(): SeriesMeta[] {
    const coarse = this.coarseAll()
    const t = new Float64Array(1)
    const v = new Float64Array(1)
    return this.series.map(({ name, plot, unit, color, points }, i) => {
      let max = 0
      for (const m of coarse[i]!.max) if (m > max) max = m
      for (let k = points.length - 1; k >= 0; k--) {
        points.read(k, 1, t, v)
        if (t[0]! < this.endNs) break
        if (v[0]! > max) max = v[0]!
      }
      return { name, plot, unit, color, max }
    })
  }

  plots(win: PixelWindow): PlotPixels[] {
    const width = Math.max(0, Math.min(Math.floor(win.width), 16384))
    const coarse = this.coarseAll()
    // Zoomed in, from the points: every such series in one walk.
    const exact = this.series.map((s, i) => needsExact(s.points, coarse[i]!, win.nsPerPx, width))
    const fine = decimateMany(this.series.filter((_, i) => exact[i]).map((s) => s.points), win.startNs, win.nsPerPx, width)
    let k = 0
    return this.series.map((_, i) => (exact[i] ? fine[k++]! : fromCoarse(coarse[i]!, win.startNs, win.nsPerPx, width)))
  }

  private coarseAll(): CoarseSeries[] {
    return (this.coarse ??= coarsenMany(this.series.map((s) => s.points), this.endNs))
  }

  /** Time per value summed over the tracks of one kind inside [t0, t1): the selection summary. */
  timeByValue(kind: TrackKind, t0: number, t1: number): Map<number, number> {
    const into = new Map<number, number>()
    for (const track of this.tracks) if (track.kind === kind) timeByValue(track.spans, t0, t1, into)
    into.delete(0)
    return into
  }

  /** The span under time t on a track (for tooltips and clicks), or null. */
  hit(track: number, t: number): SpanHit | null {
    const spans = this.tracks[track]?.spans
    if (!spans) return null
    const i = spanAt(spans, t)
    if (i < 0 || spans.value[i] === 0) return null
    return { track, startNs: spans.start[i], endNs: spans.end[i], value: spans.value[i] }
  }

  /** The span nearest to t within `slackNs` (so a 1-pixel span stays clickable when zoomed out). */
  near(track: number, t: number, slackNs: number): SpanHit | null {
    const direct = this.hit(track, t)
    if (direct) return direct
    const before = this.hit(track, t - slackNs)
    const after = this.hit(track, t + slackNs)
    return before ?? after
  }

  private pyramidOf(t: number): Pyramid | null {
    let p = this.pyramids.get(t)
    if (p === undefined) {
      p = buildPyramid(this.tracks[t].spans)
      this.pyramids.set(t, p)
    }
    return p
  }
}
