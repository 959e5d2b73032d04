// The ID table behaves like a Map to indexes for the IDs traces carry: small, in the millions or billions
// (long-running servers), negative (Go's "none"), and near 2^53.
import { describe, expect, it } from 'vitest'
import { IdTable } from '../../../src-shared/trace/id-table'

describe('IdTable', () => {
  it('matches a Map on a mix of IDs, sets and deletes', () => {
    const t = new IdTable()
    const m = new Map<number, number>()
    const ids = [0, 1, 4095, 4096, 4097, 12_345_678, 12_345_679, 3_000_000_000, -1, -4097, 2 ** 53 - 1, 2 ** 40 + 5]
    let seed = 7
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647)
    for (let k = 0; k < 20000; k++) {
      const base = ids[Math.floor(rnd() * ids.length)]!
      const id = base + (base > 2 ** 52 ? 0 : Math.floor(rnd() * 3))
      const op = rnd()
      if (op < 0.5) {
        t.set(id, k)
        m.set(id, k)
      } else if (op < 0.7) {
        t.delete(id)
        m.delete(id)
      }
      expect(t.get(id)).toBe(m.get(id))
      expect(t.has(id)).toBe(m.has(id))
    }
    for (const id of m.keys()) expect(t.get(id)).toBe(m.get(id))
    expect(t.get(999)).toBeUndefined()
  })
  it('keeps index 0 and the largest index, and forgets a deleted one', () => {
    const t = new IdTable()
    t.set(7, 0)
    t.set(3_000_000_000, 2 ** 31 - 1)
    expect(t.get(7)).toBe(0)
    expect(t.has(7)).toBe(true)
    expect(t.get(3_000_000_000)).toBe(2 ** 31 - 1)
    t.delete(7)
    expect(t.get(7)).toBeUndefined()
    expect(t.has(8)).toBe(false)
  })
})
