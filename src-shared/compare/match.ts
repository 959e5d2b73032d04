// Matches leak groups of two traces by their stable key and says what changed: new, grown, shrunk, unchanged,
// fixed. Counts are compared as they are and as rates per second of trace, so traces of different lengths compare.
import { baseKey, frameKey, goLine, sameWork } from '../analysis/key'
import type { LeakGroup } from '../analysis/leaks'

export type ChangeStatus = 'new' | 'grown' | 'shrunk' | 'unchanged' | 'fixed'

export interface GroupChange {
  key: string
  status: ChangeStatus
  count: number
  baselineCount: number
  /** Live goroutines per second of trace, on each side. */
  rate: number
  baselineRate: number
  /** The group as it is now (for fixed: as it was in the baseline). */
  group: LeakGroup
}

export function compareGroups(current: LeakGroup[], currentNs: number, baseline: LeakGroup[], baselineNs: number): GroupChange[] {
  const perSec = (n: number, ns: number) => (ns > 0 ? n / (ns / 1e9) : 0)
  const before = new Map(baseline.map((g) => [g.key, g]))
  const out: GroupChange[] = []
  const setBaseline = (change: GroupChange, b: LeakGroup) => {
    change.baselineCount = b.count
    change.baselineRate = perSec(b.count, baselineNs)
    change.status = change.count > b.count ? 'grown' : change.count < b.count ? 'shrunk' : 'unchanged'
  }
  for (const g of current) {
    out.push({ key: g.key, status: 'new', count: g.count, baselineCount: 0, rate: perSec(g.count, currentNs), baselineRate: 0, group: g })
  }
  // A plain key names the same group on both sides.
  for (const change of out) {
    const b = change.key.includes(':') ? undefined : before.get(change.key)
    if (!b) continue
    before.delete(b.key)
    setBaseline(change, b)
  }
  // Sibling groups (two `go` statements of one function: keys with their line, see disambiguateKeys) pair by base key,
  // their lines being what tells them apart, and lines move: as many on each side pair in line order; otherwise
  // (a sibling added or removed) each takes the nearest line on the other side.
  const bases = new Set(out.filter((o) => o.status === 'new').map((o) => baseKey(o.key)))
  for (const base of bases) {
    const mine = out.filter((o) => o.status === 'new' && baseKey(o.key) === base)
    const theirs = [...before.values()].filter((b) => baseKey(b.key) === base)
    for (const [change, b] of pairSiblings(mine, theirs)) {
      before.delete(b.key)
      setBaseline(change, b)
    }
  }
  // Goroutines from before the trace that one side saw without evidence of what they wait for: a legacy trace (Go 1.21
  // and older) records neither a stack nor a reason for them, Go 1.23 and later do, so their keys differ across a Go
  // upgrade. Such a group is the same as one with the same entry on the other side, if only one there has that entry.
  // (Go 1.22 records not even their entry: those cannot be told apart, and are left unmatched.)
  for (const change of out) {
    if (change.status !== 'new' || !isBeforeTrace(change.group)) continue
    const g = change.group
    const candidates = [...before.values()].filter((b) => isBeforeTrace(b) && frameKey(b.entry) === frameKey(g.entry) && (unseen(b) || unseen(g)))
    if (candidates.length !== 1 || out.some((o) => o !== change && o.status === 'new' && isBeforeTrace(o.group) && frameKey(o.group.entry) === frameKey(g.entry))) continue
    const b = candidates[0]!
    before.delete(b.key)
    setBaseline(change, b)
  }
  // One side saw the goroutines created (their `go` statement in its window), the other only found them there (a
  // flight-recorder snapshot, or a trace started later): the same goroutines if they do the same work (sameWork), and
  // only one group on each side does.
  for (const change of out) {
    if (change.status !== 'new' || change.group.entry === null) continue
    const g = change.group
    const candidates = [...before.values()].filter((b) => sameWork(g, b))
    if (candidates.length !== 1 || out.some((o) => o !== change && o.status === 'new' && sameWork(o.group, candidates[0]!))) continue
    before.delete(candidates[0]!.key)
    setBaseline(change, candidates[0]!)
  }
  for (const b of before.values()) {
    out.push({ key: b.key, status: 'fixed', count: 0, baselineCount: b.count, rate: 0, baselineRate: perSec(b.count, baselineNs), group: b })
  }
  const worse: Record<ChangeStatus, number> = { new: 0, grown: 1, unchanged: 2, shrunk: 3, fixed: 4 }
  const verdict = { leak: 0, suspect: 1, benign: 2 }
  out.sort((x, y) => verdict[x.group.verdict] - verdict[y.group.verdict] || worse[x.status] - worse[y.status] || (y.count - y.baselineCount) - (x.count - x.baselineCount))
  return out
}

/** A group of goroutines that were there before the trace started, with a known entry function. */
function isBeforeTrace(g: LeakGroup): boolean {
  return g.preexisting && g.entry !== null && g.entry.func !== ''
}

/** A group whose trace recorded nothing of what it waits for: neither a stack nor a reason. */
function unseen(g: LeakGroup): boolean {
  return g.stacks.block.length === 0 && g.blockReason === ''
}

/** Pairs sibling groups of one base key: in line order when both sides have as many, else nearest lines first. */
function pairSiblings(mine: GroupChange[], theirs: LeakGroup[]): [GroupChange, LeakGroup][] {
  if (mine.length === 0 || theirs.length === 0) return []
  const order = (a: LeakGroup, b: LeakGroup) => goLine(a) - goLine(b) || blockLine(a) - blockLine(b)
  if (mine.length === theirs.length) {
    const t = theirs.slice().sort(order)
    return mine.slice().sort((x, y) => order(x.group, y.group)).map((m, i) => [m, t[i]!])
  }
  const options = mine.flatMap((m) => theirs.map((t) => ({ m, t, cost: [Math.abs(goLine(m.group) - goLine(t)), Math.abs(blockLine(m.group) - blockLine(t)), Math.abs(m.count - t.count)] })))
  options.sort((x, y) => x.cost[0]! - y.cost[0]! || x.cost[1]! - y.cost[1]! || x.cost[2]! - y.cost[2]!)
  const pairs: [GroupChange, LeakGroup][] = []
  const used = new Set<unknown>()
  for (const o of options) {
    if (used.has(o.m) || used.has(o.t)) continue
    used.add(o.m).add(o.t)
    pairs.push([o.m, o.t])
  }
  return pairs
}

function blockLine(g: LeakGroup): number {
  return g.blockSite?.line ?? 0
}
