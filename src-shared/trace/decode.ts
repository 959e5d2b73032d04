// The decoder's entry point for every host: bytes in (any chunk source), ordered events out in an EventStore.
// It reads the header, then decodes one generation at a time (legacy formats: see v1/), reporting progress and
// honouring cancellation. Whatever was decoded before an error is kept and returned beside the error.
import { TraceFormatError } from './errors'
import { EventStore, type EventSink } from './events'
import { LEGACY, parseHeader } from './header'
import { ChunkedInput, type ChunkSource } from './input'
import { decodeV2Threaded, type PipePort } from './v2/pipeline'
import { decodeV2 } from './v2/reader'
import { decodeV1 } from './v1/reader'

export interface DecodeProgress {
  bytesRead: number
  totalBytes?: number
  generations: number
  events: number
}

export interface DecodeOptions {
  /** An AbortSignal, or anything with `aborted`. */
  signal?: { readonly aborted: boolean }
  totalBytes?: number
  onProgress?: (p: DecodeProgress) => void
  /**
   * The (empty) store to decode into; by default a new EventStore. A host that forwards events while they are decoded
   * (the desktop decoder process: a ChunkStore, see transfer.ts) passes its own and takes what was appended between
   * input chunks.
   */
  store?: EventSink
  /**
   * Makes a helper thread that orders events while this one stores them (see v2/pipeline.ts): about 1.5x the decode
   * speed on two cores. Each host has its own (the CLI's and the desktop decoder's worker_threads, the renderer
   * worker's nested Worker); without one, or when it returns null, everything runs in this thread. It is given the
   * trace's size when known (a host may decide a small trace is not worth a helper's start: see keptHelper).
   */
  orderThread?: (totalBytes?: number) => PipePort | null
}

export interface DecodedTrace<S extends EventSink = EventStore> {
  /** Minor version of the header, e.g. 26 for "go 1.26 trace". */
  version: number
  legacy: boolean
  generations: number
  events: S
  bytesRead: number
  /** Set when the input was truncated, corrupt or inconsistent after some point: what precedes it is kept. */
  error: TraceFormatError | null
  /** Threads that decoded it: 2 when a helper thread ordered the events (DecodeOptions.orderThread), else 1. */
  threads: number
}

export async function decodeEvents(source: ChunkSource, opts?: Omit<DecodeOptions, 'store'>): Promise<DecodedTrace>
export async function decodeEvents<S extends EventSink>(source: ChunkSource, opts: DecodeOptions & { store: S }): Promise<DecodedTrace<S>>
export async function decodeEvents(source: ChunkSource, opts: DecodeOptions = {}): Promise<DecodedTrace<EventSink>> {
  let bytesRead = 0
  let generations = 0
  const store = opts.store ?? new EventStore()
  let lastReport = 0
  const report = (force = false) => {
    if (!opts.onProgress) return
    if (!force && bytesRead - lastReport < 1 << 20) return
    lastReport = bytesRead
    opts.onProgress({ bytesRead, totalBytes: opts.totalBytes, generations, events: store.count })
  }
  const input = new ChunkedInput(source, (n) => {
    bytesRead = n
    report()
  })
  await input.fill(16)
  const head = input.view()
  const version = parseHeader(head.bytes.subarray(head.start, Math.min(head.end, head.start + 16)))
  input.consume(16)
  if (LEGACY.has(version)) {
    // Legacy formats: read whole (their tables come last), one generation; see v1/README.md.
    const legacy = await decodeV1(input, version, store, { signal: opts.signal, totalBytes: opts.totalBytes, onPhase: () => report(true) })
    report(true)
    return { version, legacy: true, generations: store.count > 0 ? 1 : 0, events: store, bytesRead, error: legacy.error, threads: 1 }
  }
  const v2opts = {
    signal: opts.signal,
    onGeneration: (n: number) => {
      generations = n
      report(true)
    },
  }
  const port = opts.orderThread?.(opts.totalBytes) ?? null
  const result = port ? await decodeV2Threaded(input, version, store, port, v2opts) : await decodeV2(input, version, store, v2opts)
  if (result.error?.kind === 'cancelled') throw result.error
  generations = result.generations
  report(true)
  return { version, legacy: false, generations, events: store, bytesRead, error: result.error, threads: result.threads }
}
