// M tracks are hidden until asked for: the load does not read the model's thread runs for them, and the first use
// makes the same tracks the runs give (each M's runs in time order), which hold the same runs as the P tracks.
import { createReadStream } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { analyzeLeaks } from '../../../src-shared/analysis/leaks'
import { loadModel } from '../../../src-shared/model/load'
import { leakGroupsOf } from '../../../src-renderer/src/workers/leaks'
import { sourceOf } from '../../../src-renderer/src/workers/model-to-timeline'
import { buildFromSource, type ResourceSpanColumns } from '../../../src-renderer/src/workers/timeline-source'

describe('M tracks', () => {
  it.each(['traces/n-senders/n-senders.go126.trace', 'traces/http-handler/http-handler.go125.trace'])('%s: made on first use', async (path) => {
    const model = await loadModel(createReadStream(path) as AsyncIterable<Uint8Array>)
    const src = sourceOf(path, model, leakGroupsOf(analyzeLeaks(model)), null)
    const runs = src.threadSpans
    let reads = 0
    const counted: ResourceSpanColumns = {
      length: runs.length,
      resource: (i) => runs.resource(i),
      goroutine: (i) => (reads++, runs.goroutine(i)),
      start: (i) => (reads++, runs.start(i)),
      end: (i) => (reads++, runs.end(i)),
    }
    const built = buildFromSource({ ...src, threadSpans: counted })
    built.store.warm()
    const threads = built.store.tracks.filter((t) => t.kind === 'thread')
    expect(threads.length).toBeGreaterThan(1)
    expect(reads, 'thread runs read at load').toBe(0)
    // Each M's runs, as the model gives them.
    const want = new Map<number, number[][]>()
    for (let i = 0; i < runs.length; i++) {
      const list = want.get(runs.resource(i)) ?? want.set(runs.resource(i), []).get(runs.resource(i))!
      if (runs.end(i) > runs.start(i)) list.push([runs.start(i), runs.end(i), runs.goroutine(i) + 1])
    }
    expect(threads.map((t) => t.id)).toEqual([...want.keys()])
    const all = (kind: string) => built.store.tracks.filter((t) => t.kind === kind).flatMap((t) => Array.from({ length: t.spans.length }, (_, i) => `${t.spans.start[i]} ${t.spans.end[i]} ${t.spans.value[i]}`)).sort()
    for (const t of threads) {
      const got = Array.from({ length: t.spans.length }, (_, i) => [t.spans.start[i]!, t.spans.end[i]!, t.spans.value[i]!])
      expect(got, `M${t.id}`).toEqual(want.get(t.id))
    }
    expect(reads).toBeGreaterThan(0)
    // The same runs as on the Ps.
    expect(all('thread')).toEqual(all('proc'))
  })
})
