// Reading spans a range at a time (bucketed by where their events sit) gives what reading them one by one gives:
// start, end, state and, for Waiting spans only, the block reason; for any range, including ranges of one span, ranges that
// end at the last span and the whole table.
import { createReadStream } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadModel } from '../../../src-shared/model/load'
import { STATE, type SpanRange } from '../../../src-shared/model/model'

const range = (n: number): SpanRange => ({ start: new Float64Array(n), end: new Float64Array(n), state: new Uint8Array(n), reason: new Uint32Array(n) })

describe('GoroutineSpans.readRange', () => {
  it.each(['traces/annotated/annotated.go125.trace', 'traces/multigen/multigen.go126.trace', 'traces/http-handler/http-handler.go122.trace', 'traces/preexisting/preexisting.go119.trace'])('%s', async (path) => {
    const m = await loadModel(createReadStream(path) as AsyncIterable<Uint8Array>)
    const s = m.goroutineSpans
    const n = s.length
    expect(n).toBeGreaterThan(10)
    const want = { start: Array.from({ length: n }, (_, i) => s.start(i)), end: Array.from({ length: n }, (_, i) => s.end(i)), state: Array.from({ length: n }, (_, i) => s.state(i)), reason: Array.from({ length: n }, (_, i) => (s.state(i) === STATE.Waiting ? s.reason(i) : 0)) }
    expect(want.reason.some((r) => r !== 0)).toBe(true)
    for (const [a, b] of [[0, n], [0, 1], [n - 1, n], [Math.floor(n / 3), Math.floor((2 * n) / 3)], [5, 6], [n - 7, n]] as const) {
      const got = range(b - a)
      s.readRange(a, b, got)
      expect(Array.from(got.start), `start ${a}..${b}`).toEqual(want.start.slice(a, b))
      expect(Array.from(got.end), `end ${a}..${b}`).toEqual(want.end.slice(a, b))
      expect(Array.from(got.state), `state ${a}..${b}`).toEqual(want.state.slice(a, b))
      expect(Array.from(got.reason), `reason ${a}..${b}`).toEqual(want.reason.slice(a, b))
    }
    // An empty range writes nothing.
    const untouched = range(1)
    untouched.start[0] = -1
    s.readRange(3, 3, untouched)
    expect(untouched.start[0]).toBe(-1)
  })
})
