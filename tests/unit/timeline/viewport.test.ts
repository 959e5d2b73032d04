import { describe, expect, it } from 'vitest'
import { clampWindow, MIN_WINDOW_NS, NavigationHistory, panBy, visibleRows, zoomAt } from '../../../src-shared/timeline/viewport'
import { formatDuration, formatTick } from '../../../src-shared/timeline/format'

describe('navigation', () => {
  const end = 1_000_000
  it('zooms at the cursor: the time under it stays put', () => {
    const w = { startNs: 100_000, endNs: 300_000 }
    const z = zoomAt(w, 0.5, 0.25, end)
    expect(z.endNs - z.startNs).toBe(100_000)
    expect(z.startNs + 0.25 * 100_000).toBe(150_000)
  })
  it('never leaves the trace nor shrinks below the minimum', () => {
    expect(panBy({ startNs: 0, endNs: 1000 }, -3, end)).toEqual({ startNs: 0, endNs: 1000 })
    expect(panBy({ startNs: 998_000, endNs: 999_000 }, 5, end)).toEqual({ startNs: 999_000, endNs: end })
    const tiny = zoomAt({ startNs: 500, endNs: 600 }, 0.01, 0.5, end)
    expect(tiny.endNs - tiny.startNs).toBe(MIN_WINDOW_NS)
    expect(clampWindow({ startNs: -5, endNs: 5e9 }, end)).toEqual({ startNs: 0, endNs: end })
  })
  it('undoes and redoes navigation steps', () => {
    const h = new NavigationHistory()
    const a = { startNs: 0, endNs: 100 }
    const b = { startNs: 10, endNs: 60 }
    const c = { startNs: 20, endNs: 30 }
    h.record(a)
    h.record(b)
    expect(h.undo(c)).toEqual(b)
    expect(h.undo(b)).toEqual(a)
    expect(h.undo(a)).toBeNull()
    expect(h.redo(a)).toEqual(b)
    expect(h.redo(b)).toEqual(c)
    expect(h.canRedo).toBe(false)
  })
  it('lays out only the rows in view', () => {
    expect(visibleRows(0, 100, 20, 1000)).toEqual([0, 5])
    expect(visibleRows(19_990, 100, 20, 1000)).toEqual([999, 1000])
  })
})

describe('time formatting', () => {
  it('uses the largest unit that keeps the number >= 1', () => {
    expect(formatDuration(0)).toBe('0 ns')
    expect(formatDuration(100)).toBe('100 ns')
    expect(formatDuration(1500)).toBe('1.5 µs')
    expect(formatDuration(1_234_567)).toBe('1.23 ms')
    expect(formatDuration(2e9)).toBe('2 s')
  })
  it('never writes an exponent, at any precision', () => {
    expect(formatDuration(200_000_000, 2)).toBe('200 ms')
    expect(formatDuration(330_000, 2)).toBe('330 µs')
    expect(formatDuration(110_000, 2)).toBe('110 µs')
    expect(formatDuration(1_500e9, 3)).toBe('1500 s')
    expect(formatDuration(-200_000_000, 2)).toBe('-200 ms')
    // Rounding up to 1000 of a unit moves to the next.
    expect(formatDuration(999_960_000, 3)).toBe('1 s')
    expect(formatDuration(999_600, 2)).toBe('1 ms')
    for (let ns = 1; ns < 1e13; ns *= 3.7) for (const d of [1, 2, 3, 4]) expect(formatDuration(ns, d)).not.toMatch(/e[+-]/)
  })
  it('labels ticks with as many decimals as the step needs', () => {
    expect(formatTick(1_500_000, 500_000)).toBe('1.5 ms')
    expect(formatTick(2_000_000, 1_000_000)).toBe('2 ms')
    expect(formatTick(1_250, 250)).toBe('1250 ns')
    // Deep in a long trace: the tick's own unit, with the decimals its spacing needs.
    expect(formatTick(330_240_350, 10)).toBe('330.24035 ms')
    expect(formatTick(330_240_360, 20)).toBe('330.24036 ms')
    expect(formatTick(2_330_240_350, 50)).toBe('2.33024035 s')
    // One axis, one unit: ticks either side of 100 µs read alike.
    expect([99_600, 99_800, 100_000, 100_200].map((t) => formatTick(t, 200, 100_200))).toEqual(['99.6 µs', '99.8 µs', '100.0 µs', '100.2 µs'])
  })
})
