// Span ends kept as event counts from their start: one byte while it fits, the end whole otherwise (long spans,
// the end of the trace), read back the same in any order.
import { describe, expect, it } from 'vitest'
import { EventLengths, TRACE_END } from '../../../src-shared/model/spans'

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
