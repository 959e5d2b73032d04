// The goroutine table keeps event indexes, not records: the records it makes must say what a plain replay of the
// events says about each goroutine (written here the obvious way, one object per goroutine), and its lookups and
// cheap accessors must agree with them.
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { recordEntry, tableEntry } from '../../../src-shared/analysis/frames'
import { loadModel } from '../../../src-shared/model/load'
import type { TraceModel } from '../../../src-shared/model/model'
import { transition } from '../../../src-shared/trace/dump'
import { eventRecord } from '../../../src-shared/trace/events'
import { EV, EV_SYNC } from '../../../src-shared/trace/spec'

const root = join(import.meta.dirname, '../../../traces')
const NAMES = ['Undetermined', 'NotExist', 'Runnable', 'Running', 'Waiting', 'Syscall']
const isTransition = (t: number) => (t >= EV.ProcStart && t <= EV.GoStatus) || (t >= EV.GoSwitch && t <= EV.GoStatusStack)

interface Plain {
  createdNs: number | null
  endedNs: number | null
  parent: number | null
  creationStack: number
  finalState: string
  finalReason: string
  lastTransitionNs: number
  lastBlockNs: number | null
  lastBlockReason: string
  wakeups: number
  lastWakeupNs: number | null
}

function replay(m: TraceModel): Map<number, Plain> {
  const ev = m.events
  const out = new Map<number, Plain>()
  const e = eventRecord()
  for (let i = 0; i < ev.count; i++) {
    ev.read(i, e)
    if (e.type === EV_SYNC || !isTransition(e.type)) continue
    const tr = transition(e.type, e.args, e.g, e.p)
    if (tr.proc) continue
    const t = e.time - m.info.originNs
    let g = out.get(tr.id)
    if (!g) {
      g = { createdNs: null, endedNs: null, parent: null, creationStack: 0, finalState: 'Undetermined', finalReason: '', lastTransitionNs: 0, lastBlockNs: null, lastBlockReason: '', wakeups: 0, lastWakeupNs: null }
      out.set(tr.id, g)
    }
    if (e.type === EV.GoCreate || e.type === EV.GoCreateBlocked || e.type === EV.GoCreateSyscall) {
      g.createdNs = t
      g.parent = e.g >= 0 ? e.g : null
      g.creationStack = e.args[2]!
    }
    if (e.type === EV.GoUnblock || e.type === EV.GoSwitch || e.type === EV.GoSwitchDestroy) {
      g.wakeups++
      g.lastWakeupNs = t
    }
    const since = tr.from === 0 ? 0 : t
    if (tr.to === 4 && tr.from !== 4) {
      g.lastBlockNs = since
      g.lastBlockReason = m.strings[tr.reason]!
    }
    if (tr.from !== tr.to || tr.from === 0) {
      g.finalState = NAMES[tr.to]!
      g.finalReason = m.strings[tr.reason]!
      g.lastTransitionNs = since
    }
    if (tr.to === 1) g.endedNs = t
  }
  return out
}

describe('goroutine table', () => {
  const seen = { created: 0, ended: 0, blocked: 0, woken: 0 }
  it.each([
    'multigen/multigen.go126.trace',
    'retry-sleep/retry-sleep.go125.trace',
    'http-handler/http-handler.go122.trace',
    'ticker-never-stopped/ticker-never-stopped.go119.trace',
    'preexisting/preexisting.go126.trace',
  ])('%s: records say what a plain replay says', async (p) => {
    const m = await loadModel(createReadStream(join(root, p)) as AsyncIterable<Uint8Array>)
    const t = m.goroutines
    const plain = replay(m)
    expect(t.length).toBe(m.info.goroutines)
    expect(t.length).toBeGreaterThan(2)
    let prev = -Infinity
    for (let i = 0; i < t.length; i++) {
      const r = t.at(i)
      expect(r.id).toBeGreaterThan(prev)
      prev = r.id
      expect(t.indexOf(r.id)).toBe(i)
      expect(t.byId(r.id)).toEqual(r)
      expect(t.createdNs(i)).toBe(r.createdNs)
      expect(t.endedNs(i)).toBe(r.endedNs)
      expect(t.startStack(i)).toEqual(r.startStack)
      expect(t.label(i)).toBe(r.label)
      // The stack accessors read their own events, whatever was read last (another goroutine's record here).
      t.at((i + 1) % t.length)
      expect(t.finalStack(i)).toEqual(r.finalStack)
      t.at((i + 1) % t.length)
      expect(t.lastBlockStack(i)).toEqual(r.lastBlockStack)
      expect(t.statusStack(i)).toEqual(r.statusStack)
      t.at((i + 1) % t.length)
      expect(tableEntry(t, i)).toEqual(recordEntry(r))
      const want = plain.get(r.id)
      if (!want) continue // named only by a label
      const { creationStack, ...rest } = want
      expect({ ...rest }).toEqual({
        createdNs: r.createdNs, endedNs: r.endedNs, parent: r.parent, finalState: r.finalState, finalReason: r.finalReason,
        lastTransitionNs: r.lastTransitionNs, lastBlockNs: r.lastBlockNs, lastBlockReason: r.lastBlockReason, wakeups: r.wakeups, lastWakeupNs: r.lastWakeupNs,
      })
      expect(r.creationStack).toEqual(m.stacks[creationStack] ?? [])
      expect(t.creationStackId(i)).toBe(creationStack)
      if (r.createdNs !== null) seen.created++
      if (r.endedNs !== null) seen.ended++
      if (r.lastBlockNs !== null) seen.blocked++
      if (r.wakeups > 0) seen.woken++
    }
    expect(plain.size).toBeLessThanOrEqual(t.length)
    // Each row's spans, by spansOf: consecutive ranges that cover the span table, each span the row's goroutine's.
    const spans = m.goroutineSpans
    let next = 0
    for (let i = 0; i < t.length; i++) {
      const [a, b] = spans.spansOf(i)
      expect(a).toBe(next)
      for (let k = a; k < b; k++) expect(spans.goroutine(k)).toBe(t.ids[i])
      next = b
    }
    expect(next).toBe(spans.length)
    // Lookups of IDs it does not hold.
    expect(t.indexOf(prev + 1)).toBe(-1)
    expect(t.byId(-5)).toBeUndefined()
    expect(t.indexOf(0.5)).toBe(-1)
    // Iteration, map and find see the same records.
    expect([...t].map((r) => r.id)).toEqual(Array.from(t.ids))
    expect(t.map((r, i) => r.id === t.ids[i])).not.toContain(false)
    const last = t.at(t.length - 1)
    expect(t.find((r) => r.id === last.id)).toEqual(last)
  })

  it('gives goroutines that were there before a legacy trace the entry function their GoCreate named', async () => {
    // Go 1.11-1.21 name every goroutine alive at trace start in a GoCreate with its start function; Go's reader drops
    // that stack when it restates them as GoStatus (the dump shows none), the model keeps it.
    const byEntry = async (name: string) => {
      const m = await loadModel(createReadStream(join(root, name)) as AsyncIterable<Uint8Array>)
      const out = new Map<string, number>()
      for (let i = 0; i < m.goroutines.length; i++) {
        const r = m.goroutines.at(i)
        if (r.createdNs !== null) continue
        expect(m.goroutines.startStack(i)).toEqual(r.startStack)
        const f = r.startStack.at(-1)?.func ?? '(none)'
        out.set(f, (out.get(f) ?? 0) + 1)
      }
      return out
    }
    for (const v of ['go119', 'go121']) {
      const entries = await byEntry(`preexisting/preexisting.${v}.trace`)
      expect(entries.get('main.subscriber'), v).toBe(5)
      expect(entries.get('runtime.forcegchelper'), v).toBe(1)
      expect(entries.get('(none)') ?? 0, v).toBe(0)
    }
    // The current format has no such stack: its goroutines from before the trace carry GoStatusStack instead.
    expect((await byEntry('preexisting/preexisting.go126.trace')).get('main.subscriber') ?? 0).toBe(0)
  })

  it('the traces above exercise every kind of fact, so the comparison is not vacuous', () => {
    expect(seen.created).toBeGreaterThan(10)
    expect(seen.ended).toBeGreaterThan(10)
    expect(seen.blocked).toBeGreaterThan(10)
    expect(seen.woken).toBeGreaterThan(10)
  })
})
