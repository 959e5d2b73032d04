// From a byte stream to what the worker keeps: decode (the shared decoder), analyse (the shared leak analysis),
// and turn the model into timeline tracks. Runs only inside the data worker. On the desktop the decoding is done by
// a decoder process and the events arrive over a port (loadDecoded); the rest is the same.

import type { TimelineStore } from '@shared/timeline/store'
import type { GoroutineDetail, TraceSummary } from './protocol'
import type { PagePort } from '@shared/platform/api'
import { receiveDecode, type ReceiverPort, type Receiving } from '@shared/trace/remote'
import { buildTimeline, timelineOf } from './model-to-timeline'
import type { GoroutineList } from './goroutine-list'

export interface LoadedTrace {
  store: TimelineStore
  summary: TraceSummary
  goroutines: GoroutineList
  detail(id: number): GoroutineDetail | null
  /** The self-contained HTML leak report of this trace (src-shared/report). */
  report(): string
}

/** Yields the stream's chunks, reporting bytes read; stops (with an AbortError) when the signal fires. */
export async function* chunksOf(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  let bytes = 0
  try {
    for (;;) {
      if (signal.aborted) throw new DOMException('cancelled', 'AbortError')
      const { done, value } = await reader.read()
      if (done) return
      bytes += value.byteLength
      onBytes(bytes)
      yield value
    }
  } finally {
    void reader.cancel().catch(() => undefined)
  }
}

export async function loadTrace(
  name: string,
  size: number,
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  onProgress: (bytes: number, phase: string) => void,
): Promise<LoadedTrace> {
  let last = 0
  const chunks = chunksOf(stream, signal, (bytes) => {
    // Progress at most every 1 MB (or per chunk for small files) so messages never flood the page.
    if (bytes - last >= 1 << 20 || bytes === size) {
      last = bytes
      onProgress(bytes, 'decoding')
    }
  })
  return buildTimeline(name, chunks, signal, (phase) => onProgress(last, phase), size || undefined)
}

/**
 * Builds the trace from events a decoder process sends over `port`. `onReceiving` gets the receive in progress, so
 * that a crash of that process (reported by main, not over the port) can fail it.
 */
export async function loadDecoded(
  name: string,
  port: PagePort,
  signal: AbortSignal,
  onProgress: (bytes: number, phase: string) => void,
  onReceiving: (r: Receiving) => void,
): Promise<LoadedTrace> {
  let last = 0
  const receiving = receiveDecode(port as unknown as ReceiverPort, {
    signal,
    onProgress: (bytes) => onProgress((last = bytes), 'decoding'),
  })
  onReceiving(receiving)
  const decoded = await receiving.result
  return timelineOf(name, decoded, (phase) => onProgress(last, phase))
}
