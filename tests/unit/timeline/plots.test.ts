// The goroutine-count plots read the model's compact count table a piece at a time (never expanded to columns): each
// state's plot must equal the exact decimation of that state's counts as plain arrays, zoomed out and in.
import { createReadStream, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadModel } from '../../../src-shared/model/load'
import { arraySeries, decimate } from '../../../src-shared/timeline/series'
import { buildTimeline } from '../../../src-renderer/src/workers/model-to-timeline'

async function* chunksOf(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

describe('goroutine-count plots', () => {
  it.each(['traces/annotated/annotated.go125.trace', 'traces/multigen/multigen.go122.trace', 'traces/retry-sleep/retry-sleep.go126.trace'])('%s: each state plots its own counts', async (path) => {
    const loaded = await buildTimeline(path, chunksOf(new Uint8Array(readFileSync(path))), new AbortController().signal, () => undefined)
    const model = await loadModel(createReadStream(path) as AsyncIterable<Uint8Array>)
    const c = model.goroutineCounts
    expect(c.length).toBeGreaterThan(500)
    const times = new Float64Array(c.length)
    const byState = [0, 1, 2, 3].map(() => new Float64Array(c.length))
    let i = 0
    c.forEach((t, ...n) => {
      times[i] = t
      n.forEach((v, k) => (byState[k]![i] = v))
      i++
    })
    const names = ['runnable', 'running', 'waiting', 'syscall']
    const meta = loaded.summary.series
    const end = loaded.store.endNs
    for (const [startNs, nsPerPx, width] of [[0, end / 800, 800], [end / 3, end / 3 / 5000, 900], [times[c.length >> 1]! - 500, 1, 600]] as const) {
      const plots = loaded.store.plots({ startNs, nsPerPx, width })
      names.forEach((name, k) => {
        const at = meta.findIndex((s) => s.name === name)
        const want = decimate(arraySeries(times, byState[k]!), startNs, nsPerPx, width)
        // Zoomed out, the plots answer from a coarse summary (exact per bucket): compare the exact scan's envelope.
        if (nsPerPx >= end / 65536) {
          const lo = Math.min(...want.min.filter((v) => !Number.isNaN(v)))
          const hi = Math.max(...want.max.filter((v) => !Number.isNaN(v)))
          expect(Math.min(...plots[at]!.min.filter((v) => !Number.isNaN(v))), name).toBe(lo)
          expect(Math.max(...plots[at]!.max.filter((v) => !Number.isNaN(v))), name).toBe(hi)
        } else {
          expect(Array.from(plots[at]!.min), `${name} min`).toEqual(Array.from(want.min))
          expect(Array.from(plots[at]!.max), `${name} max`).toEqual(Array.from(want.max))
        }
      })
    }
    // A series' max is the largest count it shows.
    names.forEach((name, k) => expect(meta.find((s) => s.name === name)!.max, name).toBe(Math.max(0, ...byState[k]!)))
  })
})
