// Flight-recorder snapshots (traces/programs-flight/flight-recorder: a service leaking a goroutine on every fourth
// request, watched by Go 1.25+'s runtime/trace.FlightRecorder, which writes its last moments twice). A snapshot holds
// every goroutine alive at its window's start, found blocked without a creation event: the leak is reported whole,
// as the goroutines its window saw created plus the ones it found, each group naming the other (same work).
import { createReadStream, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { groupKey } from '../../../src-shared/analysis/key'
import { analyzeLeaks, linkSameWork, sameWorkNote, type LeakGroup } from '../../../src-shared/analysis/leaks'
import { parseIgnoreFile } from '../../../src-shared/analysis/suppress'
import { backwards, compareGroups, sameProcess, statusText } from '../../../src-shared/compare/match'
import type { TraceInfo } from '../../../src-shared/model/model'
import { loadModel } from '../../../src-shared/model/load'
import { renderReport } from '../../../src-shared/report/report'
import { goParsed, goroutineFates, parseEvents, referenceGo } from '../corpus/go-parsed'

const dir = join(import.meta.dirname, '../../../traces/flight-recorder')
const snapshots = readdirSync(dir).filter((f) => f.endsWith('.trace')).sort()
const toolchains = [...new Set(snapshots.map((f) => f.match(/\.(go1\d+)\.trace$/)![1]!))]
const go = referenceGo()

async function analysed(file: string, folder = dir): Promise<{ groups: LeakGroup[]; ns: number; info: TraceInfo; name: string }> {
  const m = await loadModel(createReadStream(join(folder, file)) as AsyncIterable<Uint8Array>)
  return { groups: analyzeLeaks(m).groups, ns: m.info.durationNs, info: m.info, name: file }
}
const handleLeaks = (groups: LeakGroup[]) => groups.filter((g) => g.entry?.func === 'main.handle.func1')
/** Groups edited by a test, linked again as the analysis would link them. */
function relinked(groups: LeakGroup[]): LeakGroup[] {
  const copies = groups.map((g) => ({ ...g, sameWorkAs: null }))
  linkSameWork(copies)
  return copies
}

/** What Go's own parser says: the workers alive at the snapshot's end, blocked on their send. */
async function leakedByGo(file: string): Promise<{ found: number; created: number }> {
  const fates = goroutineFates(parseEvents((await goParsed(join(dir, file))).stdout))
  let found = 0
  let created = 0
  const has = (stack: { func: string }[], func: string) => stack.some((fr) => fr.func === func)
  for (const f of fates.values()) {
    if (f.ended || f.state !== 'Waiting') continue
    // Seen created: its start stack, and the reason it blocked with. Found: the stack Go recorded with its status.
    if (f.creation && has(f.start, 'main.handle.func1') && f.lastBlockReason === 'chan send') created++
    else if (!f.creation && has(f.statusStack, 'main.handle.func1') && has(f.statusStack, 'runtime.chansend1')) found++
  }
  return { found, created }
}

describe('flight-recorder snapshots', () => {
  it('has an early, a late and a tiny snapshot from each toolchain that has the flight recorder (Go 1.25+)', () => {
    expect(toolchains).toEqual(expect.arrayContaining(['go125', 'go126']))
    for (const t of toolchains) expect(snapshots).toEqual(expect.arrayContaining(['early', 'late', 'tiny'].map((w) => `flight-recorder.${w}.${t}.trace`)))
  })

  it.each(toolchains)('is less sure of a leak in a snapshot of a few ms (%s): a slow wait looks the same', async (t) => {
    const tiny = await analysed(`flight-recorder.tiny.${t}.trace`)
    expect(tiny.ns).toBeLessThan(50e6)
    const groups = handleLeaks(tiny.groups)
    expect(groups.map((g) => [g.verdict, g.confidence])).toEqual([['leak', 0.6], ['leak', 0.6]])
    for (const g of groups) expect(g.reason).toMatch(/ long: a slow wait looks the same$/)
    // The late snapshot's window is longer than 50 ms, and its found goroutines were blocked through all of it.
    expect(handleLeaks((await analysed(`flight-recorder.late.${t}.trace`)).groups).find((g) => g.preexisting)!.confidence).toBeGreaterThan(0.9)
  })

  describe.skipIf(!go.ok)('against Go\'s parser', () => {
    it.each(snapshots)('%s: every leaked worker in the snapshot, found or seen created, is in a leak group', async (file) => {
      const truth = await leakedByGo(file)
      // 200 requests before the early snapshot, 400 before the late one, 420 before the tiny one; one in four cancelled.
      expect(truth.found + truth.created).toBe(file.includes('.early.') ? 50 : file.includes('.late.') ? 100 : 105)
      expect(truth.found).toBeGreaterThan(0)
      expect(truth.created).toBeGreaterThan(0)
      const groups = handleLeaks((await analysed(file)).groups)
      expect(groups.every((g) => g.verdict === 'leak' && g.category === 'chan-send')).toBe(true)
      const found = groups.filter((g) => g.preexisting)
      const created = groups.filter((g) => !g.preexisting)
      expect(found.map((g) => g.count)).toEqual([truth.found])
      expect(created.map((g) => [g.creationSite?.func, g.creationSite?.line, g.count])).toEqual([['main.handle', 28, truth.created]])
      // Tied to each other, both ways, with the leak's whole size.
      expect([found[0]!.sameWorkAs, created[0]!.sameWorkAs]).toEqual([created[0]!.key, found[0]!.key])
      for (const g of groups) expect(sameWorkNote(g, groups)).toContain(`${truth.found + truth.created} in all`)
    })
  })

  it('names the group doing the same work only when there is one on each side of the trace\'s start', async () => {
    const { groups } = await analysed(snapshots.find((f) => f.includes('.late.go126'))!)
    const [found, created] = [handleLeaks(groups).find((g) => g.preexisting)!, handleLeaks(groups).find((g) => !g.preexisting)!]
    const links = (gs: LeakGroup[]) => relinked(gs).filter((g) => g.sameWorkAs !== null).map((g) => g.key).sort()
    expect(links([found, created])).toEqual([created.key, found.key].sort())
    // Two go statements starting the same work: which one the found goroutines came from is not known.
    expect(links([found, created, { ...created, key: 'other', creationSite: { ...created.creationSite!, line: 40 } }])).toEqual([])
    // Waiting somewhere else, or for something else: other work.
    expect(links([found, { ...created, blockSite: { ...created.blockSite!, func: 'main.elsewhere' } }])).toEqual([])
    expect(links([found, { ...created, category: 'chan-receive' }])).toEqual([])
  })

  it.each(toolchains)('compares two snapshots (%s) as one leak that grew from 50 to 100, whatever its window saw created', async (t) => {
    const early = await analysed(`flight-recorder.early.${t}.trace`)
    const late = await analysed(`flight-recorder.late.${t}.trace`)
    const rows = (after: typeof late, before: typeof early) =>
      compareGroups(after.groups, after.ns, before.groups, before.ns)
        .filter((c) => c.group.entry?.func === 'main.handle.func1')
        .map((c) => [c.group.preexisting ? 'found' : 'created', c.status, c.together?.count, c.together?.baselineCount])
        .sort()
    expect(rows(late, early)).toEqual([['created', 'grown', 100, 50], ['found', 'grown', 100, 50]])
    expect(rows(early, late)).toEqual([['created', 'shrunk', 50, 100], ['found', 'shrunk', 50, 100]])
    // An early snapshot whose window still covered the start (nothing found running): the late one's found goroutines
    // are the same leak grown, not a new one.
    const fromStart = { ...early, groups: early.groups.filter((g) => !(g.preexisting && g.entry?.func === 'main.handle.func1')).map((g) => ({ ...g, sameWorkAs: null })) }
    const created = handleLeaks(early.groups).find((g) => !g.preexisting)!.count
    expect(rows(late, fromStart)).toEqual([['created', 'grown', 100, created], ['found', 'grown', 100, created]])
  })

  it('suppresses the goroutines found blocked with the go statement whose work they do', async () => {
    const m = await loadModel(createReadStream(join(dir, 'flight-recorder.late.go126.trace')) as AsyncIterable<Uint8Array>)
    const all = handleLeaks(analyzeLeaks(m).groups)
    const quiet = analyzeLeaks(m, { suppress: parseIgnoreFile('created-by main.handle\n') })
    expect(handleLeaks(quiet.groups)).toEqual([])
    expect(quiet.suppressed).toBe(all.length)
    expect(quiet.unusedSuppressions).toEqual([])
  })

  it('still calls a leak from a go statement the baseline did not have new, whatever it works like', async () => {
    const before = await analysed('flight-recorder.late.go126.trace')
    // The same snapshot, its window's goroutines created at another go statement.
    const moved = before.groups.map((g) => {
      if (g.preexisting || g.entry?.func !== 'main.handle.func1') return g
      const creationSite = { ...g.creationSite!, func: 'main.retry', line: 40 }
      return { ...g, creationSite, key: groupKey({ ...g, creationSite }) }
    })
    const rows = compareGroups(relinked(moved), before.ns, before.groups, before.ns)
      .filter((c) => c.group.entry?.func === 'main.handle.func1')
      .map((c) => [c.group.preexisting ? 'found' : c.group.creationSite!.func, c.status, c.together?.count ?? null])
      .sort()
    expect(rows).toEqual([['found', 'unchanged', null], ['main.handle', 'fixed', null], ['main.retry', 'new', null]])
  })

  it('does not link groups whose functions or block lines differ in the trace itself', async () => {
    const { groups } = await analysed('flight-recorder.late.go126.trace')
    const found = handleLeaks(groups).find((g) => g.preexisting)!
    const created = handleLeaks(groups).find((g) => !g.preexisting)!
    expect(relinked([found, created]).map((g) => g.sameWorkAs !== null)).toEqual([true, true])
    expect(relinked([{ ...found, blockSite: { ...found.blockSite!, line: 99 } }, created]).map((g) => g.sameWorkAs)).toEqual([null, null])
    const otherClosure = (f: typeof found.entry) => ({ ...f!, func: 'main.handle.func2' })
    expect(relinked([{ ...found, entry: otherClosure(found.entry), blockSite: otherClosure(found.blockSite) }, created]).map((g) => g.sameWorkAs)).toEqual([null, null])
  })

  it('tells two snapshots of one process (they share OS threads) from two runs, and warns when they are given backwards', async () => {
    const early = await analysed('flight-recorder.early.go126.trace')
    const late = await analysed('flight-recorder.late.go126.trace')
    expect(late.info.wallStartNs! - early.info.wallStartNs!).toBeGreaterThan(100e6)
    expect(late.info.wallStartNs! - early.info.wallStartNs!).toBeLessThan(60e9)
    expect(sameProcess(early.info, late.info)).toBe(true)
    expect(backwards(late, early)).toBeNull()
    expect(backwards(early, late)).toMatch(/^the baseline flight-recorder\.late\.go126\.trace began \d+ ms after flight-recorder\.early\.go126\.trace in the same process \(by the wall clock both record; they share OS threads\): the comparison reads backwards/)
    // Two runs of one program, recorded one after the other, both with goroutines found running: no warning.
    const traces = join(dir, '..')
    const [run1, run2] = await Promise.all(['preexisting/preexisting.go125.trace', 'preexisting/preexisting.go126.trace'].map((f) => analysed(f, traces)))
    expect(sameProcess(run1.info, run2.info)).toBe(false)
    expect(backwards(run1, { ...run2, info: { ...run2.info, wallStartNs: run1.info.wallStartNs! + 1e9 } })).toBeNull()
    // Go 1.22 records no wall clock; legacy traces number threads in every process alike.
    expect((await analysed('timeout-leak/timeout-leak.go122.trace', traces)).info.wallStartNs).toBeNull()
    const legacy = await analysed('timeout-leak/timeout-leak.go121.trace', traces)
    expect(sameProcess(legacy.info, legacy.info)).toBe(false)
  })

  it.each(toolchains)('says how many of the earlier snapshot\'s goroutines are still there (%s: one process, the same IDs)', async (t) => {
    const early = await analysed(`flight-recorder.early.${t}.trace`)
    const late = await analysed(`flight-recorder.late.${t}.trace`)
    const changes = compareGroups(late.groups, late.ns, early.groups, early.ns, true).filter((c) => c.group.entry?.func === 'main.handle.func1')
    expect(changes.map((c) => c.stillThere)).toEqual([50, 50])
    expect(statusText(changes[0]!)).toMatch(/^grown: 100 in all with \w+, was 50, all of them still there$/)
    // Two runs: nothing is said about IDs.
    expect(compareGroups(late.groups, late.ns, early.groups, early.ns, false).every((c) => c.stillThere === null)).toBe(true)
  })

  it('says so in the report', async () => {
    const file = snapshots.find((f) => f.includes('.late.go126'))!
    const m = await loadModel(createReadStream(join(dir, file)) as AsyncIterable<Uint8Array>)
    const page = renderReport({ name: file, model: m, analysis: analyzeLeaks(m) })
    expect(page.match(/<dt>Same work<\/dt>/g)?.length).toBe(2)
  })
})
