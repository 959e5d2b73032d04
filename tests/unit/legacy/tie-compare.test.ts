// The parity comparator forgives only reordered equal-time windows; these cases prove it still catches real changes.
import { describe, expect, it } from 'vitest'
import { compareDumps } from './tie-compare'

const ev = (t: number, g: number, what = 'Running->Waiting') => `M=1 P=0 G=${g} StateTransition Time=${t} GoID=${g} ${what} Reason=""`
const dump = (lines: string[]) => lines.join('\n') + '\n'

describe('compareDumps', () => {
  it('accepts identical dumps with no tie windows', () => {
    const d = dump([ev(1, 1), ev(2, 2)])
    expect(compareDumps(d, d)).toEqual({ equal: true, tieWindows: 0 })
  })
  it('forgives two events swapped at bumped equal times', () => {
    expect(compareDumps(dump([ev(5, 1), ev(6, 2), ev(9, 3)]), dump([ev(5, 2), ev(6, 1), ev(9, 3)]))).toEqual({ equal: true, tieWindows: 1 })
  })
  it('catches a changed event', () => {
    const r = compareDumps(dump([ev(5, 1), ev(6, 2)]), dump([ev(5, 1), ev(6, 2, 'Running->Runnable')]))
    expect(r.equal).toBe(false)
    expect(r.firstDiff).toContain('event 1')
  })
  it('catches a changed time', () => {
    expect(compareDumps(dump([ev(5, 1)]), dump([ev(7, 1)])).equal).toBe(false)
  })
  it('catches a missing event and a changed stack', () => {
    expect(compareDumps(dump([ev(5, 1), ev(6, 2)]), dump([ev(5, 1)])).equal).toBe(false)
    expect(compareDumps(dump([ev(5, 1) + '\nStack=\n\tf @ 0x1\n\t\ta.go:1']), dump([ev(5, 1) + '\nStack=\n\tf @ 0x1\n\t\ta.go:2'])).equal).toBe(false)
  })
})
