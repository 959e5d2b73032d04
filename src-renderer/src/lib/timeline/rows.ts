// Which tracks are rows, in display order, and how a row looks. Order follows gotraceui: GC, STW, Ps, (Ms),
// goroutines. A goroutine filter (from the leak panel) narrows the goroutine rows only.

import type { TrackMeta } from '@shared/timeline/store'
import { goroutineColor, stateInfo } from '@shared/timeline/states'

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
