// Compares two dumps event by event, tolerating only what Go itself does not fix: the order of events that share a
// timestamp on different Ps (Go merges per-P batches through a map, so equal-time events and the goroutines created
// before the first GOMAXPROCS event come out in a random order from run to run; `go tool trace -d=parsed` on the same
// legacy file gives different bytes on different runs). Such a swap shows as a short window in which both sides
// hold the same events (ignoring Time) at the same list of times. Anything else is a real difference.

export interface TieReport {
  equal: boolean
  /** Number of tie windows that were reordered. */
  tieWindows: number
  /** First real difference, when not equal. */
  firstDiff?: string
}

/** Splits a dump into events (an event's stack lines start with a tab or a "Stack=" header). */
export function splitEvents(text: string): string[] {
  const out: string[] = []
  for (const line of text.split('\n')) {
    if (line === '') continue
    if (line.startsWith('M=') || out.length === 0) out.push(line)
    else out[out.length - 1] += '\n' + line
  }
  return out
}

const TIME = / Time=(-?\d+)/

function timeOf(e: string): string {
  return TIME.exec(e)?.[1] ?? ''
}

function strip(e: string): string {
  return e.replace(TIME, ' Time=_')
}

const MAX_WINDOW = 64

export function compareDumps(ours: string, theirs: string): TieReport {
  const a = splitEvents(ours)
  const b = splitEvents(theirs)
  let tieWindows = 0
  let i = 0
  while (i < a.length && i < b.length) {
    if (a[i] === b[i]) {
      i++
      continue
    }
    let matched = 0
    const counts = new Map<string, number>()
    for (let j = i; j < Math.min(a.length, b.length, i + MAX_WINDOW); j++) {
      if (timeOf(a[j]!) !== timeOf(b[j]!)) break
      for (const [e, d] of [[strip(a[j]!), 1], [strip(b[j]!), -1]] as const) {
        const n = (counts.get(e) ?? 0) + d
        if (n === 0) counts.delete(e)
        else counts.set(e, n)
      }
      if (counts.size === 0) {
        matched = j + 1
        break
      }
    }
    if (!matched) return { equal: false, tieWindows, firstDiff: `event ${i}:\n  ours:   ${a[i]?.split('\n')[0]}\n  theirs: ${b[i]?.split('\n')[0]}` }
    tieWindows++
    i = matched
  }
  if (a.length !== b.length) return { equal: false, tieWindows, firstDiff: `ours has ${a.length} events, theirs ${b.length}` }
  return { equal: true, tieWindows }
}
