// The goroutine list, served from the worker: the page never holds the goroutine records (with a million
// goroutines their stacks alone would be hundreds of MB on the UI thread). It asks for the matches of a search, a
// window of rows at a time, and for what a tooltip says about one goroutine.

import { creationFrame, recordEntry } from '@shared/analysis/frames'
import type { Frame, GoroutineRecord, Stack } from '@shared/model/goroutine'
import type { GoroutineTable } from '@shared/model/goroutine-table'
import type { GoroutineBrief, GoroutineRow } from './protocol'

const top = (s: Stack) => (s.length ? s[0].func : '')
const shortSite = (f: Frame | null) => (f ? `${f.file.split('/').slice(-2).join('/')}:${f.line}` : '')
const site = (s: Stack) => shortSite(s[0] ?? null)
const fullSite = (s: Stack) => (s.length ? `${s[0].file}:${s[0].line}` : '')
const frameSite = (f: Frame | null) => (f ? `${f.file}:${f.line}` : '')

export class GoroutineList {
  /** The last search, so that paging through its matches costs nothing. */
  private last: { words: string[]; matches: Int32Array | null } = { words: [], matches: null }

  constructor(private readonly records: GoroutineTable) {}

  get count(): number {
    return this.records.length
  }

  row(g: GoroutineRecord): GoroutineRow {
    return {
      id: g.id,
      fn: recordEntry(g)?.func || g.label || '(unknown)',
      state: g.endedNs === null ? g.finalState.toLowerCase() + (g.finalReason ? `: ${g.finalReason}` : '') : 'ended',
    }
  }

  /**
   * Rows [offset, offset + limit) of the goroutines matching every word of `query` (in id, state, reason, entry
   * function, creator, creation site, label), and how many match in all.
   */
  search(query: string, offset: number, limit: number): { matches: number; rows: GoroutineRow[] } {
    const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean)
    const matches = this.matchesOf(words)
    const n = matches ? matches.length : this.records.length
    const rows: GoroutineRow[] = []
    for (let i = Math.max(0, offset); i < Math.min(n, offset + limit); i++) rows.push(this.row(this.records.at(matches ? matches[i] : i)))
    return { matches: n, rows }
  }

  /** What a tooltip shows about one goroutine. */
  brief(id: number): GoroutineBrief | null {
    const g = this.records.byId(id)
    if (!g) return null
    const entry = recordEntry(g)
    return {
      id,
      label: g.label,
      startFunc: entry?.func ?? '',
      startSite: frameSite(entry),
      ended: g.endedNs !== null,
      finalReason: g.finalReason,
      finalFunc: top(g.finalStack),
      finalSite: fullSite(g.finalStack),
    }
  }

  /** The first and last creation time among these goroutines (for "jump to creation"), or null. */
  createdRange(ids: readonly number[]): [number, number] | null {
    let first = Infinity
    let last = -Infinity
    for (const id of ids) {
      const i = this.records.indexOf(id)
      const t = i < 0 ? null : this.records.createdNs(i)
      if (t === null) continue
      first = Math.min(first, t)
      last = Math.max(last, t)
    }
    return first === Infinity ? null : [first, last]
  }

  private matchesOf(words: string[]): Int32Array | null {
    if (words.length === 0) return null
    const prev = this.last
    if (prev.matches && words.length === prev.words.length && words.every((w, i) => w === prev.words[i])) return prev.matches
    // A query that only narrows the previous one (typing on) searches the previous matches only.
    const narrower = prev.matches !== null && prev.words.every((p) => words.some((w) => w.includes(p)))
    const from = narrower ? prev.matches! : null
    const n = from ? from.length : this.records.length
    const out = new Int32Array(n)
    let k = 0
    for (let j = 0; j < n; j++) {
      const i = from ? from[j] : j
      const g = this.records.at(i)
      // The creator as the leak panel names it too: the user's `go` statement, also when a library's (wg.Go) ran it.
      const entry = recordEntry(g)
      const creator = creationFrame(g.creationStack)
      const hay = `g${g.id} ${g.finalState} ${g.finalReason} ${entry?.func ?? ''} ${shortSite(entry)} ${top(g.creationStack)} ${site(g.creationStack)} ${creator?.func ?? ''} ${shortSite(creator)} ${g.label}`.toLowerCase()
      if (words.every((w) => hay.includes(w))) out[k++] = i
    }
    const matches = out.slice(0, k)
    this.last = { words, matches }
    return matches
  }
}
