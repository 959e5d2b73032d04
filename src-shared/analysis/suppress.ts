// Suppressions like goleak's IgnoreTopFunction, but on both ends: who created the goroutines and where they block.
// From flags (--ignore-created-by F, --ignore-blocked-in F) or a .lifelineignore file:
//   # comment
//   created-by  github.com/acme/pool.(*Pool).start
//   blocked-in  github.com/acme/cache.(*Cache).janitor
//   key         1a2b3c4d      (or 1a2b3c4d:18, one of two `go` statements: see disambiguateKeys)
// A name matches a function exactly, as a prefix ending in "." or "*", or after closure-name normalisation.
import type { Frame } from '../model/goroutine'
import { isMainEntry } from './frames'
import { baseKey, normalizeFunc } from './key'

export interface Suppressions {
  createdBy: string[]
  blockedIn: string[]
  keys: string[]
}

export function emptySuppressions(): Suppressions {
  return { createdBy: [], blockedIn: [], keys: [] }
}

export class IgnoreFileError extends Error {}

/** Reads a suppressions file; `name` (its path) is what its errors name. */
export function parseIgnoreFile(text: string, into: Suppressions = emptySuppressions(), name = '.lifelineignore'): Suppressions {
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim()
    if (line === '') return
    const m = /^(created-by|blocked-in|key)\s+(\S+)$/.exec(line)
    if (!m) throw new IgnoreFileError(`${name} line ${i + 1}: expected "created-by <func>", "blocked-in <func>" or "key <key>", got "${line}"`)
    if (m[1] === 'created-by') into.createdBy.push(m[2]!)
    else if (m[1] === 'blocked-in') into.blockedIn.push(m[2]!)
    else into.keys.push(m[2]!)
  })
  return into
}

export function funcMatches(pattern: string, fn: string): boolean {
  if (pattern.endsWith('*')) return fn.startsWith(pattern.slice(0, -1))
  return fn === pattern || normalizeFunc(fn) === normalizeFunc(pattern) || (pattern.endsWith('.') && fn.startsWith(pattern))
}

export function isSuppressed(g: { key: string; creationSite: Frame | null; entry: Frame | null; blockSite: Frame | null; stacks: { creation: Frame[] | readonly Frame[]; block: Frame[] | readonly Frame[] } }, s: Suppressions): boolean {
  // A key as printed, or its base (which survives line drift); a sibling's key (1a2b3c4d:18) also names its group
  // once the other `go` statement is gone and the group's key is the base alone.
  if (s.keys.some((k) => g.key === k || baseKey(g.key) === k || (k.includes(':') && baseKey(k) === g.key))) return true
  // Created by: the function with the go statement (as goleak's IgnoreCreatedBy and Go's "created by" line), or the
  // user frame the creation is attributed to; for a goroutine from before the trace, its entry. Not any frame of the
  // creator's stack: `created-by main.main` would match nearly everything. Nor the main goroutine's entry: main.main
  // creates it no more than `created-by main.*` means it.
  const entry = g.stacks.creation.length === 0 && !isMainEntry(g.entry) ? g.entry : null
  const creators = [g.creationSite, g.stacks.creation[0] ?? null, entry].filter((f): f is Frame => f !== null)
  if (s.createdBy.some((p) => creators.some((f) => funcMatches(p, f.func)))) return true
  const blockers = [g.blockSite, ...g.stacks.block].filter((f): f is Frame => f !== null)
  return s.blockedIn.some((p) => blockers.some((f) => funcMatches(p, f.func)))
}

/**
 * The rules that hide no group of this trace, as written in a file ("created-by F", "blocked-in F", "key K"): a
 * misspelt function or a key from another build would otherwise hide nothing, silently.
 */
export function unusedRules(groups: Parameters<typeof isSuppressed>[0][], s: Suppressions): string[] {
  const unused: string[] = []
  const check = (kind: string, value: string, only: Suppressions) => {
    if (!groups.some((g) => isSuppressed(g, only))) unused.push(`${kind} ${value}`)
  }
  for (const p of s.createdBy) check('created-by', p, { createdBy: [p], blockedIn: [], keys: [] })
  for (const p of s.blockedIn) check('blocked-in', p, { createdBy: [], blockedIn: [p], keys: [] })
  for (const k of s.keys) check('key', k, { createdBy: [], blockedIn: [], keys: [k] })
  return unused
}

