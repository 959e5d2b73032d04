// Staging rows grow in chunks (small first, then full size): every row reads back the same.
import { describe, expect, it } from 'vitest'
import { Rows } from '../../../src-shared/model/spans'

describe('Rows', () => {
  it.each([0, 1, 255, 256, 257, 65_279, 65_280, 65_281, 300_000])('%i rows read back by index', (n) => {
    const r = new Rows(2)
    for (let i = 0; i < n; i++) r.push(i, (i * 2654435761) >>> 0)
    expect(r.length).toBe(n)
    for (let i = 0; i < n; i += i < 70_000 ? 1 : 97) {
      if (r.get(i, 0) !== i || r.get(i, 1) !== (i * 2654435761) >>> 0) expect([i, r.get(i, 0), r.get(i, 1)]).toEqual([i, i, (i * 2654435761) >>> 0])
    }
  })
})
