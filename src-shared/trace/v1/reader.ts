// Decodes a legacy (Go 1.11-1.21) trace. Unlike the current format, it cannot be streamed: the string and stack
// tables and the tick frequency are written after all events, so the whole file is read first, into ONE buffer
// (progress is reported while it arrives), then pass 1 indexes the batches and pass 2 decodes them in order.
// Like Go's reader, any error rejects the trace as a whole: nothing is ordered until everything is consistent.
import { TraceFormatError, guard } from '../errors'
import type { EventSink } from '../events'
import type { ChunkedInput } from '../input'
import { convertEvents } from './convert'
import { orderEvents } from './order'
import { V1Parser } from './parser'

export interface V1Options {
  signal?: { readonly aborted: boolean }
  /** Size of the whole file when known, so the buffer is allocated once. */
  totalBytes?: number
  /** Called as each pass starts, and every 64K events while converting (the store's count shows how far). */
  onPhase?: (phase: 'read' | 'index' | 'order' | 'convert') => void
}

/** Reads the rest of the input (after the header) into one buffer, growing it only when the size is unknown. */
export async function readRest(input: ChunkedInput, sizeHint: number | undefined, signal?: { readonly aborted: boolean }): Promise<Uint8Array> {
  let buf = new Uint8Array(Math.max(0, sizeHint ?? 1 << 20))
  let len = 0
  for (;;) {
    if (signal?.aborted) throw new TraceFormatError('cancelled', 'cancelled', -1)
    const n = await input.fill(1)
    if (n === 0) break
    const v = input.view()
    if (len + n > buf.length) {
      const next = new Uint8Array(Math.max(buf.length * 2, len + n))
      next.set(buf.subarray(0, len))
      buf = next
    }
    buf.set(v.bytes.subarray(v.start, v.end), len)
    len += n
    input.consume(n)
  }
  return len === buf.length ? buf : buf.subarray(0, len)
}

export async function decodeV1(input: ChunkedInput, version: number, store: EventSink, opts: V1Options = {}): Promise<{ error: TraceFormatError | null }> {
  opts.onPhase?.('read')
  const hint = opts.totalBytes !== undefined ? opts.totalBytes - input.offset : undefined
  const bytes = await readRest(input, hint, opts.signal)
  try {
    const parser = new V1Parser(bytes, version)
    opts.onPhase?.('index')
    guard(() => -1, () => parser.collect(opts.signal))
    opts.onPhase?.('order')
    const events = guard(() => -1, () => orderEvents(parser, opts.signal))
    opts.onPhase?.('convert')
    guard(() => -1, () => convertEvents(events, parser, version, store, opts.signal, () => opts.onPhase?.('convert')))
    return { error: null }
  } catch (err) {
    if (!(err instanceof TraceFormatError)) throw err
    if (err.kind === 'cancelled') throw err
    // Go's reader keeps nothing of a legacy trace it cannot parse or order (the store has nothing yet: events are
    // only added while converting); a conversion error (an event type the current format has no name for) comes
    // mid-stream, after the events before it were delivered.
    return { error: err }
  }
}
