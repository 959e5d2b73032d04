// Matches leak groups of two traces by their stable key and says what changed: new, grown, shrunk, unchanged,
// fixed. Counts are compared as they are and as rates per second of trace, so traces of different lengths compare.
import { baseKey, frameKey } from '../analysis/key'
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
    const b = before.get(g.key)
    before.delete(g.key)
    const baselineCount = b?.count ?? 0
    const status: ChangeStatus = !b ? 'new' : g.count > baselineCount ? 'grown' : g.count < baselineCount ? 'shrunk' : 'unchanged'
    out.push({ key: g.key, status, count: g.count, baselineCount, rate: perSec(g.count, currentNs), baselineRate: perSec(baselineCount, baselineNs), group: g })
  }
  // Groups whose keys were disambiguated (sibling `go` statements: see disambiguateKeys) and did not match as they
  // are: a sibling was added or removed, or the lines moved. By base key: the one left on each side; else the same
  // `go` line; else, as many on each side, in line order.
  for (const change of out) {
    if (change.status !== 'new') continue
    const g = change.group
    const base = baseKey(g.key)
    const byLine = (a: LeakGroup, b: LeakGroup) => goLine(a) - goLine(b)
    const candidates = [...before.values()].filter((b) => baseKey(b.key) === base).sort(byLine)
    const unmatched = out.filter((o) => o.status === 'new' && baseKey(o.group.key) === base).map((o) => o.group).sort(byLine)
    const sameLine = candidates.filter((b) => goLine(b) === goLine(g))
    const b =
      sameLine.length === 1 ? sameLine[0]! : candidates.length === unmatched.length ? candidates[unmatched.indexOf(g)]! : null
    if (!b) continue
    before.delete(b.key)
    setBaseline(change, b)
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

/** The line of a group's `go` statement, or of its entry for goroutines from before the trace. */
function goLine(g: LeakGroup): number {
  return (g.creationSite ?? g.entry)?.line ?? 0
}
