// Inline SVG charts (no script needed to show them): step lines over time, downsampled to what the report shows.
import { html, type Html } from './escape'

export interface Line {
  name: string
  color: string
  points: [number, number][]
  /** Where the line stops (its trace's end, when traces of different lengths share a chart); the chart's end if unset. */
  endNs?: number
}

/** At most `max` points per line, keeping each bucket's highest value (a step series). */
export function downsample(points: [number, number][], endNs: number, max = 400): [number, number][] {
  const d = new Downsampler(endNs, max)
  for (const p of points) d.add(p[0], p[1])
  return d.points()
}

/**
 * downsample() for a series too long to hold as points (a big trace's goroutine counts change some millions of times,
 * and tuples for them took gigabytes): points go in one at a time, and only `max` + 1 raw ones, or a bucket's peak, are
 * kept.
 */
export class Downsampler {
  private raw: [number, number][] | null = []
  private readonly out: [number, number][] = []
  private readonly bucket: number
  private next = 0
  private peak: [number, number] | null = null

  constructor(endNs: number, private readonly max = 400) {
    this.bucket = endNs / max
  }

  add(t: number, v: number): void {
    if (this.raw) {
      this.raw.push([t, v])
      if (this.raw.length <= this.max) return
      // More than max: from here on, bucket peaks (the raw points so far go through the same steps).
      const raw = this.raw
      this.raw = null
      for (const [rt, rv] of raw) this.add(rt, rv)
      return
    }
    if (t >= this.next && this.peak) {
      this.out.push(this.peak)
      this.peak = null
    }
    if (!this.peak || v >= this.peak[1]) this.peak = [t, v]
    if (t >= this.next) this.next = (Math.floor(t / this.bucket) + 1) * this.bucket
  }

  points(): [number, number][] {
    if (this.raw) return this.raw
    return this.peak ? [...this.out, this.peak] : this.out
  }
}

export function stepChart(lines: Line[], endNs: number, width: number, height: number, opts: { axis?: boolean; label?: string } = {}): Html {
  const max = lines.reduce((m, l) => l.points.reduce((mm, p) => Math.max(mm, p[1]), m), 1)
  const pad = opts.axis ? 28 : 2
  const x = (t: number) => pad + (endNs > 0 ? (t / endNs) * (width - pad - 2) : 0)
  const y = (v: number) => height - (opts.axis ? 16 : 2) - (v / max) * (height - (opts.axis ? 22 : 4))
  const path = (pts: [number, number][], lineEnd = endNs) => {
    if (pts.length === 0) return ''
    let d = `M${x(pts[0]![0]).toFixed(1)},${y(pts[0]![1]).toFixed(1)}`
    for (let i = 1; i < pts.length; i++) d += `H${x(pts[i]![0]).toFixed(1)}V${y(pts[i]![1]).toFixed(1)}`
    return d + `H${x(Math.min(lineEnd, endNs)).toFixed(1)}`
  }
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${opts.label ?? 'chart'}">
${opts.axis ? html`<text x="2" y="10" class="tick">${max}</text><text x="2" y="${height - 18}" class="tick">0</text><text x="${pad}" y="${height - 2}" class="tick">0</text><text x="${x(endNs / 2)}" y="${height - 2}" class="tick" text-anchor="middle">${fmtDuration(endNs / 2)}</text><text x="${width - 2}" y="${height - 2}" class="tick" text-anchor="end">${fmtDuration(endNs)}</text><line x1="${pad}" x2="${width - 2}" y1="${height - 16}" y2="${height - 16}" class="axis"/>` : ''}
${lines.map((l) => html`<path d="${path(l.points, l.endNs)}" fill="none" stroke="${l.color}" stroke-width="1.5"><title>${l.name}</title></path>`)}
</svg>`
}

export function fmtDuration(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`
  return `${Math.round(ns)} ns`
}
