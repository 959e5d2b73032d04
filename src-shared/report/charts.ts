// Inline SVG charts (no script needed to show them): step lines over time, downsampled to what the report shows.
import { html, type Html } from './escape'

export interface Line {
  name: string
  color: string
  points: [number, number][]
}

/** At most `max` points per line, keeping each bucket's last value (a step series). */
export function downsample(points: [number, number][], endNs: number, max = 400): [number, number][] {
  if (points.length <= max) return points
  const out: [number, number][] = []
  const bucket = endNs / max
  let next = 0
  let peak: [number, number] | null = null
  for (const p of points) {
    if (p[0] >= next && peak) {
      out.push(peak)
      peak = null
    }
    if (!peak || p[1] >= peak[1]) peak = p
    if (p[0] >= next) next = (Math.floor(p[0] / bucket) + 1) * bucket
  }
  if (peak) out.push(peak)
  return out
}

export function stepChart(lines: Line[], endNs: number, width: number, height: number, opts: { axis?: boolean; label?: string } = {}): Html {
  const max = Math.max(1, ...lines.flatMap((l) => l.points.map((p) => p[1])))
  const pad = opts.axis ? 28 : 2
  const x = (t: number) => pad + (endNs > 0 ? (t / endNs) * (width - pad - 2) : 0)
  const y = (v: number) => height - (opts.axis ? 16 : 2) - (v / max) * (height - (opts.axis ? 22 : 4))
  const path = (pts: [number, number][]) => {
    if (pts.length === 0) return ''
    let d = `M${x(pts[0]![0]).toFixed(1)},${y(pts[0]![1]).toFixed(1)}`
    for (let i = 1; i < pts.length; i++) d += `H${x(pts[i]![0]).toFixed(1)}V${y(pts[i]![1]).toFixed(1)}`
    return d + `H${x(endNs).toFixed(1)}`
  }
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${opts.label ?? 'chart'}">
${opts.axis ? html`<text x="2" y="10" class="tick">${max}</text><text x="2" y="${height - 18}" class="tick">0</text><text x="${width - 2}" y="${height - 2}" class="tick" text-anchor="end">${fmtDuration(endNs)}</text><line x1="${pad}" x2="${width - 2}" y1="${height - 16}" y2="${height - 16}" class="axis"/>` : ''}
${lines.map((l) => html`<path d="${path(l.points)}" fill="none" stroke="${l.color}" stroke-width="1.5"><title>${l.name}</title></path>`)}
</svg>`
}

export function fmtDuration(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`
  return `${Math.round(ns)} ns`
}
