// A group's stable key: it survives line drift (no line numbers), Go's renaming of closures (func1 / gowrap2 /
// func2.1 all become "func"), the folder a repository is checked out into, a dependency's version and a function moved
// to another file of its package (no file paths: a function's full name already says its package), so the same leak
// matches across builds, checkouts and machines, and in suppressions.
import type { Frame } from '../model/goroutine'
import { isMainEntry } from './frames'

export function normalizeFunc(fn: string): string {
  return fn.replace(/\.(func|gowrap)\d+(\.\d+)*/g, '.func').replace(/\.\d+$/g, '')
}

/** A frame as keys name it: the function (with its package path) without closure numbers; no file, no line. */
export function frameKey(f: Frame | null): string {
  return f ? normalizeFunc(f.func) : '-'
}

/** FNV-1a, 32 bits, as 8 hex digits. */
function fnv(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}

export function groupKey(g: { creationSite: Frame | null; createdVia?: Frame | null; entry: Frame | null; blockSite: Frame | null; category: string; preexisting: boolean }): string {
  // The main goroutine's entry differs between trace formats (see isMainEntry): one goroutine, one key.
  const head = g.preexisting || !g.creationSite
    ? `entry:${isMainEntry(g.entry) ? 'main' : frameKey(g.entry)}`
    : frameKey(g.creationSite) + (g.createdVia ? ` via ${frameKey(g.createdVia)} ${frameKey(g.entry)}` : '')
  return fnv(`${head}|${frameKey(g.blockSite)}|${g.category}`)
}

/**
 * Keys for groups whose key is shared (two `go` statements in one function starting the same code, blocked at the
 * same place): each gets the line of its `go` statement (or entry) after a colon, and the line it blocks at when
 * that is the same too. A key never depends on which other groups a trace has, so the group left when its sibling is
 * fixed keeps matching by its base key (see compareGroups), and suppressions name it either way.
 */
export function disambiguateKeys(groups: { key: string; creationSite: Frame | null; entry: Frame | null; blockSite: Frame | null }[]): void {
  const byKey = new Map<string, typeof groups>()
  for (const g of groups) (byKey.get(g.key) ?? byKey.set(g.key, []).get(g.key)!).push(g)
  for (const [key, list] of byKey) {
    if (list.length < 2) continue
    const lines = list.map((g) => {
      const sameLine = list.filter((o) => goLine(o) === goLine(g)).length > 1
      return sameLine ? `${goLine(g)}.${g.blockSite?.line ?? 0}` : String(goLine(g))
    })
    list.forEach((g, i) => {
      const twins = lines.filter((l) => l === lines[i]).length > 1
      g.key = `${key}:${lines[i]}${twins ? `#${lines.slice(0, i).filter((l) => l === lines[i]).length + 1}` : ''}`
    })
  }
}

/** The line of a group's `go` statement, or of its entry for goroutines from before the trace. */
export function goLine(g: { creationSite: Frame | null; entry: Frame | null }): number {
  return (g.creationSite ?? g.entry)?.line ?? 0
}

type Work = { preexisting: boolean; entry: Frame | null; blockSite: Frame | null; category: string }

/**
 * Goroutines a trace found already running (no creation event: a flight-recorder snapshot, a trace started late) and
 * goroutines it saw created that run the same function and wait at the same place for the same thing: most likely
 * one leak, its older goroutines from before the window, though the trace cannot say (it does not record where the
 * found ones came from; another `go` statement of the same function would look the same).
 */
export function sameWork(a: Work, b: Work): boolean {
  return a.preexisting !== b.preexisting && a.entry !== null && b.entry !== null && a.entry.func !== '' && a.blockSite !== null &&
    frameKey(a.entry) === frameKey(b.entry) && frameKey(a.blockSite) === frameKey(b.blockSite) && a.category === b.category
}

/** A key without what disambiguateKeys added: the part that survives line drift. */
export function baseKey(key: string): string {
  const colon = key.indexOf(':')
  return colon < 0 ? key : key.slice(0, colon)
}
