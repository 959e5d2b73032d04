// The span tables keep less than they say (a goroutine span's end is where its next span begins; a run's goroutine
// is the one its first event starts): what they say must equal a plain replay that keeps every span's begin and end
// events, span for span, on traces with goroutines that end, reuse IDs, exist before the trace, span generations.
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadModel } from '../../../src-shared/model/load'
import type { TraceModel } from '../../../src-shared/model/model'
import { transitionReason, transitionStack } from '../../../src-shared/model/spans'
import { transition } from '../../../src-shared/trace/dump'

/** Event types that are state transitions (ProcStart..GoStatus, GoSwitch..GoStatusStack). */
const TRANSITIONS = new Set([...Array(16).keys()].map((k) => k + 10).concat([45, 46, 47, 48]))
const root = join(import.meta.dirname, '../../../traces')
const END = -1

/** Goroutine spans [goroutine, from event, to event (END: trace end), state, from the trace start] and P and M runs
 *  [resource, goroutine, from event, to event], as the model build replays them, in the order they close. */
function replay(m: TraceModel) {
  const ev = m.events
  const at = (i: number) => (i === END ? m.info.durationNs : ev.timeAt(i) - m.info.originNs)
  const gs = new Map<number, { state: number; since: number; startEv: number; origin: boolean; p?: number; m?: number }>()
  const spans: [number, number, number, number, boolean][] = []
  const runs = { p: new Map<number, { g: number; since: number } | null>(), m: new Map<number, { g: number; since: number } | null>() }
  const out = { p: [] as [number, number, number, number][], m: [] as [number, number, number, number][] }
  const close = (k: 'p' | 'm', res: number, toEv: number) => {
    const r = runs[k].get(res)
    if (r && at(toEv) > at(r.since)) out[k].push([res, r.g, r.since, toEv])
    runs[k].set(res, null)
  }
  const a = [0, 0, 0, 0]
  for (let i = 0; i < ev.count; i++) {
    const type = ev.typeAt(i)
    if (!TRANSITIONS.has(type)) continue
    for (let k = 0; k < 4; k++) a[k] = ev.arg(i, k)
    const p = ev.pAt(i)
    const mm = ev.mAt(i)
    const tr = transition(type, a, ev.gAt(i), p)
    const t = at(i)
    if (tr.proc) {
      if (tr.to !== 2) close('p', tr.id, i)
      continue
    }
    let g = gs.get(tr.id)
    if (!g) gs.set(tr.id, (g = { state: 0, since: 0, startEv: 0, origin: false }))
    const changes = tr.from !== tr.to
    if (changes && g.state > 1 && t > (tr.from === 0 ? 0 : g.since)) spans.push([tr.id, g.startEv, i, g.state, g.origin])
    if (!changes && tr.from !== 0) continue
    g.state = tr.to
    g.since = tr.from === 0 ? 0 : t
    g.startEv = i
    g.origin = tr.from === 0
    if (tr.to === 3 && p >= 0) {
      close('p', p, i)
      runs.p.set(p, { g: tr.id, since: i })
      g.p = p
    }
    if (tr.to === 3 && mm !== -1) {
      close('m', mm, i)
      runs.m.set(mm, { g: tr.id, since: i })
      g.m = mm
    }
    if (tr.from === 3 && tr.to !== 3) {
      if (g.p !== undefined && runs.p.get(g.p)?.g === tr.id) close('p', g.p, i)
      if (g.m !== undefined && runs.m.get(g.m)?.g === tr.id) close('m', g.m, i)
    }
  }
  for (const [id, g] of gs) if (g.state > 1 && m.info.durationNs > g.since) spans.push([id, g.startEv, END, g.state, g.origin])
  for (const k of ['p', 'm'] as const) for (const res of runs[k].keys()) close(k, res, END)
  // Grouped as the tables are: by goroutine or resource ID, stably.
  spans.sort((x, y) => x[0] - y[0])
  out.p.sort((x, y) => x[0] - y[0])
  out.m.sort((x, y) => x[0] - y[0])
  return { at, spans, p: out.p, m: out.m }
}

describe('span tables', () => {
  it.each([
    'multigen/multigen.go126.trace', 'multigen/multigen.go122.trace', 'respawn-recover/respawn-recover.go126.trace', 'respawn-recover/respawn-recover.go119.trace',
    'preexisting/preexisting.go125.p1.trace', 'control-bounded-pool/control-bounded-pool.go123.trace', 'hostile/hostile.go126.trace', 'http-handler/http-handler.go125.trace',
  ])('%s: say what a replay of every begin and end event says', async (p) => {
    const m = await loadModel(createReadStream(join(root, p)) as AsyncIterable<Uint8Array>)
    const want = replay(m)
    const s = m.goroutineSpans
    expect(s.length).toBe(want.spans.length)
    for (let i = 0; i < s.length; i++) {
      const [g, from, to, state, origin] = want.spans[i]!
      const got = [s.goroutine(i), s.start(i), s.end(i), s.state(i), s.reason(i), s.stack(i)]
      const expected = [g, origin ? 0 : want.at(from), want.at(to), state, transitionReason(m.events, from), transitionStack(m.events, from)]
      if (got.join() !== expected.join()) expect({ i, span: got }).toEqual({ i, span: expected })
    }
    // Read backwards too: ends found apart are found in any order.
    for (let i = s.length - 1; i >= 0; i--) expect(s.end(i)).toBe(want.at(want.spans[i]![2]))
    for (const [table, runs] of [[m.procSpans, want.p], [m.threadSpans, want.m]] as const) {
      expect(table.length).toBe(runs.length)
      for (let i = 0; i < table.length; i++) {
        const [res, g, from, to] = runs[i]!
        const got = [table.resource(i), table.goroutine(i), table.start(i), table.end(i)]
        const expected = [res, g, want.at(from), want.at(to)]
        if (got.join() !== expected.join()) expect({ i, run: got }).toEqual({ i, run: expected })
      }
    }
  })
})
