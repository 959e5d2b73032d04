// Which tracks are rows, in display order, and how a row looks. Order follows gotraceui: GC, STW, Ps, (Ms),
// goroutines. A goroutine filter (from the leak panel) narrows the goroutine rows only.

import type { TrackMeta } from '@shared/timeline/store'
import { goroutineColor, STATE_INFO, stateInfo } from '@shared/timeline/states'
import { packColor } from '@shared/timeline/raster'

export const ROW_HEIGHT = 18
export const LABEL_WIDTH = 168

export function rowOrder(tracks: readonly TrackMeta[], showThreads: boolean, onlyGoroutines: ReadonlySet<number> | null): number[] {
  const order: number[] = []
  const rank = { gc: 0, stw: 1, proc: 2, thread: 3, goroutine: 4 } as const
  tracks.forEach((t, i) => {
    if (t.kind === 'thread' && !showThreads) return
    if (t.kind === 'goroutine' && onlyGoroutines && !onlyGoroutines.has(t.id)) return
    order.push(i)
  })
  // Stable: within a kind the decoder's order (by id) is kept.
  return order.sort((a, b) => rank[tracks[a].kind] - rank[tracks[b].kind] || a - b)
}

/** Mark strip colours on P tracks by mark kind: 1 = GC sweep, 2 = mark assist. */
export const MARK_COLORS: Record<number, string> = { 1: '#b48cf2', 2: '#ff6fb5' }

const GC_COLOR = '#d9534f'
const STW_COLOR = '#f0ad4e'
const DIMMED = '#3a3f48'
const colorCache = new Map<number, string>()

/** The fill for one run's value on a track of this kind; highlighted goroutines keep colour, the rest dim. */
export function runColor(kind: TrackMeta['kind'], value: number, highlight: ReadonlySet<number> | null): string {
  switch (kind) {
    case 'gc':
      return GC_COLOR
    case 'stw':
      return STW_COLOR
    case 'goroutine':
      return stateInfo(value)?.color ?? '#888'
    default: {
      const g = value - 1
      if (highlight && highlight.size > 0 && !highlight.has(g)) return DIMMED
      let c = colorCache.get(g)
      if (!c) {
        c = goroutineColor(g)
        colorCache.set(g, c)
      }
      return c
    }
  }
}

// The same colours as pixel words, for painting into an ImageData (see raster.ts).
const STATE_PIXELS = new Uint32Array(256).fill(packColor('#888'))
for (const s of STATE_INFO) STATE_PIXELS[s.code] = packColor(s.color)
const GC_PIXEL = packColor(GC_COLOR)
const STW_PIXEL = packColor(STW_COLOR)
const DIMMED_PIXEL = packColor(DIMMED)
const pixelCache = new Map<number, number>()
export const MARK_PIXELS: Record<number, number> = { 1: packColor(MARK_COLORS[1]), 2: packColor(MARK_COLORS[2]) }
export const WHITE_PIXEL = packColor('#ffffff')

/** runColor as a pixel word; one function per track so the per-run call does no switching. */
export function runPixel(kind: TrackMeta['kind'], highlight: ReadonlySet<number> | null): (value: number) => number {
  switch (kind) {
    case 'gc':
      return () => GC_PIXEL
    case 'stw':
      return () => STW_PIXEL
    case 'goroutine':
      return (v) => (v < 256 ? STATE_PIXELS[v] : STATE_PIXELS[0])
    default: {
      const dim = highlight !== null && highlight.size > 0
      return (v) => {
        const g = v - 1
        if (dim && !highlight.has(g)) return DIMMED_PIXEL
        let c = pixelCache.get(g)
        if (c === undefined) {
          c = packColor(goroutineColor(g))
          pixelCache.set(g, c)
        }
        return c
      }
    }
  }
}

export function markPixel(kind: number): number {
  return MARK_PIXELS[kind] ?? WHITE_PIXEL
}
