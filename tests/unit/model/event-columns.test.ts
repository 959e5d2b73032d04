// Event columns kept as small numbers: span ends as event counts from their start, and ascending lists of events as
// gaps, one byte while it fits and the event whole otherwise; read back the same in any order.
import { describe, expect, it } from 'vitest'
import { EventLengths, EventList, TRACE_END } from '../../../src-shared/model/spans'

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

  it('holds nothing', () => {
    const list = new EventList().seal()
    expect(list.length).toBe(0)
  })
})
