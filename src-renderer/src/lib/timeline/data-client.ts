// The page's side of the data worker: one worker for the window's life, request/reply by sequence number.

import type { FromWorker, GoroutineBrief, GoroutineDetail, GoroutineRow, ToWorker, TraceSummary } from '../../workers/protocol'
import type { PixelWindow } from '@shared/timeline/pyramid'
import type { PlotPixels, SpanHit } from '@shared/timeline/store'
import type { TraceInput } from '@shared/platform/api'

export interface OpenCallbacks {
  onProgress(bytes: number, total: number, phase: string): void
}

type Reply = Extract<FromWorker, { seq: number }>

export class DataClient {
  private readonly worker = new Worker(new URL('../../workers/data.worker.ts', import.meta.url), { type: 'module' })
  private seq = 0
  private readonly waiting = new Map<number, (reply: Reply) => void>()
  private opening: { resolve(s: { summary: TraceSummary; decodeMs: number }): void; reject(e: Error): void; cb: OpenCallbacks } | null = null
  /** The decoder process of the open in progress (desktop): how to kill it, and to stop hearing of it. */
  private decoder: { cancel(): void; off(): void } | null = null

  constructor() {
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data)
    this.worker.onerror = (event) => {
      const message = event.message || 'the data worker failed'
      this.opening?.reject(new Error(message))
      this.opening = null
      this.endOpen(true)
    }
  }

  /**
   * Opens a trace in the worker: a byte stream it decodes, or (desktop) the port of a decoder process whose events it
   * receives. Resolves when the trace is decoded and analysed.
   */
  open(name: string, size: number, input: ReadableStream<Uint8Array> | TraceInput, cb: OpenCallbacks): Promise<{ summary: TraceSummary; decodeMs: number }> {
    const superseded = new Error('superseded by another open')
    superseded.name = 'AbortError'
    this.opening?.reject(superseded)
    this.endOpen(true)
    const source: TraceInput = input instanceof ReadableStream ? { kind: 'bytes', stream: input } : input
    return new Promise((resolve, reject) => {
      this.opening = { resolve, reject, cb }
      if (source.kind === 'bytes') {
        this.send({ type: 'open', name, size, stream: source.stream }, [source.stream as unknown as Transferable])
        return
      }
      const off = source.onEnded((ended) => this.send({ type: 'decoder-ended', ended }))
      this.decoder = { cancel: source.cancel, off }
      this.send({ type: 'open-events', name, size, job: source.job, port: source.port }, [source.port])
    })
  }

  cancel(): void {
    this.send({ type: 'cancel' })
    this.endOpen(true)
  }

  /** Forgets the decoder process of the open that just ended (killing it when the open was abandoned). */
  private endOpen(kill: boolean): void {
    const d = this.decoder
    this.decoder = null
    d?.off()
    if (kill) d?.cancel()
  }

  /** Ends the worker (a client made for one view, e.g. a comparison, that is going away). */
  dispose(): void {
    this.worker.terminate()
  }

  runs(win: PixelWindow, tracks: number[]): Promise<Uint32Array[]> {
    return this.ask({ type: 'runs', seq: 0, win, tracks }).then((r) => (r.type === 'runs' ? r.runs : []))
  }

  summary(startNs: number, endNs: number): Promise<[number, number][]> {
    return this.ask({ type: 'summary', seq: 0, startNs, endNs }).then((r) => (r.type === 'summary' ? r.byState : []))
  }

  /** The span under time t on a track (within slackNs), with the goroutine it is about (its own, or the one on a P/M). */
  hit(track: number, t: number, slackNs: number): Promise<{ hit: SpanHit | null; goroutine: GoroutineBrief | null }> {
    return this.ask({ type: 'hit', seq: 0, track, t, slackNs }).then((r) => (r.type === 'hit' ? r : { hit: null, goroutine: null }))
  }

  /** Rows [offset, offset + limit) of the goroutines matching a search, and how many match. */
  goroutines(query: string, offset: number, limit: number): Promise<{ matches: number; rows: GoroutineRow[] }> {
    return this.ask({ type: 'goroutines', seq: 0, query, offset, limit }).then((r) => (r.type === 'goroutines' ? r : { matches: 0, rows: [] }))
  }

  plots(win: PixelWindow): Promise<PlotPixels[]> {
    return this.ask({ type: 'plots', seq: 0, win }).then((r) => (r.type === 'plots' ? r.plots : []))
  }

  /** The HTML leak report of the open trace, rendered in the worker (null when nothing is open). */
  report(): Promise<string | null> {
    return this.ask({ type: 'report', seq: 0 }).then((r) => (r.type === 'report' ? r.html : null))
  }

  goroutine(id: number): Promise<GoroutineDetail | null> {
    return this.ask({ type: 'goroutine', seq: 0, id }).then((r) => (r.type === 'goroutine' ? r.detail : null))
  }

  private ask(message: Extract<ToWorker, { seq: number }>): Promise<Reply> {
    const seq = ++this.seq
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve)
      this.send({ ...message, seq })
    })
  }

  private send(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer)
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'progress':
        this.opening?.cb.onProgress(m.bytes, m.total, m.phase)
        return
      case 'loaded':
        this.opening?.resolve({ summary: m.summary, decodeMs: m.decodeMs })
        this.opening = null
        this.endOpen(false)
        return
      case 'failed': {
        const error = new Error(m.message)
        // A cancel is the user's choice, not a failure: callers tell them apart by name.
        if (m.cancelled) error.name = 'AbortError'
        this.opening?.reject(error)
        this.opening = null
        this.endOpen(false)
        return
      }
      default: {
        const resolve = this.waiting.get(m.seq)
        this.waiting.delete(m.seq)
        resolve?.(m)
      }
    }
  }
}
