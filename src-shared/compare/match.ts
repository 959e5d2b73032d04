// Matches leak groups of two traces by their stable key and says what changed: new, grown, shrunk, unchanged,
// fixed. Counts are compared as they are and as rates per second of trace, so traces of different lengths compare.
import { baseKey, frameKey, goLine, sameWork } from '../analysis/key'
import type { LeakGroup } from '../analysis/leaks'
import type { TraceInfo } from '../model/model'

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
  /**
   * Set when the status is decided on a leak a trace saw partly created and partly already running (groups doing the
   * same work, see linkSameWork): the current groups of it, and its goroutines on each side. Null for a group alone.
   */
  together: { keys: string[]; count: number; baselineCount: number } | null
  /**
   * Two traces of one process (sameProcess): how many of the baseline's goroutines (of this group, or of the leak it
   * is part of) are still there, the same goroutine IDs. Null for traces of separate runs, and for new and fixed.
   */
  stillThere: number | null
}

export function compareGroups(current: LeakGroup[], currentNs: number, baseline: LeakGroup[], baselineNs: number, oneProcess = false): GroupChange[] {
  const perSec = (n: number, ns: number) => (ns > 0 ? n / (ns / 1e9) : 0)
  const before = new Map(baseline.map((g) => [g.key, g]))
  const out: GroupChange[] = []
  const matched = new Map<GroupChange, LeakGroup>()
  const setBaseline = (change: GroupChange, b: LeakGroup) => {
    matched.set(change, b)
    change.baselineCount = b.count
    change.baselineRate = perSec(b.count, baselineNs)
    change.status = change.count > b.count ? 'grown' : change.count < b.count ? 'shrunk' : 'unchanged'
  }
  for (const g of current) {
    out.push({ key: g.key, status: 'new', count: g.count, baselineCount: 0, rate: perSec(g.count, currentNs), baselineRate: 0, group: g, together: null, stillThere: null })
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
  // A leak a snapshot saw partly created in its window and partly already running (two groups doing the same work)
  // is one leak: its status is decided on its goroutines in all, on each side, and a group of it the other side did
  // not match is part of it, not new or fixed. (Two snapshots of a growing leak: the window's part stays about the
  // same size, the part from before it grows.)
  const nowByKey = new Map(out.map((c) => [c.key, c]))
  const thenByKey = new Map(baseline.map((b) => [b.key, b]))
  const decided = new Set<GroupChange>()
  for (const c of out) {
    if (decided.has(c)) continue
    const partner = c.group.sameWorkAs === null ? undefined : nowByKey.get(c.group.sameWorkAs)
    const members = partner ? [c, partner] : [c]
    // A created group nothing matched is a `go` statement the baseline did not have: new, whatever it works like.
    if (members.some((m) => !m.group.preexisting && !matched.has(m))) continue
    const base = new Set<LeakGroup>()
    for (const m of members) {
      const b = matched.get(m)
      if (!b) continue
      base.add(b)
      // Its baseline partner too when that one was found running (a created one is its own go statement, fixed if
      // nothing matched it), unless another group of this side took it.
      const bp = b.sameWorkAs === null ? undefined : thenByKey.get(b.sameWorkAs)
      if (bp && bp.preexisting && before.has(bp.key)) base.add(bp)
    }
    if (members.length === 1 && base.size <= 1) continue
    for (const b of base) before.delete(b.key)
    const count = members.reduce((s, m) => s + m.count, 0)
    const baselineCount = [...base].reduce((s, b) => s + b.count, 0)
    const status: ChangeStatus = baselineCount === 0 ? 'new' : count > baselineCount ? 'grown' : count < baselineCount ? 'shrunk' : 'unchanged'
    const together = { keys: members.map((m) => m.key), count, baselineCount }
    const still = oneProcess ? stillThere([...base], members.map((m) => m.group)) : null
    for (const m of members) {
      m.status = status
      m.together = together
      m.stillThere = still
      decided.add(m)
    }
  }
  if (oneProcess) {
    for (const c of out) {
      const b = matched.get(c)
      if (!decided.has(c) && b) c.stillThere = stillThere([b], [c.group])
    }
  }
  for (const b of before.values()) {
    out.push({ key: b.key, status: 'fixed', count: 0, baselineCount: b.count, rate: 0, baselineRate: perSec(b.count, baselineNs), group: b, together: null, stillThere: null })
  }
  const worse: Record<ChangeStatus, number> = { new: 0, grown: 1, unchanged: 2, shrunk: 3, fixed: 4 }
  const verdict = { leak: 0, suspect: 1, benign: 2 }
  out.sort((x, y) => verdict[x.group.verdict] - verdict[y.group.verdict] || worse[x.status] - worse[y.status] || (y.count - y.baselineCount) - (x.count - x.baselineCount))
  return out
}

type Process = Pick<TraceInfo, 'legacy' | 'threadIds'>

/**
 * Whether two traces come from one process (two flight-recorder snapshots, two captures of one server): they share an
 * OS thread. (Legacy traces number threads from 0 in every process: never.)
 */
export function sameProcess(a: Process, b: Process): boolean {
  if (a.legacy || b.legacy) return false
  const mine = new Set(a.threadIds)
  return b.threadIds.some((t) => mine.has(t))
}

/**
 * Set when two traces of one process are given the wrong way round: the baseline began after the trace compared with
 * it, by the wall clocks both record (Go 1.25 and later). A warning in words, else null. (Traces of separate runs are
 * compared in any order: a fixed build's trace may well be recorded after the one it is compared with.)
 */
export function backwards(current: { name: string; info: Process & Pick<TraceInfo, 'wallStartNs'> }, baseline: { name: string; info: Process & Pick<TraceInfo, 'wallStartNs'> }): string | null {
  const [c, b] = [current.info.wallStartNs, baseline.info.wallStartNs]
  if (c === null || b === null || b <= c || !sameProcess(current.info, baseline.info)) return null
  const s = (b - c) / 1e9
  return `the baseline ${baseline.name} began ${s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(1)} s`} after ${current.name} in the same process (by the wall clock both record; they share OS threads): the comparison reads backwards, give the older one as the baseline`
}

/** How many of the baseline groups' goroutines are among the current groups' (the same IDs, in one process). */
function stillThere(base: LeakGroup[], now: LeakGroup[]): number {
  const ids = new Set(now.flatMap((g) => g.goroutines))
  let n = 0
  for (const b of base) for (const id of b.goroutines) if (ids.has(id)) n++
  return n
}

type Counted = Pick<GroupChange, 'baselineCount' | 'together' | 'stillThere'>

/** For a leak of groups doing the same work: its goroutines on each side, in words; null for a group alone. */
export function togetherText(c: Pick<GroupChange, 'together'>): string | null {
  return c.together ? `${c.together.count} in all with the same work, was ${c.together.baselineCount}` : null
}

/** Two traces of one process: how many of the baseline's goroutines are still there ("all of them still there"), or null. */
export function stillText(c: Counted): string | null {
  const was = c.together ? c.together.baselineCount : c.baselineCount
  return c.stillThere === null || was === 0 ? null : `${c.stillThere === was ? 'all' : c.stillThere} of them still there`
}

/**
 * A change's status in words, with the counts it was decided on: "grown, was 22", or for a leak of groups doing the
 * same work, "grown: 100 in all with a2529e5e, was 50"; and for two traces of one process, how many of the baseline's
 * goroutines are still there ("all 50 still there").
 */
export function statusText(c: Counted & Pick<GroupChange, 'status' | 'key'>): string {
  const was = c.together ? c.together.baselineCount : c.baselineCount
  const still = stillText(c)
  const tail = `, was ${was}${still ? `, ${still}` : ''}`
  if (c.together) {
    const others = c.together.keys.filter((k) => k !== c.key)
    const all = `${c.together.count} in all${others.length ? ` with ${others.join(', ')}` : ''}`
    return c.status === 'new' ? `${c.status}: ${all}` : `${c.status}: ${all}${tail}`
  }
  return c.status === 'new' ? c.status : `${c.status}${tail}`
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
