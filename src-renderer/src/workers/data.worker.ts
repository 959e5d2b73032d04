// The data worker: decodes the trace off the UI thread (or, on the desktop, receives it decoded from the decoder
// process over a port), keeps the model, and answers the page's per-frame questions. A failed or cancelled open
// leaves the previously loaded trace in place.

import type { TimelineStore } from '@shared/timeline/store'
import { loadDecoded, loadTrace, type LoadedTrace } from './load-trace'
import type { FromWorker, ToWorker } from './protocol'

let loaded: LoadedTrace | null = null
let opening: AbortController | null = null
/** The decoder process the open in progress receives from (desktop), and how to fail that receive. */
let receiving: { job: number; fail(message: string): void } | null = null

/** How long an open waits for a decoder's last messages after its process exited cleanly. */
const EXIT_GRACE_MS = 10_000

const post = (message: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer)

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data
  switch (m.type) {
    case 'open':
      void open(m.size, (signal, progress) => loadTrace(m.name, m.size, m.stream, signal, progress))
      break
    case 'open-events':
      void open(m.size, (signal, progress) =>
        loadDecoded(m.name, m.port, signal, progress, (r) => (receiving = { job: m.job, fail: r.fail })),
      )
      break
    case 'decoder-ended': {
      // The decoder process of the open in progress is gone. A crash fails the open at once (with its words). A clean
      // exit normally comes after the last message; but the exit is reported by main and the messages come over the
      // port, so they may still be on their way (a few chunks at most): only an open still unfinished after a grace
      // period fails. Once the receive has settled, fail() does nothing.
      const r = receiving
      if (r?.job !== m.ended.job || m.ended.kind === 'cancelled') break
      if (m.ended.kind === 'crashed') r.fail(m.ended.message)
      else setTimeout(() => r.fail('the decoder stopped before it finished'), EXIT_GRACE_MS)
      break
    }
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

async function open(
  size: number,
  load: (signal: AbortSignal, onProgress: (bytes: number, phase: string) => void) => Promise<LoadedTrace>,
) {
  opening?.abort()
  receiving = null
  const controller = new AbortController()
  opening = controller
  const started = performance.now()
  try {
    const next = await load(controller.signal, (bytes, phase) => {
      if (opening === controller) post({ type: 'progress', bytes, total: size, phase })
    })
    // The model, the leaks and the timeline are built in one go, without taking messages in: a Cancel sent meanwhile
    // is still queued. One turn of the event loop lets it in before the new trace replaces the open one.
    await new Promise((resolve) => setTimeout(resolve, 0))
    if (controller.signal.aborted) throw new DOMException('cancelled', 'AbortError')
    loaded = next
    post({ type: 'loaded', summary: next.summary, decodeMs: performance.now() - started })
  } catch (e) {
    // Superseded by a newer open: the page has already given up on this one, and must not take this for the new one.
    if (opening !== controller) return
    const cancelled = controller.signal.aborted
    post({ type: 'failed', message: cancelled ? 'Opening was cancelled.' : errorText(e), cancelled })
  } finally {
    if (opening === controller) {
      opening = null
      receiving = null
    }
  }
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}
