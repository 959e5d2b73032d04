// Regrouping staged spans by goroutine must equal a plain stable sort by rank, including with enough goroutines
// for the two-pass (bucketed) path and with one goroutine owning most spans; flags marked on a staged span after
// it was staged travel with it.
import { describe, expect, it } from 'vitest'
import { END_APART, SpanStaging, groupSpanRows } from '../../../src-shared/model/spans'

function check(groups: number, rows: number, skew: boolean) {
  let seed = groups * 7919 + rows
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  // Ranks are a permutation of owners, as the model's are (owner = dense index, rank = position in ID order).
  const rank = Int32Array.from({ length: groups }, (_, i) => i).sort(() => rnd() - 0.5)
  const staged = new SpanStaging()
  const want: number[][] = []
  for (let i = 0; i < rows; i++) {
    const owner = skew && rnd() < 0.6 ? 3 : Math.floor(rnd() * groups)
    const row = [i * 10, owner, Math.floor(rnd() * 6)]
    expect(staged.push(row[0]!, row[1]!, row[2]!)).toBe(i)
    want.push([row[0]!, rank[owner]!, row[2]!])
  }
  for (let i = 0; i < rows; i += 7) {
    staged.mark(i, END_APART)
    want[i]![2]! |= END_APART
  }
  want.sort((a, b) => a[1]! - b[1]! || a[0]! - b[0]!) // stable by time within a goroutine
  const got: number[][] = []
  const first = groupSpanRows(staged, rank, groups, (from, state) => got.push([from, state]))
  expect(got.length).toBe(rows)
  expect(first.length).toBe(groups + 1)
  expect(first[groups]).toBe(rows)
  let g = 0
  for (let i = 0; i < rows; i++) {
    while (first[g + 1]! <= i) g++
    const row = [got[i]![0], g, got[i]![1]]
    if (row.join() !== want[i]!.join()) expect({ i, row }).toEqual({ i, row: want[i] })
  }
  expect(staged.pairs).toHaveLength(0)
}

describe('groupSpanRows', () => {
  it('groups few goroutines in one pass', () => check(50, 5000, false))
  it('groups 100 000 goroutines in buckets', () => check(100_000, 400_000, false))
  it('groups when one goroutine owns most spans', () => check(5000, 100_000, true))
  it('groups 300 000 goroutines (buckets of more than 256 ranks)', () => check(300_000, 200_000, false))
  it('handles one goroutine and no spans', () => {
    check(1, 10, false)
    check(3000, 0, false)
  })
})
