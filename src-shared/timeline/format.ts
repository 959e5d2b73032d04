// Times as people read them on an axis or in a tooltip: the largest unit that keeps the number >= 1.

const UNITS: readonly [string, number][] = [
  ['s', 1e9],
  ['ms', 1e6],
  ['µs', 1e3],
  ['ns', 1],
]

/** 1234567 -> "1.23 ms"; 0 -> "0 ns". */
export function formatDuration(ns: number, digits = 3): string {
  if (!Number.isFinite(ns)) return '—'
  const abs = Math.abs(ns)
  for (const [unit, scale] of UNITS) {
    if (abs >= scale || scale === 1) return `${trim((ns / scale).toPrecision(digits))} ${unit}`
  }
  return `${ns} ns`
}

/** An axis label for a tick at `ns`, in the unit that fits the tick spacing `stepNs` (so ticks read 1.5, 2.0, 2.5 ms). */
export function formatTick(ns: number, stepNs: number): string {
  for (const [unit, scale] of UNITS) {
    if (stepNs >= scale / 2 || scale === 1) {
      const decimals = Math.max(0, Math.ceil(-Math.log10(stepNs / scale) - 1e-9))
      return `${(ns / scale).toFixed(Math.min(decimals, 6))} ${unit}`
    }
  }
  return `${ns} ns`
}

function trim(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s
}
