// Decoding in one place and using the events in another, over a message port: the desktop build runs the decoder in
// its own process (src-main/decoder/process.ts) and the renderer's data worker receives the events. Both ends are
// host-neutral: `serveDecode` takes any chunk source and anything with postMessage; `receiveDecode` anything with
// postMessage/onmessage/close. Flow control: the sender keeps at most SEND_WINDOW chunks unacknowledged, so a slow
// receiver slows the decoder down instead of piling copies up in memory.
import { decodeEvents, type DecodeOptions, type DecodedTrace } from './decode'
import { errorData, reviveError, type TraceFormatErrorData } from './errors'
import { EventStore } from './events'
import type { ChunkSource } from './input'
import { appendChunk, CHUNK_EVENTS, ChunkStore, newCursor, type EventChunk } from './transfer'

/** The decode's outcome without its events (those went ahead in chunks). */
export interface DecodeSummary {
  version: number
  legacy: boolean
  generations: number
  bytesRead: number
  error: TraceFormatErrorData | null
  threads: number
}

/** Messages from the decoder to the receiver. */
export type FromDecoder =
  | { type: 'progress'; bytes: number; total: number }
  | { type: 'events'; chunk: EventChunk }
  | { type: 'done'; summary: DecodeSummary }
  | { type: 'failed'; message: string }

/** Messages from the receiver to the decoder: one ack per chunk appended. */
export type ToDecoder = { type: 'ack' }

/** Chunks the decoder may have in flight before it waits for acknowledgements. */
export const SEND_WINDOW = 8

export interface SenderPort {
  postMessage(message: FromDecoder): void
}

export interface ServeOptions {
  totalBytes?: number
  chunkEvents?: number
  /** See DecodeOptions.orderThread. */
  orderThread?: DecodeOptions['orderThread']
}

export interface Serving {
  /** Settles when everything was sent (or the decode stopped); never rejects. */
  done: Promise<void>
  /** Call for every ack the receiver sends. */
  ack(): void
  /** Stops decoding and sending (the receiver went away). */
  stop(): void
}

/**
 * Decodes `source` and sends the events to `port` while decoding: each chunk as it fills (while fewer than SEND_WINDOW
 * wait for their ack; else when the decoder next asks for bytes), the rest at the end, then `done` (or `failed`).
 */
export function serveDecode(source: ChunkSource, port: SenderPort, opts: ServeOptions = {}): Serving {
  // Events go straight into the columns they are sent in (see ChunkStore), and are let go once sent: each chunk as it
  // fills, while the receiver keeps up (a generation of a big trace would otherwise be held whole until its end).
  const store = new ChunkStore(opts.chunkEvents ?? CHUNK_EVENTS, () => sendReady())
  const cursor = newCursor()
  let inFlight = 0
  let wake: (() => void) | null = null
  let halted = false
  const resume = () => {
    const w = wake
    wake = null
    w?.()
  }
  const ack = () => {
    inFlight = Math.max(0, inFlight - 1)
    resume()
  }
  const stop = () => {
    halted = true
    resume()
  }
  const stopped = () => halted

  /** Sends the whole chunks that are ready, as long as the window has room; never waits. */
  function sendReady(): void {
    while (!stopped() && inFlight < SEND_WINDOW) {
      const chunk = store.take(cursor, false)
      if (!chunk) return
      port.postMessage({ type: 'events', chunk })
      inFlight++
    }
  }

  /** Sends what is ready (all of it when `final`), waiting for acks when too much is in flight. */
  async function flush(final: boolean): Promise<void> {
    for (;;) {
      // The window may be full already: sendReady sends while the decode goes on.
      // Chained: a flush waiting already (the decoder's, between input chunks) is woken too.
      while (inFlight >= SEND_WINDOW && !stopped()) {
        await new Promise<void>((resolve) => {
          const before = wake
          wake = () => (before?.(), resolve())
        })
      }
      if (stopped()) return
      const chunk = store.take(cursor, final)
      if (!chunk) return
      // Across processes the message is copied anyway (and Electron's MessagePortMain cannot transfer buffers).
      port.postMessage({ type: 'events', chunk })
      inFlight++
    }
  }

  async function* feed(): AsyncGenerator<Uint8Array> {
    const it = Symbol.asyncIterator in source ? (source as AsyncIterable<Uint8Array>) : (source as Iterable<Uint8Array>)
    for await (const bytes of it) {
      await flush(false)
      yield bytes
    }
  }

  const done = (async () => {
    try {
      const total = opts.totalBytes ?? 0
      const decoded = await decodeEvents(feed(), {
        store,
        signal: { get aborted() { return halted } },
        totalBytes: opts.totalBytes,
        orderThread: opts.orderThread,
        onProgress: (p) => port.postMessage({ type: 'progress', bytes: p.bytesRead, total }),
      })
      await flush(true)
      if (stopped()) return
      const e = decoded.error
      port.postMessage({
        type: 'done',
        summary: {
          version: decoded.version,
          legacy: decoded.legacy,
          generations: decoded.generations,
          bytesRead: decoded.bytesRead,
          threads: decoded.threads,
          error: e ? errorData(e) : null,
        },
      })
    } catch (e) {
      if (!stopped()) port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) })
    }
  })()
  return { done, ack, stop }
}

export interface ReceiverPort {
  postMessage(message: ToDecoder): void
  onmessage: ((event: { data: unknown }) => void) | null
  close(): void
}

/** The part of an AbortSignal the receiver uses. */
export interface AbortLike {
  readonly aborted: boolean
  addEventListener(type: 'abort', listener: () => void): void
  removeEventListener(type: 'abort', listener: () => void): void
}

export interface ReceiveOptions {
  signal?: AbortLike
  onProgress?: (bytes: number, total: number) => void
}

/** A receive in progress: the trace once `done` arrives; `fail` ends it early (e.g. the decoder process crashed). */
export interface Receiving {
  result: Promise<DecodedTrace>
  fail(message: string): void
}

/**
 * Builds the decoded trace from a decoder's messages. Rejects on the decoder's `failed`, on a chunk that does not
 * fit, on `fail()`, or with an AbortError when the signal fires; the port is closed in every case, which tells the
 * decoder to stop.
 */
export function receiveDecode(port: ReceiverPort, opts: ReceiveOptions = {}): Receiving {
  const store = new EventStore()
  let settle: { resolve(t: DecodedTrace): void; reject(e: Error): void } | null = null
  const result = new Promise<DecodedTrace>((resolve, reject) => (settle = { resolve, reject }))
  const finish = (outcome: DecodedTrace | Error) => {
    if (!settle) return
    const s = settle
    settle = null
    port.onmessage = null
    port.close()
    opts.signal?.removeEventListener('abort', onAbort)
    if (outcome instanceof Error) s.reject(outcome)
    else s.resolve(outcome)
  }
  const onAbort = () => finish(new DOMExceptionLike('cancelled', 'AbortError'))
  if (opts.signal?.aborted) onAbort()
  else opts.signal?.addEventListener('abort', onAbort)

  port.onmessage = (event) => {
    const m = event.data as FromDecoder
    if (typeof m !== 'object' || m === null) return finish(new Error('the decoder sent something unreadable'))
    try {
      switch (m.type) {
        case 'progress':
          opts.onProgress?.(Number(m.bytes) || 0, Number(m.total) || 0)
          return
        case 'events':
          appendChunk(store, m.chunk)
          port.postMessage({ type: 'ack' })
          return
        case 'done':
          return finish(decodedOf(store, m.summary))
        case 'failed':
          return finish(new Error(String(m.message)))
        default:
          return finish(new Error('the decoder sent something unreadable'))
      }
    } catch (e) {
      finish(e instanceof Error ? e : new Error(String(e)))
    }
  }
  return { result, fail: (message) => finish(new Error(message)) }
}

/** An Error named AbortError (DOMException is not part of the host-neutral library set). */
class DOMExceptionLike extends Error {
  constructor(message: string, name: string) {
    super(message)
    this.name = name
  }
}

function decodedOf(events: EventStore, s: DecodeSummary): DecodedTrace {
  if (typeof s !== 'object' || s === null) throw new Error('the decoder sent no summary')
  const error = s.error ? reviveError(s.error) : null
  const int = (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : 0)
  return { version: int(s.version), legacy: s.legacy === true, generations: int(s.generations), events, bytesRead: int(s.bytesRead), error, threads: s.threads === 2 ? 2 : 1 }
}
