// The timeline the window draws, built by the data worker's pipeline (our decoder -> tracks), must match the spans
// Go's own parser gives (`go tool trace -d=parsed`) on real traces: every goroutine's states and every P's
// goroutines, exactly, span for span.
import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { buildTimeline } from '../../../src-renderer/src/workers/model-to-timeline'
import { shortFunc, stateCode } from '../../../src-renderer/src/workers/timeline-source'
import { parsedDump, readParsed } from './reference-parsed'

const TRACES = [
  'traces/n-senders/n-senders.go126.trace',
  'traces/n-senders/n-senders.go122.trace',
  'traces/deadlock-cond/deadlock-cond.go126.trace',
  'traces/http-handler/http-handler.go125.trace',
  'traces/range-unclosed/range-unclosed.go123.p1.trace',
  'src-renderer/public/samples/leaky-fetch.go126.trace',
].filter((p) => existsSync(p))

async function* chunksOf(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

/** Adjacent spans with the same value merged, as the timeline stores them. */
function merged(spans: [number, number, number][]): [number, number, number][] {
  const out: [number, number, number][] = []
  for (const s of spans.sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1]
    if (last && last[2] === s[2] && last[1] === s[0]) last[1] = s[1]
    else if (s[1] > s[0]) out.push([...s])
  }
  return out
}

describe.each(TRACES)('%s', (path) => {
  it('draws exactly the goroutine states and P occupancy Go reports', async () => {
    const ref = readParsed(parsedDump(path))
    const loaded = await buildTimeline(path, chunksOf(new Uint8Array(readFileSync(path))), new AbortController().signal, () => undefined)
    const tracks = loaded.store.tracks

    const refG = new Map<number, [number, number, number][]>()
    for (const [g, s, e, state, reason] of ref.goroutineSpans) {
      const code = stateCode(state, reason)
      if (code) (refG.get(g) ?? refG.set(g, []).get(g)!).push([s, e, code])
    }
    const ours = new Map(tracks.filter((t) => t.kind === 'goroutine').map((t) => [t.id, t.spans]))
    for (const [g, spans] of refG) {
      const track = ours.get(g)
      expect(track, `G${g} has a track`).toBeDefined()
      const got: [number, number, number][] = []
      for (let i = 0; i < track!.length; i++) got.push([track!.start[i], track!.end[i], track!.value[i]])
      expect(got, `G${g}`).toEqual(merged(spans))
    }

    const refP = new Map<number, [number, number, number][]>()
    for (const [p, s, e, g] of ref.procSpans) (refP.get(p) ?? refP.set(p, []).get(p)!).push([s, e, g + 1])
    const procs = new Map(tracks.filter((t) => t.kind === 'proc').map((t) => [t.id, t.spans]))
    for (const [p, spans] of refP) {
      const track = procs.get(p)!
      const got: [number, number, number][] = []
      for (let i = 0; i < track.length; i++) got.push([track.start[i], track.end[i], track.value[i]])
      expect(got, `P${p}`).toEqual(merged(spans))
    }
    expect(loaded.summary.endNs).toBe(ref.endNs)

    // Each goroutine track is named for its entry function (or its label), as its record says.
    let named = 0
    for (const t of tracks.filter((t) => t.kind === 'goroutine')) {
      const b = loaded.goroutines.brief(t.id)!
      const fn = b.startFunc || b.label
      expect(t.label).toBe(fn ? `G${t.id} ${shortFunc(fn)}` : `G${t.id}`)
      if (fn) named++
    }
    expect(named).toBeGreaterThan(0)
  })
})
