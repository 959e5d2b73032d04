// Matching leak groups across two traces (src-shared/compare/match.ts): by key, and for goroutines from before the
// trace, across the formats that record them with and without what they wait for.
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeLeaks, linkSameWork, type LeakGroup } from '../../../src-shared/analysis/leaks'
import { groupKey } from '../../../src-shared/analysis/key'
import { parseIgnoreFile } from '../../../src-shared/analysis/suppress'
import { compareGroups } from '../../../src-shared/compare/match'
import { loadModel } from '../../../src-shared/model/load'

const root = join(import.meta.dirname, '../../../traces')
async function groups(p: string): Promise<{ groups: LeakGroup[]; ns: number }> {
  const m = await loadModel(createReadStream(join(root, p)) as AsyncIterable<Uint8Array>)
  return { groups: analyzeLeaks(m).groups, ns: m.info.durationNs }
}
const subscribers = (g: LeakGroup) => g.preexisting && g.entry?.func === 'main.subscriber'
/** Groups edited by a test, linked again as the analysis would link them (see linkSameWork). */
function relinked(groups: LeakGroup[]): LeakGroup[] {
  const copies = groups.map((g) => ({ ...g, sameWorkAs: null }))
  linkSameWork(copies)
  return copies
}

describe('matching leak groups', () => {
  it('matches goroutines from before the trace across a Go upgrade (legacy: no stack, no reason; 1.23+: both)', async () => {
    const old = await groups('preexisting/preexisting.go121.trace')
    const cur = await groups('preexisting/preexisting.go126.trace')
    const [a, b] = [old.groups.find(subscribers)!, cur.groups.find(subscribers)!]
    // The premise: the same five goroutines, seen with different evidence, so with different keys.
    expect([a.count, b.count]).toEqual([5, 5])
    expect(a.blockSite).toBeNull()
    expect(a.category).toBe('unknown')
    expect(b.category).toBe('chan-receive')
    expect(a.key).not.toBe(b.key)
    for (const [before, after] of [[old, cur], [cur, old]] as const) {
      const changes = compareGroups(after.groups, after.ns, before.groups, before.ns)
      const mine = changes.filter((c) => subscribers(c.group))
      expect(mine.map((c) => [c.status, c.baselineCount, c.count])).toEqual([['unchanged', 5, 5]])
      expect(changes.filter((c) => c.group.verdict !== 'benign' && (c.status === 'new' || c.status === 'fixed'))).toEqual([])
      // The main goroutine too: its entry is runtime.main in one format and main.main in the other.
      expect(changes.filter((c) => c.group.goroutines.includes(1)).map((c) => c.status)).toEqual(['unchanged'])
    }
  })

  it('does not match them when the entries differ, when both sides saw what they wait for, or when it is ambiguous', async () => {
    // Without the sixth subscriber (created in the trace, it does the same work as the five: their leak would be
    // compared as one: tests/unit/analysis/flight-recorder.test.ts): the five alone, matched or not.
    const sixth = (g: LeakGroup) => !g.preexisting && g.entry?.func === 'main.subscriber'
    const old = await groups('preexisting/preexisting.go121.trace').then((s) => ({ ...s, groups: s.groups.filter((g) => !sixth(g)) }))
    const cur = await groups('preexisting/preexisting.go126.trace').then((s) => ({ ...s, groups: s.groups.filter((g) => !sixth(g)) }))
    const b = cur.groups.find(subscribers)!
    const statuses = (current: LeakGroup[], baseline: LeakGroup[]) =>
      compareGroups(relinked(current), cur.ns, relinked(baseline), old.ns).filter((c) => c.group.preexisting && c.group.verdict !== 'benign').map((c) => c.status).sort()
    // Another entry function.
    const renamed = old.groups.map((g) => (subscribers(g) ? { ...g, entry: { ...g.entry!, func: 'main.publisher' } } : g))
    expect(statuses(cur.groups, renamed)).toEqual(['fixed', 'new'])
    // Both seen (a different block site on one side): different groups, as their keys say.
    const seen = old.groups.map((g) => (subscribers(g) ? { ...b, key: 'other', blockSite: { ...b.blockSite!, func: 'main.elsewhere' } } : g))
    expect(statuses(cur.groups, seen)).toEqual(['fixed', 'new'])
    // Two groups with that entry now: which one the old one was is not known.
    const twice = [...cur.groups, { ...b, key: 'second', blockSite: { ...b.blockSite!, func: 'main.elsewhere' } }]
    expect(statuses(twice, old.groups)).toEqual(['fixed', 'new', 'new'])
  })

  it('matches goroutines one trace saw created and the other found running (a flight-recorder window), by what they do', async () => {
    const cur = await groups('preexisting/preexisting.go126.trace')
    const found = cur.groups.find(subscribers)!
    // The same five subscribers, their go statement inside this other window.
    const creator = { func: 'main.startSubscribers', file: found.entry!.file, line: 20 }
    const created = { ...found, preexisting: false, creationSite: creator, key: groupKey({ ...found, preexisting: false, creationSite: creator }) }
    expect(created.key).not.toBe(found.key)
    const others = cur.groups.filter((g) => g !== found)
    const sides: [LeakGroup[], LeakGroup[]][] = [[[...others, created], cur.groups], [cur.groups, [...others, created]]]
    for (const [after, before] of sides) {
      // (The sixth subscriber, created in both windows, matches by its key.)
      const mine = compareGroups(relinked(after), cur.ns, relinked(before), cur.ns).filter((c) => c.group.entry?.func === 'main.subscriber')
      expect(mine.map((c) => [c.status, c.baselineCount, c.count]).sort()).toEqual([['unchanged', 1, 1], ['unchanged', 5, 5]])
    }
    // Waiting somewhere else: other goroutines, new. The baseline's five found running did the same work as its sixth
    // (one leak of 6, see linkSameWork), of which one is left: shrunk.
    const elsewhere = { ...created, blockSite: { ...found.blockSite!, func: 'main.elsewhere' } }
    const changes = compareGroups(relinked([...others, elsewhere]), cur.ns, relinked(cur.groups), cur.ns).filter((c) => c.group.entry?.func === 'main.subscriber')
    expect(changes.map((c) => [c.status, c.count, c.together?.count ?? null, c.together?.baselineCount ?? null]).sort()).toEqual([['new', 5, null, null], ['shrunk', 1, 1, 6]])
  })

  it('tells apart two go statements of one function by line, and matches the one left when the other is fixed', async () => {
    const both = await groups('two-go-sites/two-go-sites.go126.trace')
    const one = await groups('compare/two-go-sites.one.go126.trace')
    const leaks = (gs: LeakGroup[]) => gs.filter((g) => g.verdict === 'leak').map((g) => [g.key.replace(/^[0-9a-f]{8}/, 'K'), g.count]).sort()
    expect(leaks(both.groups)).toEqual([['K:18', 5], ['K:25', 1]])
    expect(leaks(one.groups)).toEqual([['K', 1]])
    const rows = (after: typeof both, before: typeof both) =>
      compareGroups(after.groups, after.ns, before.groups, before.ns).filter((c) => c.group.verdict === 'leak').map((c) => [c.group.creationSite!.line, c.status]).sort()
    // The pool removed: its group is fixed, the one-off unchanged (not new, with its sibling's key shifted).
    expect(rows(one, both)).toEqual([[18, 'fixed'], [25, 'unchanged']])
    // And the other way round.
    expect(rows(both, one)).toEqual([[18, 'new'], [25, 'unchanged']])
  })

  it('pairs sibling groups whose lines moved: in line order, or the nearest line when a sibling is gone', async () => {
    const both = await groups('two-go-sites/two-go-sites.go126.trace')
    const one = await groups('compare/two-go-sites.one.go126.trace')
    // The same code with lines inserted above both go statements (their keys carry their lines, so they change).
    const moved = (gs: LeakGroup[], by: number) =>
      gs.map((g) => {
        if (g.verdict !== 'leak' || !g.creationSite) return g
        const line = g.creationSite.line + by
        return { ...g, creationSite: { ...g.creationSite, line }, key: g.key.includes(':') ? `${g.key.split(':')[0]}:${line}` : g.key }
      })
    const rows = (after: LeakGroup[], before: LeakGroup[]) =>
      compareGroups(after, both.ns, before, both.ns).filter((c) => c.group.verdict === 'leak').map((c) => [c.count, c.baselineCount, c.status]).sort()
    // Moved by the gap between them (7 lines): the pool now has the one-off's old key, and is still the pool.
    expect(rows(moved(both.groups, 7), both.groups)).toEqual([[1, 1, 'unchanged'], [5, 5, 'unchanged']])
    // The pool removed and the one-off moved down a line: the one-off, unchanged; the pool, fixed.
    expect(rows(moved(one.groups, 1), both.groups)).toEqual([[0, 5, 'fixed'], [1, 1, 'unchanged']])
  })

  it('gives each group its key whatever else is filtered out, and suppressions take the key as printed or its base', async () => {
    const m = await loadModel(createReadStream(join(root, 'two-go-sites/two-go-sites.go126.trace')) as AsyncIterable<Uint8Array>)
    const all = analyzeLeaks(m).groups.filter((g) => g.verdict === 'leak')
    const pool = all.find((g) => g.count === 5)!
    const oneOff = all.find((g) => g.count === 1)!
    expect(analyzeLeaks(m, { minCount: 2 }).groups.map((g) => g.key)).toContain(pool.key)
    const left = (ignore: string) => analyzeLeaks(m, { suppress: parseIgnoreFile(ignore) }).groups.filter((g) => g.verdict === 'leak').map((g) => g.key)
    expect(left(`key ${pool.key}\n`)).toEqual([oneOff.key])
    expect(left(`key ${pool.key.split(':')[0]}\n`)).toEqual([])
    // Once the pool is gone, the one-off's key is the base alone: its printed sibling key still names it.
    const alone = await loadModel(createReadStream(join(root, 'compare/two-go-sites.one.go126.trace')) as AsyncIterable<Uint8Array>)
    const leftAlone = analyzeLeaks(alone, { suppress: parseIgnoreFile(`key ${oneOff.key}\n`) }).groups.filter((g) => g.verdict === 'leak')
    expect(leftAlone).toEqual([])
  })
})
