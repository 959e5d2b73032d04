// Event columns kept as small numbers: span ends as event counts from their start, and ascending lists of events as
// gaps, one byte while it fits and the event whole otherwise; and the events of some types, found by type instead of
// kept. Read back the same in any order.
import { describe, expect, it } from 'vitest'
import { EventLengths, EventList, EventsOfTypes, TRACE_END, UNBLOCK_TYPES } from '../../../src-shared/model/spans'
import { EventStore } from '../../../src-shared/trace/events'
import { EV } from '../../../src-shared/trace/spec'

describe('EventLengths', () => {
  it('gives back every end, short or long, in order and out of it', () => {
    const spans: [number, number][] = []
    let from = 0
    for (let k = 0; k < 1000; k++) {
      const len = k % 97 === 0 ? TRACE_END : k % 13 === 0 ? 254 + (k % 3) : k % 17 === 0 ? 70_000 + k : 1 + (k % 200)
      spans.push([from, len === TRACE_END ? TRACE_END : from + len])
      from += 5
    }
    const e = new EventLengths()
    for (const [f, t] of spans) e.push(f, t)
    e.seal()
    expect(e.length).toBe(spans.length)
    for (let k = 0; k < spans.length; k++) expect(e.to(k, spans[k]![0])).toBe(spans[k]![1])
    for (let k = spans.length - 1; k >= 0; k -= 3) expect(e.to(k, spans[k]![0])).toBe(spans[k]![1])
    // One byte a span, and the escaped ones (about a fifth here) whole.
    expect(e.bytes).toBeLessThan(spans.length * 3)
  })

  it.each([16, 1000])('grows by pages past 64 Ki spans from a first page of %i, and reads back across them', (capacity) => {
    const n = 300_000
    const e = new EventLengths(capacity)
    const len = (k: number) => (k % 1009 === 0 ? 300 + k : 1 + (k % 250))
    for (let k = 0; k < n; k++) e.push(k * 3, k * 3 + len(k))
    e.seal()
    const bad: number[] = []
    for (let k = 0; k < n; k++) if (e.to(k, k * 3) !== k * 3 + len(k)) bad.push(k)
    for (let k = n - 1; k >= 0; k -= 7) if (e.to(k, k * 3) !== k * 3 + len(k)) bad.push(k)
    expect(bad).toEqual([])
    // A byte a span (the last page trimmed), plus the escaped ones.
    expect(e.bytes).toBeLessThan(n * 1.02)
  })

  it('holds nothing', () => {
    const e = new EventLengths().seal()
    expect(e.length).toBe(0)
    expect(e.bytes).toBe(0)
  })
})

describe('EventList', () => {
  const events = (n: number) => {
    let seed = n
    const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % k)
    const out: number[] = []
    let ev = rnd(1000)
    if (n === 1000) ev = 2 ** 32 - 1 - 2 ** 29
    for (let i = 0; i < n; i++) {
      out.push(ev)
      const kind = rnd(20)
      // Small steps; steps just under and over a varint byte's reach; big ones; now and then a step back.
      ev += kind === 0 ? 255 + rnd(100_000) : kind === 1 ? 127 + rnd(3) : kind === 2 ? 16_383 + rnd(3) : kind === 3 ? -rnd(ev + 1) : kind === 4 ? 2 ** 28 : 1 + rnd(30)
      if (ev > 0xffffffff) ev = rnd(1000) // events are 32-bit
    }
    return out
  }

  it.each([1, 63, 64, 65, 1000])('%i events read back in order, backwards and at random', (n) => {
    const want = events(n)
    const list = new EventList()
    for (const e of want) list.push(e)
    list.seal()
    expect(list.length).toBe(n)
    expect(Array.from({ length: n }, (_, i) => list.at(i))).toEqual(want)
    for (let i = n - 1; i >= 0; i--) expect(list.at(i)).toBe(want[i])
    for (let k = 0; k < 500; k++) {
      const i = (k * 7919) % n
      expect(list.at(i)).toBe(want[i])
    }
    // As spans read them: an item and the next (where it ends), in either order.
    const pairs: number[] = []
    for (let i = 0; i + 1 < n; i++) pairs.push(list.at(i + 1), list.at(i), list.at(i), list.at(i + 1))
    expect(pairs).toEqual(want.slice(0, -1).flatMap((e, i) => [want[i + 1], e, e, want[i + 1]]))
  })

  it.each([16, 1000])('grows by pages from a first page of %i bytes, no block straddling two, and reads back across them', (capacity) => {
    const want = events(400_000)
    const list = new EventList(capacity)
    for (const e of want) list.push(e)
    list.seal()
    const got = new Float64Array(want.length)
    for (let i = 0; i < want.length; i++) got[i] = list.at(i)
    expect(Array.from(got)).toEqual(want)
    const back: number[] = []
    for (let i = want.length - 1; i >= 0; i -= 61) back.push(list.at(i))
    expect(back).toEqual(want.filter((_, i) => (want.length - 1 - i) % 61 === 0).reverse())
    // Several pages, each at most 64 KiB, without much left unused.
    let used = 0
    for (let i = 1; i < want.length; i++) if (i % 64 !== 0) { let d = (want[i]! - want[i - 1]!) >>> 0; used++; while (d >= 0x80) { used++; d >>>= 7 } }
    expect(list.bytes).toBeLessThan(used * 1.02 + (want.length / 64) * 8 * 1.5)
    expect(list.bytes).toBeGreaterThan(used)
  })

  it('holds nothing', () => {
    const list = new EventList().seal()
    expect(list.length).toBe(0)
  })
})

describe('EventsOfTypes', () => {
  // Wake-ups among other events, dense in places, absent for more than a block (and a store chunk) in others.
  const build = (n: number) => {
    const store = new EventStore()
    const want: number[] = []
    let seed = n
    const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % k)
    const kinds = [EV.GoUnblock, EV.GoSwitch, EV.GoSwitchDestroy, EV.GoStart, EV.GoBlock, EV.HeapAlloc]
    const unblocks = new EventsOfTypes(store, UNBLOCK_TYPES)
    for (let i = 0; i < n; i++) {
      const quiet = i > n / 3 && i < n / 3 + 70_000
      const type = quiet ? EV.GoStart : kinds[rnd(kinds.length)]!
      store.push(type, i * 10, 1, 0, 5, 7, 0, 0, 0)
      unblocks.note(i, type)
      if (type === EV.GoUnblock || type === EV.GoSwitch || type === EV.GoSwitchDestroy) want.push(i)
    }
    return { unblocks: unblocks.seal(), want }
  }

  it.each([0, 1, 4096, 200_000])('finds every one of %i events, in order, backwards and at random', (n) => {
    const { unblocks, want } = build(n)
    expect(unblocks.length).toBe(want.length)
    expect(Array.from({ length: want.length }, (_, k) => unblocks.at(k))).toEqual(want)
    const back: number[] = []
    for (let k = want.length - 1; k >= 0; k -= 13) back.push(unblocks.at(k))
    expect(back).toEqual(want.filter((_, k) => (want.length - 1 - k) % 13 === 0).reverse())
    for (let t = 0; t < 300 && want.length > 0; t++) {
      const k = (t * 7919) % want.length
      expect(unblocks.at(k)).toBe(want[k])
    }
    expect(() => unblocks.at(want.length)).toThrow(RangeError)
    // One goroutine's wake-ups, say: onwards with gaps, from where the last read stopped.
    const sparse: number[] = []
    for (let k = 0; k < want.length; k += 1 + (k % 7) * 40) sparse.push(k)
    expect(sparse.map((k) => unblocks.at(k))).toEqual(sparse.map((k) => want[k]))
    // A count per 1 024 events.
    expect(unblocks.bytes).toBe(4 * Math.ceil(n / 1024))
  })
})
