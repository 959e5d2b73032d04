// Goroutine counts by state are stored as deltas with checkpoints: they must equal a recount of the lifelines at
// every point, through at(), read() and forEach() alike, and survive jumps too big for a delta.
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadModel } from '../../../src-shared/model/load'
import type { GoroutineCounts } from '../../../src-shared/model/model'
import { COUNT_BLOCK, CountBuilder, EventClock } from '../../../src-shared/model/spans'
import { transition } from '../../../src-shared/trace/dump'
import { EventStore } from '../../../src-shared/trace/events'

/** Event types that are state transitions (ProcStart..GoStatus, GoSwitch..GoStatusStack). */
const TRANSITIONS = new Set([...Array(16).keys()].map((k) => k + 10).concat([45, 46, 47, 48]))

const root = join(import.meta.dirname, '../../../traces')

/** Every range read() can be asked for, from every start in and around blocks and spills, equals forEach's points. */
function expectRangesRead(table: GoroutineCounts, points: number[][]): void {
  const n = table.length
  const starts = new Set([0, 1, n - 1, n - 2])
  for (let i = 0; i < n; i += 7) starts.add(i)
  for (let b = COUNT_BLOCK; b < n; b += COUNT_BLOCK) for (const d of [-2, -1, 0, 1]) starts.add(b + d)
  for (const from of starts) {
    if (from < 0 || from >= n) continue
    for (const len of [1, 2, COUNT_BLOCK + 3, n - from]) {
      const k = Math.min(len, n - from)
      const times = new Float64Array(k)
      const counts = new Int32Array(4 * k)
      table.read(from, k, times, counts)
      for (let j = 0; j < k; j++) {
        const got = [times[j]!, ...counts.subarray(4 * j, 4 * j + 4)]
        if (got.some((v, x) => v !== points[from + j]![x])) expect(got, `read(${from}, ${k}) point ${from + j}`).toEqual(points[from + j])
      }
    }
  }
}

describe('goroutine counts', () => {
  it.each(['multigen/multigen.go126.trace', 'multigen/multigen.go122.trace', 'retry-sleep/retry-sleep.go126.trace', 'http-handler/http-handler.go125.trace'])('%s: equal a replay of the transitions at every point', async (p) => {
    const m = await loadModel(createReadStream(join(root, p)) as AsyncIterable<Uint8Array>)
    const c = m.goroutineCounts
    expect(c.length).toBeGreaterThan(COUNT_BLOCK)
    // Replay every goroutine transition independently: counts after each event, by event time (times are unique).
    // A goroutine first seen through its status (from Undetermined) counts from the trace's start.
    const ev = m.events
    const counts = [0, 0, 0, 0, 0, 0]
    const after = new Map<number, number[]>()
    const a = [0, 0, 0, 0]
    const transitions: ReturnType<typeof transition>[] = []
    const times: number[] = []
    for (let i = 0; i < ev.count; i++) {
      const type = ev.typeAt(i)
      if (!TRANSITIONS.has(type)) continue
      for (let k = 0; k < 4; k++) a[k] = ev.arg(i, k)
      const tr = transition(type, a, ev.gAt(i), ev.pAt(i))
      if (tr.proc || (tr.from === tr.to && tr.from !== 0)) continue
      if (tr.from === 0) counts[tr.to]!++
      else {
        transitions.push(tr)
        times.push(ev.timeAt(i) - m.info.originNs)
      }
    }
    expect(counts[2]! + counts[3]! + counts[4]! + counts[5]!).toBeGreaterThan(0)
    after.set(0, counts.slice(2))
    transitions.forEach((tr, k) => {
      counts[tr.from]!--
      counts[tr.to]!++
      after.set(times[k]!, counts.slice(2))
    })
    const seen: number[][] = []
    c.forEach((t, ...n) => seen.push([t, ...n]))
    expect(seen).toHaveLength(c.length)
    const out = new Int32Array(4)
    for (let i = 0; i < c.length; i++) {
      const want = after.get(c.time(i))
      c.at(i, out)
      expect([...out], `point ${i}`).toEqual(want)
      expect(seen[i]).toEqual([c.time(i), ...want!])
    }
    expectRangesRead(c, seen)
  })

  it.each(['multigen/multigen.go126.trace', 'preexisting/preexisting.go126.trace', 'preexisting/preexisting.go121.trace'])('%s: equal a recount of the lifelines, from the trace\'s start', async (p) => {
    const m = await loadModel(createReadStream(join(root, p)) as AsyncIterable<Uint8Array>)
    const c = m.goroutineCounts
    const s = m.goroutineSpans
    // Goroutines from before the trace hold their first known state from the start (their spans start at 0), though
    // Go 1.23+ writes the status of one that has not moved only at its generation's end: counts agree with spans.
    expect(c.time(0)).toBe(0)
    const out = new Int32Array(4)
    let compared = 0
    for (let i = 0; i < c.length; i += Math.max(1, Math.floor(c.length / 300))) {
      const t = c.time(i)
      compared++
      const want = [0, 0, 0, 0]
      for (let k = 0; k < s.length; k++) if (s.start(k) <= t && t < s.end(k)) want[s.state(k) - 2]!++
      c.at(i, out)
      expect([...out], `point ${i} at ${t} ns`).toEqual(want)
    }
    expect(compared).toBeGreaterThan(Math.min(50, c.length - 1))
  })

  it('keeps counts whose change does not fit a delta', () => {
    const store = new EventStore()
    for (let i = 0; i < 300; i++) store.push(16, 1000 + i * 10, 1, 0, 1)
    const b = new CountBuilder()
    const want: number[][] = []
    for (let i = 0; i < 300; i++) {
      const v = [i * 1000, i % 7, 100000 - i * 300, i % 3 === 0 ? 5 : -5000]
      // Two changes at one time make one point.
      if (i % 50 === 1) b.record(i, i * 10, 0, 0, 0, 0)
      b.record(i, i * 10, v[0]!, v[1]!, v[2]!, v[3]!)
      want.push(v)
    }
    const table = b.table(new EventClock(store, 1000, 3000))
    expect(table.length).toBe(300)
    const out = new Int32Array(4)
    for (let i = 0; i < 300; i++) {
      table.at(i, out)
      expect([...out]).toEqual(want[i])
      expect(table.time(i)).toBe(i * 10)
    }
  })

  it('keeps every point through codes, spills and block boundaries', () => {
    // Points that are one goroutine moving (or nothing) a few events on, mixed with every kind of spill: several
    // moves, a jump in a count, an event gap too big for a code, at and around block boundaries; some merged.
    const n = COUNT_BLOCK * 5 + 3
    const store = new EventStore()
    let seed = 7
    const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % k)
    const want: { ev: number; t: number; c: number[] }[] = []
    const b = new CountBuilder(4)
    const c = [3, 1, 5, 0]
    let ev = 0
    for (let i = 0; i < n; i++) {
      const kind = i % COUNT_BLOCK === COUNT_BLOCK - 1 || i % COUNT_BLOCK === 1 ? rnd(4) : rnd(10)
      ev += kind === 0 ? 13 + rnd(300) : 1 + rnd(12)
      if (kind === 1) {
        c[0]! += 2
        c[3]! -= 1
      } else if (kind === 2) c[rnd(4)]! += 200
      else {
        const from = rnd(5) - 1
        const to = rnd(5) - 1
        if (from >= 0) c[from]!--
        if (to >= 0 && to !== from) c[to]!++
      }
      // Now and then a first change at this time that the next record replaces.
      if (rnd(6) === 0) b.record(ev - 1, i * 10, 9, 9, 9, 9)
      b.record(ev, i * 10, c[0]!, c[1]!, c[2]!, c[3]!)
      want.push({ ev, t: i * 10, c: [...c] })
    }
    for (let e = 0; e <= ev; e++) store.push(16, 1000 + e, 1, 0, 1)
    const table = b.table(new EventClock(store, 1000, 1000 + ev))
    expect(table.length).toBe(n)
    const out = new Int32Array(4)
    for (let i = n - 1; i >= 0; i--) {
      table.at(i, out)
      expect([...out], `point ${i}`).toEqual(want[i]!.c)
      expect(table.time(i), `point ${i}`).toBe(want[i]!.ev)
    }
    const seen: number[][] = []
    table.forEach((t, ...counts) => seen.push([t, ...counts]))
    expect(seen).toEqual(want.map((w) => [w.ev, ...w.c]))
    expectRangesRead(table, seen)
  })

  it('holds no points when nothing changed, and one when everything changed at once', () => {
    const store = new EventStore()
    store.push(16, 1000, 1, 0, 1)
    const empty = new CountBuilder().table(new EventClock(store, 1000, 1000))
    expect(empty.length).toBe(0)
    let calls = 0
    empty.forEach(() => calls++)
    expect(calls).toBe(0)
    const one = new CountBuilder(0)
    one.record(0, 0, 1, 2, 3, 4)
    one.record(0, 0, -5, 6, 7, 1 << 30)
    const t = one.table(new EventClock(store, 1000, 1000))
    const out = new Int32Array(4)
    t.at(0, out)
    expect([...out]).toEqual([-5, 6, 7, 1 << 30])
    expect(t.time(0)).toBe(0)
  })
})
