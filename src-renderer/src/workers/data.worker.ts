// The data worker: decodes the trace off the UI thread, keeps the model, and answers the page's per-frame
// questions. A failed or cancelled open leaves the previously loaded trace in place.

import type { TimelineStore } from '@shared/timeline/store'
import { loadTrace, type LoadedTrace } from './load-trace'
import type { FromWorker, ToWorker } from './protocol'

let loaded: LoadedTrace | null = null
let opening: AbortController | null = null

const post = (message: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer)

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data
  switch (m.type) {
    case 'open':
      void open(m.name, m.size, m.stream)
      break
    case 'cancel':
      opening?.abort()
      break
    case 'runs': {
      const runs = store()?.runs(m.win, m.tracks) ?? m.tracks.map(() => new Uint32Array(0))
      post({ type: 'runs', seq: m.seq, runs }, runs.map((r) => r.buffer as ArrayBuffer))
      break
    }
    case 'summary': {
      const byState = store()?.timeByValue('goroutine', m.startNs, m.endNs) ?? new Map<number, number>()
      post({ type: 'summary', seq: m.seq, byState: [...byState].sort((a, b) => b[1] - a[1]) })
      break
    }
    case 'hit': {
      const hit = store()?.near(m.track, m.t, m.slackNs) ?? null
      // The goroutine the tooltip is about: the track's own, or the one running on a P or M.
      const track = hit ? store()?.tracks[hit.track] : undefined
      const g = !track ? null : track.kind === 'goroutine' ? track.id : track.kind === 'proc' || track.kind === 'thread' ? hit!.value - 1 : null
      post({ type: 'hit', seq: m.seq, hit, goroutine: g === null ? null : (loaded?.goroutines.brief(g) ?? null) })
      break
    }
    case 'goroutines': {
      const page = loaded?.goroutines.search(m.query, m.offset, m.limit) ?? { matches: 0, rows: [] }
      post({ type: 'goroutines', seq: m.seq, ...page })
      break
    }
    case 'plots': {
      const plots = store()?.plots(m.win) ?? []
      post({ type: 'plots', seq: m.seq, plots }, plots.flatMap((p) => [p.min.buffer as ArrayBuffer, p.max.buffer as ArrayBuffer]))
      break
    }
    case 'report':
      post({ type: 'report', seq: m.seq, html: loaded ? loaded.report() : null })
      break
    case 'goroutine':
      post({ type: 'goroutine', seq: m.seq, detail: loaded?.detail(m.id) ?? null })
      break
  }
}

function store(): TimelineStore | null {
  return loaded?.store ?? null
}

async function open(name: string, size: number, stream: ReadableStream<Uint8Array>) {
  opening?.abort()
  const controller = new AbortController()
  opening = controller
  const started = performance.now()
  try {
    const next = await loadTrace(name, size, stream, controller.signal, (bytes, phase) =>
      post({ type: 'progress', bytes, total: size, phase }),
    )
    if (controller.signal.aborted) throw new DOMException('cancelled', 'AbortError')
    loaded = next
    post({ type: 'loaded', summary: next.summary, decodeMs: performance.now() - started })
  } catch (e) {
    const cancelled = controller.signal.aborted
    post({ type: 'failed', message: cancelled ? 'Opening was cancelled.' : errorText(e), cancelled })
  } finally {
    if (opening === controller) opening = null
  }
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}
