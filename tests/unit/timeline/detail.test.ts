// The goroutine detail panel's wake-ups (indexed on the first request, not at load) list exactly the model's
// unblock edges of that goroutine, in time order, with who woke it.
import { createReadStream, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadModel } from '../../../src-shared/model/load'
import { buildTimeline } from '../../../src-renderer/src/workers/model-to-timeline'

async function* chunksOf(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

describe('goroutine detail', () => {
  it.each(['traces/n-senders/n-senders.go126.trace', 'traces/retry-sleep/retry-sleep.go125.trace'])('%s: wake-ups per goroutine', async (path) => {
    const loaded = await buildTimeline(path, chunksOf(new Uint8Array(readFileSync(path))), new AbortController().signal, () => undefined)
    const model = await loadModel(createReadStream(path) as AsyncIterable<Uint8Array>)
    const want = new Map<number, { atNs: number; by: number | null }[]>()
    const u = model.unblocks
    for (let i = 0; i < u.length; i++) {
      const g = u.goroutine(i)
      if (!want.has(g)) want.set(g, [])
      want.get(g)!.push({ atNs: u.time(i), by: u.by(i) >= 0 ? u.by(i) : null })
    }
    expect(want.size).toBeGreaterThan(0)
    for (const [g, list] of want) expect(loaded.detail(g)?.unblocks, `G${g}`).toEqual(list)
    // Goroutines never woken have none; asking twice gives the same.
    const never = [...model.goroutines].find((r) => !want.has(r.id))
    if (never) expect(loaded.detail(never.id)?.unblocks).toEqual([])
    const [g0, list0] = [...want][0]!
    expect(loaded.detail(g0)?.unblocks).toEqual(list0)
  })
})
