// The visible time window and how keys and the wheel move it. Pure functions over a plain value, so navigation is
// testable without a DOM and undo/redo is just a list of windows.

export interface TimeWindow {
  startNs: number
  endNs: number
}

/** Zooming stops at 100 ns across the whole view: below that a trace has nothing more to show. */
export const MIN_WINDOW_NS = 100

/** Keeps the window inside [0, traceEnd] and at least MIN_WINDOW_NS wide, preserving its width where possible. */
export function clampWindow(w: TimeWindow, traceEndNs: number): TimeWindow {
  const total = Math.max(traceEndNs, MIN_WINDOW_NS)
  let width = Math.min(Math.max(w.endNs - w.startNs, MIN_WINDOW_NS), total)
  if (!Number.isFinite(width)) width = total
  let start = Number.isFinite(w.startNs) ? w.startNs : 0
  start = Math.min(Math.max(start, 0), total - width)
  return { startNs: start, endNs: start + width }
}

/** Zooms by `factor` (< 1 zooms in) keeping the time under `anchor` (0..1 across the view) where it is. */
export function zoomAt(w: TimeWindow, factor: number, anchor: number, traceEndNs: number): TimeWindow {
  const width = w.endNs - w.startNs
  const at = w.startNs + width * anchor
  const next = Math.max(width * factor, MIN_WINDOW_NS)
  return clampWindow({ startNs: at - next * anchor, endNs: at - next * anchor + next }, traceEndNs)
}

/** Pans by `fraction` of the view's width (negative = earlier). */
export function panBy(w: TimeWindow, fraction: number, traceEndNs: number): TimeWindow {
  const d = (w.endNs - w.startNs) * fraction
  return clampWindow({ startNs: w.startNs + d, endNs: w.endNs + d }, traceEndNs)
}

/** Undo/redo of navigation: each committed window is a step; panning the same way in a burst is one step. */
export class NavigationHistory {
  private past: TimeWindow[] = []
  private future: TimeWindow[] = []

  constructor(private readonly limit = 200) {}

  /** Remembers `previous` before the view moves to a new place. */
  record(previous: TimeWindow): void {
    const last = this.past[this.past.length - 1]
    if (last && last.startNs === previous.startNs && last.endNs === previous.endNs) return
    this.past.push({ ...previous })
    if (this.past.length > this.limit) this.past.shift()
    this.future = []
  }

  undo(current: TimeWindow): TimeWindow | null {
    const w = this.past.pop()
    if (!w) return null
    this.future.push({ ...current })
    return w
  }

  redo(current: TimeWindow): TimeWindow | null {
    const w = this.future.pop()
    if (!w) return null
    this.past.push({ ...current })
    return w
  }

  get canUndo(): boolean {
    return this.past.length > 0
  }

  get canRedo(): boolean {
    return this.future.length > 0
  }
}

/** Rows [first, last) of equal height that intersect a vertical viewport: only these are laid out and drawn. */
export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight))
  const last = Math.min(rowCount, Math.ceil((scrollTop + viewportHeight) / rowHeight))
  return [first, Math.max(first, last)]
}
