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
  let i = UNITS.findIndex(([, scale]) => abs >= scale)
  if (i < 0) i = UNITS.length - 1
  // Rounded to `digits` significant digits, but never in exponent form ("200 ms", not "2.0e+2 ms"); one that
  // rounds up to 1000 moves to the larger unit ("1 s", not "1000 ms").
  const rounded = (k: number) => Number((ns / UNITS[k]![1]).toPrecision(digits))
  if (i > 0 && Math.abs(rounded(i)) >= 1000) i--
  return `${rounded(i)} ${UNITS[i]![0]}`
}

/**
 * An axis label for a tick at `ns`, in the unit that fits the tick spacing `stepNs` (so ticks read 1.5, 2.0, 2.5 ms);
 * on an axis far from zero at a fine spacing, the unit of its farthest tick `farNs` with the decimals the spacing needs
 * ("330.24035 ms", not "330240350 ns").
 */
export function formatTick(ns: number, stepNs: number, farNs = ns): string {
  let [unit, scale] = UNITS.find(([, s]) => stepNs >= s / 2) ?? UNITS[UNITS.length - 1]!
  // Decided by the axis' farthest tick (`farNs`), so that one axis keeps one unit.
  const far = Math.abs(farNs)
  if (far / scale >= 1e5) [unit, scale] = UNITS.find(([, s]) => far >= s) ?? [unit, scale]
  const step = stepNs / scale
  let decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9))
  // A step of 0.25 needs two decimals, not one.
  if (Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-6) decimals++
  return `${(ns / scale).toFixed(Math.min(decimals, 9))} ${unit}`
}
