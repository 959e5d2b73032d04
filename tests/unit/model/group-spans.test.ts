// Goroutine spans kept per goroutine while replaying must read as a plain stable grouping by rank would give them:
// each goroutine's spans in time order, goroutines in rank order, including with one goroutine owning most spans
// (long block chains), gaps of every varint length, states that follow the usual round (kept without a state byte)
// and ones that do not or carry flags, and ends kept apart after a span was staged; in order, backwards, and anywhere
// (from the checkpoints).
import { describe, expect, it } from 'vitest'
import { FROM_ORIGIN, GoroutineSpanLists, TO_TRACE_END } from '../../../src-shared/model/spans'

/** The state a goroutine usually goes to from each (0: before its first span): what the lists keep without a byte. */
const ROUND = [2, 2, 3, 4, 2, 3, 2, 2]

function check(groups: number, rows: number, skew: boolean) {
  let seed = groups * 7919 + rows
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  // order[k]: the goroutine (dense index) of rank k, a permutation as the model's ID order is.
  const order = Uint32Array.from({ length: groups }, (_, i) => i).sort(() => rnd() - 0.5)
  const rank = new Int32Array(groups)
  order.forEach((gi, k) => (rank[gi] = k))
  const lists = new GoroutineSpanLists()
  // [first event, rank, state byte, end kept apart (or -1)]
  const want: number[][] = []
  const lastRow = new Map<number, number>()
  const lastState = new Map<number, number>()
  let ev = 0
  let predicted = 0
  for (let i = 0; i < rows; i++) {
    // Steps of every size, up to the 5-byte varints of 2^28 and more (a few: the events stay below 2^32).
    const step = rnd() < 3 / rows ? Math.floor(rnd() * 2 ** 30) : rnd() < 0.2 ? Math.floor(rnd() * 20000) : 1 + Math.floor(rnd() * 100)
    ev = Math.min(2 ** 32 - 2, ev + step)
    const owner = skew && rnd() < 0.6 ? 3 : Math.floor(rnd() * groups)
    const usual = ROUND[lastState.get(owner) ?? 0]!
    const r = rnd()
    const state = r < 0.7 ? usual : r < 0.8 ? usual | (rnd() < 0.5 ? FROM_ORIGIN : TO_TRACE_END) : Math.floor(rnd() * 6)
    if (state === usual) predicted++
    lists.push(owner, ev, state)
    lastState.set(owner, state & 7)
    lastRow.set(owner, want.length)
    want.push([ev, rank[owner]!, state, -1])
    if (rnd() < 0.15) {
      const to = rnd() < 0.9 && ev < 2 ** 32 - 400 ? ev + 1 + Math.floor(rnd() * 300) : 0xffffffff
      lists.markApart(owner, to)
      want[lastRow.get(owner)!]![3] = to
    }
  }
  if (rows > 1000) expect(predicted).toBeGreaterThan(rows / 2)
  expect(lists.length).toBe(rows)
  want.sort((a, b) => a[1]! - b[1]! || a[0]! - b[0]!) // stable by time within a goroutine
  const { chains, apartBits, apartEnds } = lists.seal(order)
  expect(chains.length).toBe(rows)
  const first = chains.first
  expect(first.length).toBe(groups + 1)
  expect(first[groups]).toBe(rows)
  const got: number[][] = []
  let g = 0
  let apart = 0
  for (let i = 0; i < rows; i++) {
    while (first[g + 1]! <= i) g++
    const from = chains.from(i)
    const isApart = (apartBits[i >> 3]! & (1 << (i & 7))) !== 0
    const row = [from, g, chains.state(i), isApart ? apartEnds.to(apart++, from) : -1]
    got.push([from, row[2]!])
    if (row.join() !== want[i]!.join()) expect({ i, row }).toEqual({ i, row: want[i] })
  }
  expect(apart).toBe(apartEnds.length)
  // Read back: in order, in reverse, and at random.
  const read = (i: number) => {
    const r = [chains.from(i), chains.state(i)]
    if (r.join() !== got[i]!.join()) expect({ i, r }).toEqual({ i, r: got[i] })
  }
  for (let i = 0; i < rows; i++) read(i)
  for (let i = rows - 1; i >= 0; i--) read(i)
  for (let t = 0; t < Math.min(rows, 20000); t++) read(Math.floor(rnd() * rows))
  // Runs of spans at once, from anywhere; reads one by one after each land where the run left the cursor.
  for (let t = 0; t < 40 && rows > 0; t++) {
    const a = Math.floor(rnd() * rows)
    const n = t % 4 === 0 ? rows - a : 1 + Math.floor(rnd() * Math.min(rows - a, 5000))
    const evs = new Uint32Array(n)
    const sts = new Uint8Array(n)
    chains.readInto(a, n, evs, sts)
    for (let k = 0; k < n; k++) if (evs[k] !== got[a + k]![0] || sts[k] !== got[a + k]![1]) expect({ at: a + k, got: [evs[k], sts[k]] }).toEqual({ at: a + k, got: got[a + k] })
    for (const i of [a + n - 1, a + n - 2, a + n, a]) if (i >= 0 && i < rows) read(i)
  }
  if (rows > 0) expect(() => chains.from(rows)).toThrow(RangeError)
}

describe('GoroutineSpanLists', () => {
  it('groups few goroutines', () => check(50, 5000, false))
  it('groups 100 000 goroutines', () => check(100_000, 400_000, false))
  it('groups when one goroutine owns most spans', () => check(5000, 100_000, true))
  it('groups 300 000 goroutines, most with no span', () => check(300_000, 200_000, false))
  it('handles one goroutine and no spans', () => {
    check(1, 10, false)
    check(3000, 0, false)
  })
})
