// Goroutines found parked when the trace starts (Go gives their stack, not a reason) are coloured by what their stack
// says they wait for, as the leak analysis reads it: a flight-recorder snapshot is mostly such goroutines.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildTimeline } from '../../../src-renderer/src/workers/model-to-timeline'
import { GState } from '../../../src-shared/timeline/states'

describe('goroutines found parked', () => {
  it('preexisting.go126: the five subscribers waiting since before the trace are "blocked: chan", not "blocked: other"', async () => {
    const path = 'traces/preexisting/preexisting.go126.trace'
    const bytes = new Uint8Array(readFileSync(path))
    const loaded = await buildTimeline(path, (async function* () { yield bytes })(), new AbortController().signal, () => undefined)
    const subscribers = loaded.summary.leaks.find((g) => g.origin.startsWith('before the trace') && g.origin.includes('main.subscriber'))!
    expect(subscribers.goroutineIds).toHaveLength(5)
    const meta = loaded.store.meta()
    for (const id of subscribers.goroutineIds) {
      const track = meta.findIndex((t) => t.kind === 'goroutine' && t.id === id)
      expect(loaded.store.hit(track, 1)?.value, `G${id}`).toBe(GState.WaitChan)
    }
  })
})
