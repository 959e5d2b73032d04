// The leak analysis: goroutines that never end, grouped by the `go` statement that created them, where they block
// and on what; each group with a verdict (leak / suspect / benign), a sentence saying why, a confidence, a pattern
// and a fix hint where the evidence fits one, and a stable key for suppressions and comparisons.
import type { Frame, GoroutineRecord, Stack } from '../model/goroutine'
import { STATE, type TraceModel } from '../model/model'
import { categorize, type Category } from './categories'
import { creationFrame, isMainEntry, isRuntimeFrame, isUserFrame, recordEntry, tableEntry, topUserFrame } from './frames'
import { disambiguateKeys, groupKey, sameWork } from './key'
import { PATTERNS, type PatternId } from './patterns'
import type { Suppressions } from './suppress'
import { isSuppressed, unusedRules } from './suppress'

export type Verdict = 'leak' | 'suspect' | 'benign'

export interface LeakGroup {
  key: string
  verdict: Verdict
  /** 0..1: how sure the verdict is. */
  confidence: number
  /** Why, in one sentence. */
  reason: string
  category: Category
  /** Go's block reason string of the group's goroutines ("" when unknown). */
  blockReason: string
  pattern: PatternId | null
  hint: string | null
  count: number
  /** Goroutines created at the site in the window, and how many of them ended. */
  created: number
  ended: number
  creationSite: Frame | null
  /**
   * Set when the `go` statement was a library's with no user frame below it (net/http's connection goroutines): the
   * library function that ran it. creationSite is then the user's `go` statement that started that library goroutine.
   */
  createdVia: Frame | null
  entry: Frame | null
  blockSite: Frame | null
  preexisting: boolean
  /**
   * The key of the group of this trace that does the same work (see sameWork in key.ts) from the other side of the
   * trace's start: for goroutines found running, the one group seen created; for that group, them. Null when there is
   * none, or more than one (which is the same is then unknown).
   */
  sameWorkAs: string | null
  blockedNs: { min: number; median: number; max: number }
  /** Share of the window the group's goroutines spent blocked since they last blocked (0..1, median). */
  blockedShare: number
  wakeups: number
  /** Share of their time in the trace (since created, or since the trace began) the goroutines spent running (0..1). */
  cpuShare: number
  goroutines: number[]
  stacks: { creation: Stack; block: Stack }
  /** Live count from this site over time: [ns, count] steps. */
  liveOverTime: [number, number][]
  /** Goroutines the runtime's goroutineleak profile proved leaked (0 when no profile was given). */
  provenLeaked: number
  score: number
}

export interface AnalysisOptions {
  suppress?: Suppressions
  /** Goroutine ids the runtime reported as leaked (from a goroutineleak profile). */
  leakedIds?: ReadonlySet<number>
  minCount?: number
}

export interface LeakAnalysis {
  durationNs: number
  groups: LeakGroup[]
  /** Leak and suspect groups a suppression hid (benign ones it hid are not counted). */
  suppressed: number
  /** Suppression rules that hid no group at all ("created-by F", "blocked-in F", "key K"). */
  unusedSuppressions: string[]
}

/**
 * Goroutines 2-4 of every Go program are the runtime's (forcegchelper, bgsweep, bgscavenge, started before main).
 * Go 1.22's format records neither a stack nor an entry for goroutines from before the trace; without this, they made
 * a "suspect" group in every such trace (and took real leaks from before the trace into it).
 */
function isRuntimeByNumber(g: GoroutineRecord, blockStack: Stack, entry: Frame | null): boolean {
  return g.createdNs === null && g.id >= 2 && g.id <= 4 && blockStack.length === 0 && entry === null
}

const ACCEPT = /(^net\.\(\*\w+Listener\)\.Accept|\.accept$|^net\/http\.\(\*Server\)\.Serve$)/

interface Candidate {
  g: GoroutineRecord
  creationSite: Frame | null
  createdVia: Frame | null
  entry: Frame | null
  blockStack: Stack
  blockReason: string
  blockSite: Frame | null
  category: Category
  system: boolean
  timerWakeups: number
}

export function analyzeLeaks(model: TraceModel, opts: AnalysisOptions = {}): LeakAnalysis {
  const duration = model.info.durationNs
  const byTimer = timerWakeups(model)
  // Read from every wake-up's stack: only when a group needs it (a closure's send, left by its creator).
  let timeouts: Map<number, number[]> | null = null
  const stopWaiting = () => (timeouts ??= timeoutWakeups(model))
  // The `go` statements whose goroutines are stuck on a lock.
  const lockedSites = new Set<string>()
  // The wake-ups of goroutines that never end, by goroutine (indexes into model.unblocks): read on first use.
  let wakeupIndex: Map<number, number[]> | null = null
  const finalWaits = new Map<Candidate, FinalWait>()
  let liveParents: Set<number> | null = null
  let liveSites: Set<string> | null = null
  const evidence: Evidence = {
    stopWaiting, lockedSites, stuckHolders: new Map(),
    finalWait: (c) => {
      let w = finalWaits.get(c)
      if (!w) finalWaits.set(c, (w = finalWait(model, c, (wakeupIndex ??= wakeupsOf(model, new Set(alive.map((a) => a.g.id)))).get(c.g.id) ?? [])))
      return w
    },
    liveParents: () => (liveParents ??= new Set(alive.flatMap((c) => (c.g.parent === null ? [] : [c.g.parent])))),
    liveSites: () => (liveSites ??= new Set(alive.flatMap((c) => (c.creationSite ? [siteKey(c.creationSite)] : [])))),
    siteOfRow: (i) => (table.createdNs(i) === null ? '' : siteOf(table.creationStackId(i)).key),
    wakersGone: (members) => wakersGone(model, members, evidence),
  }
  const alive: Candidate[] = []
  const createdAt = new Map<string, number[]>()
  const endedAt = new Map<string, number[]>()
  const siteKey = (f: Frame | null) => (f ? `${f.func}\u0000${f.file}\u0000${f.line}` : '')
  // Creation sites by the creator's stack: a trace holds few stacks and may hold millions of goroutines.
  const sites = new Map<number, { frame: Frame | null; key: string }>()
  const siteOf = (stackId: number) => {
    let s = sites.get(stackId)
    if (!s) {
      const frame = creationFrame(model.stacks[stackId] ?? [])
      sites.set(stackId, (s = { frame, key: siteKey(frame) }))
    }
    return s
  }
  // What the analysis asks of a stack, once per stack: a trace holds few, shared by many goroutines.
  const facts = new Map<Stack, { top: Frame | null; runtime: boolean }>()
  const factsOf = (stack: Stack) => {
    let f = facts.get(stack)
    if (!f) facts.set(stack, (f = { top: topUserFrame(stack), runtime: stack.length > 0 && stack.every(isRuntimeFrame) }))
    return f
  }
  const table = model.goroutines
  // A `go` statement in a library with no user frame below it (net/http starting a connection's goroutines): the
  // user's `go` statement is that of the nearest ancestor a user frame started (the server's Serve, a client call's
  // dial goroutine), a few generations up at most.
  const ancestorSite = (i: number): { frame: Frame; key: string } | null => {
    for (let j = i, depth = 0; depth < 4; depth++) {
      const parent = table.parent(j)
      j = parent === null ? -1 : table.indexOf(parent)
      if (j < 0 || table.createdNs(j) === null) return null
      const s = siteOf(table.creationStackId(j))
      if (s.frame) return isRuntimeFrame(s.frame) ? null : { frame: s.frame, key: `${s.key}|via` }
    }
    return null
  }
  for (let i = 0; i < table.length; i++) {
    // Ended goroutines only count toward their site's churn: no record is made for them.
    const createdNs = table.createdNs(i)
    const endedNs = table.endedNs(i)
    let site = createdNs === null ? null : siteOf(table.creationStackId(i))
    let createdVia: Frame | null = null
    if (site && !site.frame) {
      const creator = model.stacks[table.creationStackId(i)] ?? []
      const ancestor = creator.length > 0 && !factsOf(creator).runtime ? ancestorSite(i) : null
      if (ancestor) {
        createdVia = creator.find((f) => !isRuntimeFrame(f)) ?? null
        site = ancestor
      }
    }
    if (site?.frame && createdNs !== null) {
      // A library's goroutines started from one user call are told apart by their entry, as their groups are.
      const k = createdVia ? viaKey(site.key, createdVia, tableEntry(table, i)) : site.key
      ;(createdAt.get(k) ?? createdAt.set(k, []).get(k)!).push(createdNs)
      if (endedNs !== null) (endedAt.get(k) ?? endedAt.set(k, []).get(k)!).push(endedNs)
    }
    if (endedNs !== null) continue
    const g = table.at(i)
    const creationSite = site?.frame ?? null
    // A goroutine that keeps waking may be between waits when the trace ends: what it keeps waiting for is its
    // last block, its reason and its stack (so that it groups the same whether the trace caught it parked or not).
    const betweenWaits = (g.finalState === 'Runnable' || g.finalState === 'Running') && g.wakeups >= 2 && g.lastBlockReason !== ''
    const blockStack = betweenWaits ? g.lastBlockStack : g.finalStack.length > 0 ? g.finalStack : g.statusStack
    const blockReason = betweenWaits ? g.lastBlockReason : g.finalReason
    // A goroutine from before the trace has no start stack: its outermost parked frame is the best entry we have.
    const entry = recordEntry(g)
    const byNumber = isRuntimeByNumber(g, blockStack, entry)
    const category: Category = byNumber ? 'system' : betweenWaits ? categorize('Waiting', blockReason, blockStack) : categorize(g.finalState, g.finalReason, blockStack)
    const block = factsOf(blockStack)
    const system =
      g.label !== '' ||
      category === 'system' ||
      (entry !== null && isRuntimeFrame(entry) && !isMainEntry(entry)) ||
      byNumber ||
      (g.createdNs !== null && creationSite === null && (g.creationStack.length === 0 || factsOf(g.creationStack).runtime)) ||
      // Only runtime frames where it stopped: the runtime's own goroutine, unless user code started it (a goroutine
      // preempted while spinning shows asyncPreempt alone).
      (block.runtime && creationSite === null && (entry === null || isRuntimeFrame(entry)))
    alive.push({
      g, creationSite, createdVia, entry, blockStack, blockReason, blockSite: block.top,
      category, system, timerWakeups: byTimer.get(g.id) ?? 0,
    })
  }

  // Group by creation site (or entry, for goroutines from before the trace), blocking site and category. Sites are
  // numbered by their key (frames are shared objects, and two frames can be one site): short group keys.
  const siteNumbers = new Map<string, number>()
  const frameSites = new Map<Frame, number>()
  const siteNumber = (f: Frame | null): number => {
    if (!f) return 0
    let n = frameSites.get(f)
    if (n === undefined) {
      const k = siteKey(f)
      n = siteNumbers.get(k)
      if (n === undefined) siteNumbers.set(k, (n = siteNumbers.size + 1))
      frameSites.set(f, n)
    }
    return n
  }
  // A lock's likely holder, stuck on something else: a goroutine stuck (on a channel, the network, a system call, not a
  // lock) inside a call to a method of the type whose lock others wait for (a setter that sends under its lock to a
  // listener that left, or reads the network under it). Then that lock is never released, and no lock-order deadlock
  // is needed to explain its waiters. Keyed by the lock's owner (see lockOwner), so that other locks are left alone.
  // A goroutine that runs a method of the type as its whole life (a pool's idle worker, whose outermost frame it is)
  // is not inside a call that took the lock: not a holder.
  const short = shortWait(duration)
  const stuck = alive.filter((c) => !c.system && waiting(c) && stillFor(c, duration) >= short)
  const owners = new Set(stuck.filter((c) => (c.category === 'mutex' || c.category === 'rwmutex') && c.blockSite).map((c) => lockOwner(c.blockSite!.func)))
  for (const c of stuck) {
    if (!HOLDER.has(c.category)) continue
    const f = c.blockStack.slice(0, -1).find((f) => owners.has(lockOwner(f.func)))
    const owner = f && lockOwner(f.func)
    if (owner && !evidence.stuckHolders.has(owner)) evidence.stuckHolders.set(owner, { id: c.g.id, func: f.func, wait: waitWords(c) })
  }
  // (Goroutines found blocked on a lock count as a path of their own, even when ones seen created do the same work: a
  // transfer(x, y) started before the trace and a transfer(y, x) after it look just like one leak split by the window.)
  for (const c of alive) {
    if ((c.category !== 'mutex' && c.category !== 'rwmutex') || c.system) continue
    lockedSites.add(c.creationSite ? siteKey(c.creationSite) : `entry:${c.entry?.func ?? '?'}`)
  }
  const groups = new Map<string, Candidate[]>()
  for (const c of alive) {
    // (A library's goroutines started from one user call, a client's readLoop and writeLoop, differ by their entry.)
    const head = c.creationSite ? `c${siteNumber(c.creationSite)}${c.createdVia ? `v${c.createdVia.func}e${c.entry?.func ?? '?'}` : ''}` : `e:${c.entry?.func ?? '?'}`
    const k = `${head}|${siteNumber(c.blockSite)}|${c.category}|${c.system}`
    ;(groups.get(k) ?? groups.set(k, []).get(k)!).push(c)
  }

  /** The test (testing.tRunner's callee on the creator's stack) that started these goroutines, if it returned. */
  const outlivedTest = (members: Candidate[]): { name: string; endedNs: number } | null => {
    const c = members[0]!
    const stack = c.g.creationStack
    const k = stack.findIndex((f) => f.func === 'testing.tRunner')
    if (k < 1 || c.g.parent === null) return null
    const parent = table.indexOf(c.g.parent)
    const endedNs = parent < 0 ? null : table.endedNs(parent)
    if (endedNs === null) return null
    return { name: testName(stack[k - 1]!.func), endedNs }
  }
  const all: LeakGroup[] = []
  for (const members of groups.values()) {
    const first = members[0]!
    const creationSite = first.creationSite
    const blockedFor = members.map((c) => stillFor(c, duration)).sort((a, b) => a - b)
    const wakeups = members.reduce((s, c) => s + c.g.wakeups, 0)
    const timer = members.reduce((s, c) => s + c.timerWakeups, 0)
    const sk = first.createdVia ? viaKey(`${siteKey(creationSite)}|via`, first.createdVia, first.entry) : siteKey(creationSite)
    const created = creationSite ? (createdAt.get(sk)?.length ?? 0) : 0
    const ended = creationSite ? (endedAt.get(sk)?.length ?? 0) : 0
    const group: LeakGroup = {
      key: '',
      verdict: 'leak',
      confidence: 0,
      reason: '',
      category: first.category,
      blockReason: first.blockReason,
      pattern: null,
      hint: null,
      count: members.length,
      created,
      ended,
      creationSite,
      createdVia: first.createdVia,
      entry: first.entry,
      blockSite: first.blockSite,
      preexisting: first.g.createdNs === null,
      sameWorkAs: null,
      blockedNs: { min: blockedFor[0]!, median: blockedFor[blockedFor.length >> 1]!, max: blockedFor[blockedFor.length - 1]! },
      blockedShare: duration > 0 ? blockedFor[blockedFor.length >> 1]! / duration : 0,
      wakeups,
      cpuShare: cpuShare(members, duration),
      goroutines: members.map((c) => c.g.id),
      stacks: { creation: first.g.creationStack, block: first.blockStack },
      liveOverTime: liveSteps(createdAt.get(sk) ?? [], endedAt.get(sk) ?? [], first.g.createdNs === null ? members.length : 0),
      provenLeaked: opts.leakedIds ? members.filter((c) => opts.leakedIds!.has(c.g.id)).length : 0,
      score: 0,
    }
    // A goroutine a test started that outlived the test (goleak's view of a leak, in a `go test -trace`).
    judge(group, members, blockedFor, timer, duration, evidence, outlivedTest(members))
    group.key = groupKey(group)
    all.push(group)
  }
  waitsOnLeaks(all)
  // Keys are made unique over every group, before any is filtered out, so that no filter changes another's key.
  disambiguateKeys(all)
  linkSameWork(all)
  const out: LeakGroup[] = []
  let suppressed = 0
  // A group found running is suppressed with the group seen created that does the same work (a `created-by` rule names
  // a go statement, which goroutines found running have none of).
  const hidden = new Set(opts.suppress ? all.filter((g) => isSuppressed(g, opts.suppress!)).map((g) => g.key) : [])
  for (const group of all) {
    if (opts.minCount && group.count < opts.minCount) continue
    if (hidden.has(group.key) || (group.preexisting && group.sameWorkAs !== null && hidden.has(group.sameWorkAs))) {
      // Counted when it would have been listed: a benign group hidden by a broad pattern is no news.
      if (group.verdict !== 'benign') suppressed++
      continue
    }
    out.push(group)
  }
  const rank: Record<Verdict, number> = { leak: 0, suspect: 1, benign: 2 }
  out.sort((a, b) => rank[a.verdict] - rank[b.verdict] || b.score - a.score || b.count - a.count)
  return { durationNs: duration, groups: out, suppressed, unusedSuppressions: opts.suppress ? unusedRules(all, opts.suppress) : [] }
}

/**
 * What a goroutine of net/http's connections is doing, by where it waits: a server connection or a client's reader
 * waiting on the network are idle keep-alive connections; a client's reader waiting in its select has handed a
 * response body to the caller and waits for it to be read or closed; a client's writer waits for the next write.
 */
function httpConnection(g: Pick<LeakGroup, 'entry' | 'category'>): 'server-idle' | 'client-idle' | 'client-body' | 'client-writer' | null {
  const fn = g.entry?.func ?? ''
  if (fn === 'net/http.(*conn).serve') return g.category === 'network' ? 'server-idle' : null
  if (fn === 'net/http.(*persistConn).writeLoop') return g.category === 'select' ? 'client-writer' : null
  if (fn === 'net/http.(*persistConn).readLoop') return g.category === 'network' ? 'client-idle' : g.category === 'select' ? 'client-body' : null
  return null
}

/**
 * What a goroutine of gRPC's own is, when it lives as long as a ClientConn or a transport connection (by where it
 * waits and what it runs): a callback serializer (one per ClientConn and per resolver or balancer wrapper), a
 * connection's writer (loopy, waiting in its control buffer), its reader (waiting for frames) or a server
 * connection's keepalive. Null for anything else, such as a client stream's goroutine or a handler.
 */
function grpcLifetime(g: Pick<LeakGroup, 'entry' | 'category' | 'stacks'>): string | null {
  const GRPC = 'google.golang.org/grpc'
  const entry = g.entry?.func ?? ''
  const inStack = (fn: string) => g.stacks.block.some((f) => f.func === fn)
  if (!entry.startsWith(GRPC) && !g.stacks.block.some((f) => f.func.startsWith(GRPC))) return null
  // (A receive in grpc 1.85, a select in 1.72.)
  if (entry === `${GRPC}/internal/grpcsync.(*CallbackSerializer).run` && (g.category === 'chan-receive' || g.category === 'select')) return 'a callback serializer of a ClientConn (or of its resolver or balancer)'
  if (inStack(`${GRPC}/internal/transport.(*controlBuffer).get`) && g.category === 'select') return "a connection's writer (loopy) waiting for frames to send"
  if (inStack(`${GRPC}/internal/transport.(*http2Server).keepalive`) && g.category === 'select') return "a server connection's keepalive"
  if (g.category === 'network' && (entry === `${GRPC}/internal/transport.(*http2Client).reader` || entry.startsWith(`${GRPC}.(*Server).handleRawConn`))) return "a connection's reader waiting for the peer's next frame"
  return null
}

/** The share of the members' time in the trace that they spent running. */
function cpuShare(members: Candidate[], duration: number): number {
  let running = 0
  let alive = 0
  for (const c of members) {
    running += c.g.runningNs
    alive += duration - (c.g.createdNs ?? 0)
  }
  return alive > 0 ? Math.min(1, running / alive) : 0
}

/** The churn key of a library's goroutines started from one user call: the call's site, the library function, the entry. */
function viaKey(site: string, via: Frame, entry: Frame | null): string {
  return `${site}|${via.func}|${entry?.func ?? '?'}`
}

/**
 * Blocked for less than this at the end of the trace is not yet evidence of a leak (waiters on a lock held across
 * trace.Stop, requests in flight): 50 ms, or a fifth of a shorter trace.
 */
function shortWait(duration: number): number {
  return Math.min(50e6, 0.2 * duration)
}

/**
 * A Wait that leaks beside leaks started by the same function (an errgroup's Wait behind the senders it started, a
 * closer behind the fan-out it closes for) is most likely waiting for them: they are the fix, not a missing Done.
 * Decided once every group has its verdict, so that idle pools and connections judged benign do not count.
 */
function waitsOnLeaks(groups: LeakGroup[]): void {
  for (const g of groups) {
    if (g.pattern !== 'waitgroup-misuse' || !g.creationSite) continue
    const fn = g.creationSite.func
    if (!groups.some((o) => o !== g && o.verdict === 'leak' && o.category !== 'waitgroup' && o.creationSite?.func === fn)) continue
    g.pattern = 'wait-on-stuck'
    g.hint = PATTERNS['wait-on-stuck'].hint
  }
}

/**
 * Links each group of goroutines found running to the one group seen created that does the same work, both ways.
 * Inside one trace the functions are compared as they are (another closure is another `go` statement) and the block
 * site by its line too; sameWork's normalised names are for matching across builds.
 */
export function linkSameWork(groups: LeakGroup[]): void {
  const same = (a: LeakGroup, b: LeakGroup) =>
    sameWork(a, b) && a.entry!.func === b.entry!.func && a.blockSite!.func === b.blockSite!.func && a.blockSite!.line === b.blockSite!.line
  for (const found of groups) {
    if (!found.preexisting) continue
    const created = groups.filter((c) => same(found, c))
    if (created.length !== 1 || groups.filter((o) => same(o, created[0]!)).length !== 1) continue
    found.sameWorkAs = created[0]!.key
    created[0]!.sameWorkAs = found.key
  }
}

/** Whether a goroutine still waits on its last block: not woken since. */
function waiting(c: Candidate): boolean {
  return (c.g.lastWakeupNs ?? -1) < (c.g.lastBlockNs ?? c.g.lastTransitionNs)
}

/** How long a goroutine has been in its final state, at the trace's end. */
function stillFor(c: Candidate, duration: number): number {
  return duration - (c.g.lastBlockNs ?? c.g.lastTransitionNs)
}

/** A goroutine's mean time between wake-ups before its last block. */
function meanGap(c: Candidate): number {
  return ((c.g.lastBlockNs ?? 0) - (c.g.createdNs ?? 0)) / Math.max(1, c.g.wakeups)
}

/**
 * Decides verdict, confidence, reason sentence, pattern and hint from the group's evidence. `blockedFor`: how long each
 * member has been in its final state (stillFor), ascending.
 */
function judge(g: LeakGroup, members: Candidate[], blockedFor: number[], timerWakeups: number, duration: number, evidence: Evidence, test: { name: string; endedNs: number } | null): void {
  const n = g.count
  const where = g.preexisting ? 'created before the trace started' : `created at ${createdAt(g)}`
  const stuckFor = fmtNs(g.blockedNs.min)
  const perGoroutineWakeups = g.wakeups / n
  const short = shortWait(duration)
  const neverWoke = members.every(waiting)
  // Silent at its last wait for far longer than it ever went between wake-ups (a resolver's workers after it left).
  // (Not a network wait: a connection that was used and now idles waits as long as its peer is quiet.)
  const stopped = g.category !== 'network' && members.filter((c) => {
    const still = stillFor(c, duration)
    return waiting(c) && c.g.wakeups > 0 && still >= short && still >= 4 * meanGap(c)
  }).length * 2 > n
  const acceptLoop = g.stacks.block.some((f) => ACCEPT.test(f.func)) || (g.entry !== null && ACCEPT.test(g.entry.func))
  const httpConn = httpConnection(g)
  const grpc = grpcLifetime(g)
  // Workers woken often by other goroutines, now idle: benign while whoever woke them at this wait could still do so.
  let wakers: Wakers | null | undefined
  const gone = () => (wakers === undefined ? (wakers = stopped ? evidence.wakersGone(members) : null) : wakers)
  const servedWork = () => perGoroutineWakeups >= 20 && timerWakeups < g.wakeups / 2 && gone() === null
  // A loop that timers keep waking where it waits (a ticker's select, a retry's sleep). Timers that woke it elsewhere
  // (the sleeps of a reader that now queues on a lock nobody releases) do not make its last wait a loop's.
  const timersHere = () => members.reduce((s, c) => s + evidence.finalWait(c).timers, 0)
  const keepsWaking = (g.category === 'sleep' && perGoroutineWakeups >= 2) || (timerWakeups >= 2 * n && (!neverWoke || timersHere() >= n))
  const setPattern = (id: PatternId) => {
    g.pattern = id
    g.hint = PATTERNS[id].hint
  }

  if (members[0]!.system) {
    g.verdict = 'benign'
    g.confidence = 0.95
    g.reason = g.entry && isRuntimeFrame(g.entry)
      ? `runtime or tracer goroutine (${g.entry.func})`
      : members.every((c) => isRuntimeByNumber(c.g, c.blockStack, c.entry))
        ? 'runtime goroutines by their number: the runtime starts goroutines 2-4 (forcegc, bgsweep, bgscavenge) before main, and this trace records nothing else of them'
        : 'runtime goroutine'
  } else if (acceptLoop && (g.category === 'network' || g.category === 'running')) {
    g.verdict = 'benign'
    g.confidence = 0.8
    g.reason = 'a server accept loop waiting for connections'
  } else if (httpConn === 'server-idle' || httpConn === 'client-idle' || httpConn === 'client-writer') {
    // net/http's own connection goroutines: they live as long as their connection. An idle keep-alive connection
    // waits for its next request or response; a client connection's writer waits for the next write.
    g.verdict = 'benign'
    g.confidence = 0.7
    g.reason = httpConn === 'server-idle'
      ? `${n > 1 ? `${n} server connections` : 'a server connection'} waiting for the client's next request (keep-alive; Server.IdleTimeout closes ${n > 1 ? 'them' : 'it'})`
      : httpConn === 'client-idle'
        ? `${n > 1 ? `${n} idle keep-alive connections` : 'an idle keep-alive connection'} in an http.Client's pool, waiting for the server`
        : `the writer of ${n > 1 ? `${n} http.Client connections` : 'an http.Client connection'}: it ends with its connection (its reader says whether that is a leak)`
  } else if (grpc && !(n >= 10 && g.created >= n && !g.preexisting)) {
    // gRPC's goroutines that live as long as a ClientConn or a connection (tens of them, all made in the window and
    // none gone, are left to the checks below: a ClientConn per call that is never closed).
    g.verdict = 'benign'
    g.confidence = 0.7
    g.reason = `${n > 1 ? `${n} of gRPC's goroutines` : "one of gRPC's goroutines"}: ${grpc}; ${n > 1 ? 'they end with their' : 'it ends with its'} ClientConn or connection (many, growing from trace to trace, are ones left open)`
  } else if (g.entry && /^(os\/signal\.|testing\.)/.test(g.entry.func)) {
    g.verdict = 'benign'
    g.confidence = 0.8
    g.reason = 'signal handling or test harness goroutine'
  } else if (g.stacks.creation[0]?.func === 'testing.(*T).Run') {
    // t.Run starts each test in a goroutine of its own (testing.tRunner): this one was still running its test.
    g.verdict = 'benign'
    g.confidence = 0.8
    g.reason = `the testing package's goroutine running ${g.entry ? testName(g.entry.func) : 'a test'}, still running when the trace ended`
  } else if ((g.category === 'chan-receive' || g.category === 'select') && servedWork()) {
    g.verdict = 'benign'
    g.confidence = 0.6
    g.reason = n > 1
      ? `${n} long-lived workers that served work (${Math.round(perGoroutineWakeups)} wake-ups each) and now wait idle`
      : `a long-lived worker that served work (${Math.round(perGoroutineWakeups)} wake-ups) and now waits idle`
  } else if (members.length === 1 && g.preexisting && (members[0]!.g.id === 1 || g.entry?.func === 'runtime.main')) {
    g.verdict = 'benign'
    g.confidence = 0.9
    g.reason = 'the main goroutine: it lives as long as the program'
  } else if (g.preexisting && g.stacks.block.length === 0 && g.blockReason === '' && g.category !== 'running' && g.category !== 'syscall') {
    g.verdict = 'suspect'
    g.confidence = 0.2
    g.reason = `${n} goroutine${n > 1 ? 's' : ''} created before the trace started and parked the whole time; the trace recorded no stack for ${n > 1 ? 'them, so what they wait' : 'it, so what it waits'} for is unknown`
  } else if (g.category === 'running' && g.cpuShare >= 0.5) {
    g.verdict = 'suspect'
    g.confidence = 0.6
    g.reason = `${n} goroutine${n > 1 ? 's' : ''} ${where} on a CPU ${Math.round(g.cpuShare * 100)}% of the time since ${g.preexisting ? 'the trace began' : n > 1 ? 'they started' : 'it started'} and never ${n > 1 ? 'block' : 'blocks'}: a loop that spins without an exit`
  } else if (g.category === 'running' || g.category === 'syscall') {
    g.verdict = 'suspect'
    g.confidence = 0.3
    g.reason = `${n} goroutine${n > 1 ? 's' : ''} ${where} still ${g.category === 'syscall' ? 'in a system call' : 'running or runnable'} when the trace ended`
  } else if (keepsWaking) {
    g.verdict = 'suspect'
    g.confidence = 0.5
    g.reason = `${n} goroutine${n > 1 ? 's' : ''} ${where} never ${n > 1 ? 'end but keep' : 'ends but keeps'} waking up (${Math.round(perGoroutineWakeups)} wake-up${Math.round(perGoroutineWakeups) === 1 ? '' : 's'}${n > 1 ? ' each' : ''}): a loop with no exit`
    if (g.category === 'sleep') setPattern('endless-retry')
    // A receive woken by timers is a range over a ticker's channel, which has no exit. A select may well have a stop
    // case that nobody used in the window: no pattern, since its fix would be to add what may be there already.
    else if (g.category === 'chan-receive') setPattern('ticker-never-stopped')
  } else if (g.category === 'sleep') {
    g.verdict = 'suspect'
    g.confidence = g.blockedNs.median < short ? 0.2 : 0.4
    g.reason = `${n} goroutine${n > 1 ? 's' : ''} ${where} asleep (time.Sleep) for the last ${stuckFor} of the trace, still asleep at its end; ${n > 1 ? 'they will wake, but never end' : 'it will wake, but never ends'} in the window`
  } else if (neverWoke && g.blockedNs.median < short) {
    g.verdict = 'suspect'
    g.confidence = 0.3
    g.reason = `${n} goroutine${n > 1 ? 's' : ''} ${where} blocked (${waitWords(g)}) only for the last ${stuckFor} of the trace: too short to tell a leak from a wait`
  } else if (neverWoke) {
    // Most have been stuck long enough to count; a few that only just blocked (a live worker mid-hand-off among
    // abandoned ones) do not hide the rest, and are said apart.
    const recent = blockedFor.filter((t) => t < short)
    const longMin = blockedFor[recent.length]!
    g.verdict = 'leak'
    const share = duration > 0 ? g.blockedNs.median / duration : 0
    g.confidence = Math.min(0.99, 0.5 + 0.3 * Math.min(1, share * 2) + 0.05 * Math.min(4, n - recent.length))
    g.reason = recent.length === 0
      ? `${n} goroutine${n > 1 ? 's' : ''} ${where} blocked (${waitWords(g)}) with no wake-up for the rest of the trace (at least ${stuckFor})`
      : `${n} goroutines ${where} blocked (${waitWords(g)}) with no wake-up for the rest of the trace: ${n - recent.length} for at least ${fmtNs(longMin)}, ${recent.length === 1 ? `one only for the last ${fmtNs(recent[0]!)}` : `${recent.length} only for the last ${fmtNs(recent[0]!)} to ${fmtNs(recent[recent.length - 1]!)}`}`
    // Blocked for less than 50 ms at most (a trace that short: a flight-recorder snapshot of a few ms): a slow call
    // looks the same, whatever share of the trace it is.
    if (g.blockedNs.max < 50e6) {
      g.confidence = Math.min(g.confidence, 0.6)
      g.reason += `; ${n > 1 ? 'none' : 'it'} for more than ${fmtNs(g.blockedNs.max)} in a trace ${fmtNs(duration)} long: a slow wait looks the same`
    }
    // A loop that timers kept waking before it stopped: say why those wake-ups do not count.
    if (timerWakeups >= 2 * n) g.reason += `; timers had woken ${n > 1 ? 'them' : 'it'} ${timerWakeups} times before, elsewhere: not a loop waiting here for its next tick`
    const w = gone()
    if (w) {
      // A trace cannot tell a goroutine that exited on an error from one whose job was done and whose successor has
      // yet to come: less sure than a wait nobody ever answered.
      g.confidence = Math.min(g.confidence, 0.7)
      g.reason += w.ids.length === 1
        ? `; the only goroutine that ever woke ${n > 1 ? 'them' : 'it'} at this wait, G${w.ids[0]}, ended at ${fmtNs(w.lastEndNs)}`
        : `; the goroutines that ever woke ${n > 1 ? 'them' : 'it'} at this wait (${w.ids.map((id) => `G${id}`).join(', ')}) have all ended, the last at ${fmtNs(w.lastEndNs)}`
    } else {
      // Woken at this same wait before by goroutines that may still send: a channel nobody will send on or close, or
      // an idle pool between bursts of work. A trace cannot tell them apart; the fewer wake-ups, the likelier a leak.
      // (Receives only: earlier wake-ups at a lock are contention, at a send a receiver's, which says nothing of this.)
      const here = g.category === 'chan-receive' || g.category === 'select' ? members.reduce((s, c) => s + evidence.finalWait(c).woken, 0) : 0
      if (here >= n) {
        g.confidence = Math.min(g.confidence, 0.6)
        g.reason += `; woken at this wait ${here} time${here === 1 ? '' : 's'} before by other goroutines: a channel nobody will send on or close again, unless more work is coming (an idle pool looks the same)`
      }
    }
  } else {
    g.verdict = 'suspect'
    g.confidence = 0.35
    g.reason = `${n} goroutine${n > 1 ? 's' : ''} ${where} never ${n > 1 ? 'end; they were woken since they' : 'ends; it was woken since it'} last blocked`
  }
  if (test) {
    const said = `it outlived ${test.name}, which returned at ${fmtNs(test.endedNs)}`
    if (g.verdict === 'benign') {
      g.verdict = 'suspect'
      g.confidence = 0.5
      g.reason = `${g.reason}; but ${said} (goleak would report it)`
    } else if (g.verdict === 'suspect' && duration - test.endedNs >= short && (keepsWaking || g.blockedNs.median >= short) && g.category !== 'sleep') {
      // Still there well after its test returned, waiting or looping (not just finishing up, nor asleep): goleak,
      // which retries for a while and then fails the test, would report it.
      g.verdict = 'leak'
      g.confidence = Math.max(g.confidence, 0.7)
      g.reason = `${g.reason}; ${said}, ${fmtNs(duration - test.endedNs)} before the run ended (goleak would fail the test)`
    } else g.reason = `${g.reason}; ${said}`
  }
  if (g.provenLeaked > 0) {
    g.verdict = 'leak'
    g.confidence = 1
    g.reason += `; proven leaked by the runtime's goroutineleak profile (${g.provenLeaked} of ${n})`
  }
  if (g.verdict === 'leak' && g.pattern === null) {
    const p = leakPattern(g, members, timerWakeups, evidence, gone() !== null)
    if (p) setPattern(p)
    const holder = lockHolder(g, evidence)
    if (p === 'lock-never-released' && holder) g.reason += `; the lock's likely holder, G${holder.id}, is itself stuck (${holder.wait}) in ${holder.func}`
  }
  const growth = g.created > 0 ? (g.created - g.ended) / g.created : 1
  g.score = g.verdict === 'leak' ? g.count * (0.5 + g.blockedShare) * (0.5 + growth) * g.confidence : 0
}

/** What a group waits for, in words: Go's reason, unless it is missing or only "sync" (then the category says more). */
function waitWords(g: { blockReason: string; category: Category }): string {
  return g.blockReason && g.blockReason !== 'sync' ? g.blockReason : g.category.replace('-', ' ')
}

/** What naming a pattern may ask of the whole trace. */
interface Evidence {
  /** Wake-ups that ended a wait on a timeout, their times by goroutine (read on first use). */
  stopWaiting: () => Map<number, number[]>
  /** The creation sites of goroutines stuck on a lock. */
  lockedSites: Set<string>
  /** By lock owner (lockOwner): a goroutine stuck on something other than a lock inside the owner's code, its likely holder. */
  stuckHolders: Map<string, { id: number; func: string; wait: string }>
  /** Who woke a goroutine that never ends out of its earlier waits where it is stuck (computed on first use). */
  finalWait: (c: Candidate) => FinalWait
  /** Goroutines that started a goroutine still alive at the end. */
  liveParents: () => Set<number>
  /** The creation sites (siteKey) of the goroutines still alive at the end. */
  liveSites: () => Set<string>
  /** The creation site (siteKey) of goroutine row i, '' if none. */
  siteOfRow: (i: number) => string
  /** See wakersGone. */
  wakersGone: (members: Candidate[]) => Wakers | null
}

/** Who used to wake a group at the wait it is stuck in. */
interface Wakers {
  ids: number[]
  lastEndNs: number
}

/** The pattern the group's evidence shows, or null: a pattern is named only when the trace shows what makes it one. */
function leakPattern(g: LeakGroup, members: Candidate[], timerWakeups: number, evidence: Evidence, wakersGone: boolean): PatternId | null {
  const block = g.stacks.block
  const creatorFn = g.creationSite?.func ?? ''
  switch (g.category) {
    // (wait-on-stuck instead, when leaks started by the same function are what it waits for: see waitsOnLeaks.)
    case 'waitgroup': return 'waitgroup-misuse'
    case 'cond': return 'cond-never-signalled'
    case 'mutex': case 'rwmutex':
      // Goroutines from two `go` statements stuck on locks: two paths each holding what the other waits for, as far as
      // a trace can tell (it does not say who holds a lock). One path alone shows only a lock nobody releases.
      return evidence.lockedSites.size >= 2 && !lockHolder(g, evidence) ? 'lock-order-deadlock' : 'lock-never-released'
    case 'forever': return 'select-no-way-out'
    case 'select':
      if (httpConnection(g) === 'client-body') return 'response-body-not-closed'
      if (block.some((f) => f.func.startsWith('golang.org/x/sync/semaphore.(*Weighted).Acquire'))) return 'semaphore-never-released'
      // A gRPC client stream's goroutine waiting for its context, or a server handler stuck in Send on flow control.
      if (block.some((f) => f.func.startsWith('google.golang.org/grpc.newClientStream') || f.func === 'google.golang.org/grpc/internal/transport.(*writeQuota).get')) return 'grpc-stream-abandoned'
      if (wakersGone) return 'other-end-exited'
      // Parked in the context package: the goroutine context.WithCancel starts for a parent of another type, waiting
      // for either to be done; its context was never cancelled.
      if (block.some((f) => f.func.startsWith('context.'))) return 'context-never-cancelled'
      return 'select-no-way-out'
    case 'chan-send': {
      if (wakersGone) return 'other-end-exited'
      // A closure of its creator sending a result (itself, or through a helper it calls), and the creator woken by a
      // timeout (time.After, or a context's deadline or cancel) after starting it and before it came to send: the
      // creator gave up waiting. Without that, an abandoned result is all the trace shows (a creator that left for
      // another reason: a WaitGroup whose Add came too late, an error).
      const gaveUp = () => members.some((c) => c.g.parent !== null && c.g.createdNs !== null && c.g.lastBlockNs !== null && anyBetween(evidence.stopWaiting().get(c.g.parent), c.g.createdNs, c.g.lastBlockNs))
      if (creatorFn !== '' && block.some((f) => f.func.startsWith(creatorFn + '.func')) && gaveUp()) return 'timeout-leak'
      // Siblings from the same bursts, most still waiting: one receive per burst took one answer, the rest wait. (Where
      // most ended, some answers were skipped: no sign of a race for one receive.)
      const parents = new Set(members.map((c) => c.g.parent))
      if (g.ended > 0 && parents.size <= 2 && g.created === g.ended + g.count && g.count >= g.ended) return 'n-senders-one-receiver'
      if (block.some((f) => f.func.startsWith('sync.(*WaitGroup)'))) return 'waitgroup-misuse'
      return null
    }
    case 'chan-receive':
      if (block.some((f) => f.func.startsWith('context.'))) return 'context-never-cancelled'
      if (wakersGone) return 'other-end-exited'
      // Received from other goroutines before (not woken by timers: a sleep between receives), and waits for more.
      if (g.wakeups - timerWakeups >= g.count) return 'range-unclosed-channel'
      return null
    default: return null
  }
}

/** What a lock's holder may be stuck on while it holds the lock: anything but another lock. */
const HOLDER = new Set<Category>(['chan-send', 'chan-receive', 'select', 'cond', 'forever', 'network', 'syscall', 'sleep', 'waitgroup'])

/**
 * Whose lock a Lock call waits for, by the function that calls it: its receiver type (`main.(*store).get` and
 * `main.(*store).set` lock the same store's mutex, as far as a trace can tell), else the function itself.
 */
function lockOwner(fn: string): string {
  const m = /^(.*\.\(\*?[^)]+\))\./.exec(fn)
  return m ? m[1]! : fn
}

/** The likely holder of the lock a mutex group waits for, when it is stuck on something else. */
function lockHolder(g: LeakGroup, evidence: Evidence): { id: number; func: string; wait: string } | null {
  return g.blockSite ? (evidence.stuckHolders.get(lockOwner(g.blockSite.func)) ?? null) : null
}

/** The wake-ups of the given goroutines, by goroutine: indexes into model.unblocks, in time order. */
function wakeupsOf(model: TraceModel, ids: Set<number>): Map<number, number[]> {
  const out = new Map<number, number[]>()
  const u = model.unblocks
  for (let i = 0; i < u.length; i++) {
    const g = u.goroutine(i)
    if (!ids.has(g)) continue
    const list = out.get(g)
    if (list) list.push(i)
    else out.set(g, [i])
  }
  return out
}

/** Who woke a goroutine out of its earlier waits at the stack it is now stuck with. */
interface FinalWait {
  /** The goroutines that did (IDs), and how many times in all. */
  by: Set<number>
  woken: number
  /** Wake-ups there by no goroutine: a timer's, the netpoller's. */
  timers: number
}

/** FinalWait of a goroutine: its earlier waiting spans at its final block stack, and the wake-ups that ended them. */
function finalWait(model: TraceModel, c: Candidate, wakeups: number[]): FinalWait {
  const out: FinalWait = { by: new Set(), woken: 0, timers: 0 }
  if (c.blockStack.length === 0) return out
  const table = model.goroutines
  const spans = model.goroutineSpans
  const u = model.unblocks
  // The ends of its earlier waits at this stack (its last span is the wait it is stuck in).
  const ends = new Set<number>()
  const [a, b] = spans.spansOf(table.indexOf(c.g.id))
  for (let i = a; i < b - 1; i++) if (spans.state(i) === STATE.Waiting && model.stacks[spans.stack(i)] === c.blockStack) ends.add(spans.end(i))
  for (const i of wakeups) {
    if (!ends.has(u.time(i))) continue
    const w = u.by(i)
    if (w < 0) out.timers++
    else {
      out.by.add(w)
      out.woken++
    }
  }
  return out
}

/**
 * The goroutines that woke the members out of earlier waits at the stack they are now stuck with, when nobody is left
 * to: at most two of them (a resolver, a producer; not a stream of request handlers, where the next may still come),
 * all ended, none of them replaced (a live goroutine from the same `go` statement: a restarted broker) or handing over
 * (a live goroutine it started), and no wake-up there by a timer or the runtime.
 */
function wakersGone(model: TraceModel, members: Candidate[], evidence: Evidence): Wakers | null {
  const table = model.goroutines
  const by = new Set<number>()
  for (const c of members) {
    const w = evidence.finalWait(c)
    if (w.timers > 0) return null
    for (const id of w.by) by.add(id)
    if (by.size > 2) return null
  }
  if (by.size === 0) return null
  let lastEndNs = 0
  for (const id of by) {
    const row = table.indexOf(id)
    const end = row < 0 ? null : table.endedNs(row)
    if (end === null || evidence.liveParents().has(id) || evidence.liveSites().has(evidence.siteOfRow(row))) return null
    lastEndNs = Math.max(lastEndNs, end)
  }
  return { ids: [...by].sort((x, y) => x - y), lastEndNs }
}

/** Wake-ups done by no goroutine (timers, the netpoller): the signature of tickers and sleeps. */
function timerWakeups(model: TraceModel): Map<number, number> {
  const out = new Map<number, number>()
  const u = model.unblocks
  for (let i = 0; i < u.length; i++) {
    if (u.by(i) >= 0) continue
    const g = u.goroutine(i)
    out.set(g, (out.get(g) ?? 0) + 1)
  }
  return out
}

/**
 * Wake-ups that end a wait on a timeout, their times by goroutine: by a timer (no goroutine), or by a context being
 * cancelled (a WithTimeout deadline runs its cancel in a time.AfterFunc goroutine; the wake-up's stack shows it).
 */
function timeoutWakeups(model: TraceModel): Map<number, number[]> {
  const out = new Map<number, number[]>()
  const u = model.unblocks
  const cancels = new Map<number, boolean>()
  const isCancel = (stack: number) => {
    let c = cancels.get(stack)
    if (c === undefined) cancels.set(stack, (c = (model.stacks[stack] ?? []).some((f) => f.func.startsWith('context.') && f.func.endsWith('.cancel'))))
    return c
  }
  for (let i = 0; i < u.length; i++) {
    if (u.by(i) >= 0 && !isCancel(u.stack(i))) continue
    const g = u.goroutine(i)
    const times = out.get(g)
    if (times) times.push(u.time(i))
    else out.set(g, [u.time(i)])
  }
  return out
}

/** Whether any of these times (ascending) lies in [from, to]. */
function anyBetween(times: number[] | undefined, from: number, to: number): boolean {
  if (!times) return false
  let lo = 0
  let hi = times.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (times[mid]! < from) lo = mid + 1
    else hi = mid
  }
  return lo < times.length && times[lo]! <= to
}

/** Live goroutines from one site over time, as steps [ns, count]. */
function liveSteps(created: number[], ended: number[], base: number): [number, number][] {
  const ev: [number, number][] = [...created.map((t): [number, number] => [t, 1]), ...ended.map((t): [number, number] => [t, -1])]
  ev.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const out: [number, number][] = [[0, base]]
  let n = base
  for (const [t, d] of ev) {
    n += d
    if (out[out.length - 1]![0] === t) out[out.length - 1]![1] = n
    else out.push([t, n])
  }
  return out
}

/**
 * A test's name from its function: `pkg.TestX` is TestX; a subtest's function is a closure of its test
 * (`pkg.TestX.func1.3`: t.Run's name is not in the trace), "a subtest of TestX". (Package paths may hold dots:
 * `gopkg.in/yaml.v3.TestDecode`.)
 */
export function testName(fn: string): string {
  const m = /(?:^|[./])((?:Test|Benchmark|Fuzz|Example)\w*)((?:\.func\d+(?:\.\d+)*)?)$/.exec(fn)
  if (!m) return fn.slice(fn.lastIndexOf('/') + 1)
  return m[2] ? `a subtest of ${m[1]}` : m[1]!
}

/** How much of a running group's time was on a CPU, in words. */
export function onCpu(g: Pick<LeakGroup, 'cpuShare' | 'preexisting'>): string {
  return `${Math.round(g.cpuShare * 100)}% of the time since ${g.preexisting ? 'the trace began' : 'created'}`
}

/**
 * Where a group's goroutines were created, in words: the user's call, and the library function whose `go` statement
 * it was when that is not the user's own (`main.main (main.go:127) via google.golang.org/grpc.newCCBalancerWrapper`).
 */
export function createdAt(g: Pick<LeakGroup, 'creationSite' | 'createdVia'> & { stacks?: { creation: Stack } }): string {
  const leaf = g.stacks?.creation[0]
  const via = g.createdVia ?? (leaf && g.creationSite && !isUserFrame(leaf) && !isRuntimeFrame(leaf) ? leaf : null)
  return via ? `${site(g.creationSite)} via ${via.func}` : site(g.creationSite)
}

/**
 * A group's link to the one doing the same work from the other side of the trace's start (sameWorkAs), in words; null
 * when it has none, or that group is not among `shown` (filtered out).
 */
export function sameWorkNote(g: Pick<LeakGroup, 'sameWorkAs' | 'preexisting' | 'count'>, shown: readonly LeakGroup[]): string | null {
  const other = g.sameWorkAs === null ? undefined : shown.find((o) => o.key === g.sameWorkAs)
  if (!other) return null
  const all = g.count + other.count
  return g.preexisting
    ? `as the ${other.count} created at ${createdAt(other)} (key ${other.key}): the same function, blocked at the same place, so most likely the same leak, started before the trace began; ${all} in all`
    : `as ${other.count} more found blocked when the trace began (key ${other.key}): the same function, blocked at the same place, so most likely the same leak, started earlier; ${all} in all`
}

export function site(f: Frame | null): string {
  return f ? `${f.func} (${f.file.split('/').slice(-2).join('/')}:${f.line})` : 'unknown'
}

export function fmtNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`
  return `${Math.round(ns)} ns`
}

/**
 * How often a group's goroutines were woken before their last block, in words: in all, and on average when there are
 * several ("no wake-up for the rest of the trace" says what came after).
 */
export function woken(wakeups: number, goroutines = 1): string {
  if (wakeups === 0) return 'never woken'
  const times = (n: number) => `${n} time${n === 1 ? '' : 's'}`
  const average = wakeups / goroutines
  return goroutines > 1 ? `woken ${times(wakeups)} in all (${average < 10 ? average.toFixed(1) : Math.round(average)} on average) before that` : `woken ${times(wakeups)} before that`
}

/**
 * Where a group blocks, to show: its top user frame, else the innermost frame outside the runtime (a library's, such
 * as the context package's goroutine), else the runtime's own below its parking functions, else null. The group's key
 * and grouping keep the user frame alone.
 */
export function blockShown(g: Pick<LeakGroup, 'blockSite' | 'stacks' | 'category' | 'entry'>): Frame | null {
  const stack = g.stacks.block
  if (g.blockSite) return g.blockSite
  // A user goroutine stopped on the CPU with only runtime frames (asyncPreempt) is running its entry function.
  if (g.category === 'running' && g.entry && isUserFrame(g.entry)) return g.entry
  // A runtime goroutine's stack is the runtime's only: the function that parked it (runtime.forcegchelper, bgsweep).
  return stack.find((f) => !isRuntimeFrame(f)) ?? stack.find((f) => !PARKING.test(f.func)) ?? null
}

/** The runtime's parking and blocking primitives, on top of its parked stacks: they do not say who waits. */
const PARKING = /^runtime\.(gopark|goparkunlock|park_m|mcall|chanrecv\d?|chansend\d?|selectgo|block|semacquire\w*|notetsleepg)$/
