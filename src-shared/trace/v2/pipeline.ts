// Decoding a Go 1.22+ trace on two threads: a helper thread reads the bytes and orders the events (reader.ts), this
// thread checks and stores them (writer.ts). The two halves cost about the same, so on two cores the decode takes
// about as long as the slower half. The output is the same as decodeV2's, event for event and error for error.
//
// Protocol (over any message port; the host makes the thread, see the hosts' order-thread files):
//   here -> helper   start {version, offset}, bytes {chunk}, eof, free {buffer}, wake
//   helper -> here   ready, events {ints, times, count, wide, names, tables, cuts}, ack {bytes},
//                    end {generations, error} | crash
// Nothing is handed over before `ready`: a helper that cannot start (a crash first) leaves the decode to this thread.
// A helper takes one decode after another: one kept from an earlier decode (see keptHelper), its code by then
// optimized by V8 where a new one starts cold, is asked again with `wake` and answers `ready`.
// Bytes are handed over with flow control (at most IN_FLIGHT unread bytes in the helper), events come back in
// batches of records, and record buffers go back to the helper to be reused.
import { TraceFormatError, errorData, reviveError, type TraceFormatErrorData } from '../errors'
import type { EventSink } from '../events'
import { ChunkedInput } from '../input'
import { decodeV2, orderV2, type V2Options, type V2Result } from './reader'
import { StoreWriter, type GenerationTables, type OrderedOutput } from './writer'

/** A message port as both hosts have it (a Web Worker or worker_threads, wrapped by the host). */
export interface PipePort {
  post(message: PipeMessage, transfer?: ArrayBuffer[]): void
  /** Sets the one handler for incoming messages. */
  listen(handler: (message: PipeMessage) => void): void
  /**
   * Ends the helper (or, on the helper's side, its port). `clean`: the decode ended cleanly, the helper has read its
   * input (that many bytes) to the end and waits for another (keptHelper may keep it instead).
   */
  close(clean?: { bytes: number }): void
  /** While kept between decodes: whether it may keep its host alive (a Node worker should not). */
  rest?(resting: boolean): void
}

export type PipeMessage =
  | { k: 'start'; version: number; offset: number }
  | { k: 'bytes'; chunk: Uint8Array }
  | { k: 'eof' }
  | { k: 'wake' }
  | { k: 'free'; ints: Int32Array; times: Float64Array }
  | { k: 'events'; ints: Int32Array; times: Float64Array; count: number; wide: number[]; names: [number, string][]; tables: GenerationTables[]; cuts: (TraceFormatErrorData | null)[] }
  | { k: 'ready' }
  | { k: 'ack'; bytes: number }
  | { k: 'end'; generations: number; error: TraceFormatErrorData | null; thrown: boolean }
  | { k: 'crash'; message: string }

/**
 * A record is 8 Int32s (type, m, p, g, four arguments) and a Float64 time: 40 bytes, about half of nine doubles, which
 * matters because writing records is a fifth of the ordering thread's time. A value that is not an Int32 is WIDE in
 * its cell and follows in `wide` as (cell index, value).
 */
const WIDTH = 8
const WIDE = -0x80000000
const RECORDS = 1 << 15
const FIRST_RECORDS = 1 << 11
const IN_FLIGHT = 8 << 20
// Record types beside the event types (which are 0-255).
const SYNC = -1 // a0: with the clock snapshot (1) or not (0)
const GENERATION = -2 // a0: index into the batch's tables
const DONE = -3 // a0: generations so far

/**
 * The helper's side: orders what arrives on `port` and sends the records back. `turn` lets the thread's event loop run
 * (setImmediate under Node, a MessageChannel round in browsers): a generation is ordered in slices of events between
 * which record buffers coming back to be reused (messages) are taken in.
 */
export function serveOrdering(port: PipePort, turn: () => Promise<void>): void {
  let chunks: Uint8Array[] = []
  let eof = false
  let wake: (() => void) | null = null
  const buffers = new RecordBuffers()
  let running = false
  port.listen((msg) => {
    if (msg.k === 'bytes') chunks.push(msg.chunk)
    else if (msg.k === 'eof') eof = true
    else if (msg.k === 'free') buffers.back(msg.ints, msg.times)
    else if (msg.k === 'start' && !running) {
      // A decode at a time; the next one (after this one's `end`) starts with nothing of this one's input.
      running = true
      chunks = []
      eof = false
      void run(msg.version, msg.offset).then(() => {
        running = false
        // Resting, it keeps a couple of record buffers, not all that a big trace made it allocate.
        buffers.trim(2)
      })
    } else if (msg.k === 'wake' && !running) port.post({ k: 'ready' })
    wake?.()
  })
  port.post({ k: 'ready' })
  async function* source(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = chunks.shift()
      if (chunk) {
        port.post({ k: 'ack', bytes: chunk.length })
        yield chunk
      } else if (eof) return
      else await new Promise<void>((resolve) => (wake = resolve))
      wake = null
    }
  }
  async function run(version: number, offset: number): Promise<void> {
    const out = new RecordingOutput(port, buffers, turn)
    try {
      const input = new ChunkedInput(source(), undefined, offset)
      const result = await orderV2(input, version, out, { onGeneration: (n) => out.done(n) })
      out.flush()
      port.post({ k: 'end', generations: result.generations, error: result.error ? errorData(result.error) : null, thrown: false })
    } catch (err) {
      out.flush()
      if (err instanceof TraceFormatError) port.post({ k: 'end', generations: -1, error: errorData(err), thrown: true })
      else port.post({ k: 'crash', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
    }
  }
}

/** A helper's record buffers: those back from the other thread to be reused, and how many are still over there. */
class RecordBuffers {
  private readonly free: { ints: Int32Array; times: Float64Array }[] = []
  private away = 0

  /** A buffer to fill: one back from the other thread, or a new one. */
  take(): { ints: Int32Array; times: Float64Array } {
    return this.free.pop() ?? { ints: new Int32Array(RECORDS * WIDTH), times: new Float64Array(RECORDS) }
  }
  sent(): void {
    this.away++
  }
  back(ints: Int32Array, times: Float64Array): void {
    this.free.push({ ints, times })
    this.away--
  }
  /** Lets go of the buffers to reuse beyond `keep`. */
  trim(keep: number): void {
    this.free.length = Math.min(this.free.length, keep)
  }
  /** None to reuse, and some still over there (worth letting the messages that bring them back in). */
  get waiting(): boolean {
    return this.free.length === 0 && this.away > 0
  }
}

/** Records what the ordering half outputs into buffers, and sends them when full. */
class RecordingOutput implements OrderedOutput {
  private ints: Int32Array
  private times: Float64Array
  private count = 0
  /**
   * Records per batch: small at first, so that the other thread starts storing (and its code warming up) while this
   * one is still slow on cold code, then doubling up to RECORDS. The buffers are RECORDS long whatever the batch.
   */
  private limit = FIRST_RECORDS
  private wide: number[] = []
  private names: [number, string][] = []
  private tables: GenerationTables[] = []
  private cuts: (TraceFormatErrorData | null)[] = []

  constructor(
    private readonly port: PipePort,
    private readonly buffers: RecordBuffers,
    private readonly turn: () => Promise<void>,
  ) {
    const b = buffers.take()
    this.ints = b.ints
    this.times = b.times
  }

  private cell(at: number, v: number): number {
    if ((v | 0) === v && v !== WIDE) return v
    this.wide.push(at, v)
    return WIDE
  }

  private record(typ: number, time: number, m: number, p: number, g: number, a0: number, a1: number, a2: number, a3: number): void {
    if (this.count === this.limit) this.flush()
    const r = this.ints
    const i = this.count++
    const at = i * WIDTH
    this.times[i] = time
    r[at] = typ
    r[at + 1] = (m | 0) === m && m !== WIDE ? m : this.cell(at + 1, m)
    r[at + 2] = (p | 0) === p && p !== WIDE ? p : this.cell(at + 2, p)
    r[at + 3] = (g | 0) === g && g !== WIDE ? g : this.cell(at + 3, g)
    r[at + 4] = (a0 | 0) === a0 && a0 !== WIDE ? a0 : this.cell(at + 4, a0)
    r[at + 5] = (a1 | 0) === a1 && a1 !== WIDE ? a1 : this.cell(at + 5, a1)
    r[at + 6] = (a2 | 0) === a2 && a2 !== WIDE ? a2 : this.cell(at + 6, a2)
    r[at + 7] = (a3 | 0) === a3 && a3 !== WIDE ? a3 : this.cell(at + 7, a3)
  }

  flush(): void {
    if (this.count === 0 && this.tables.length === 0) return
    const { ints, times } = this
    this.port.post({ k: 'events', ints, times, count: this.count, wide: this.wide, names: this.names, tables: this.tables, cuts: this.cuts }, [ints.buffer as ArrayBuffer, times.buffer as ArrayBuffer])
    this.buffers.sent()
    if (this.limit < RECORDS) this.limit *= 2
    const b = this.buffers.take()
    this.ints = b.ints
    this.times = b.times
    this.count = 0
    this.wide = []
    this.names = []
    this.tables = []
    this.cuts = []
  }

  generation(tables: GenerationTables, cut: TraceFormatError | null): void {
    if (this.count === this.limit) this.flush()
    this.tables.push(tables)
    this.cuts.push(cut ? errorData(cut) : null)
    this.record(GENERATION, 0, 0, 0, 0, this.tables.length - 1, 0, 0, 0)
  }

  event(typ: number, time: number, m: number, p: number, g: number, a0: number, a1: number, a2: number, a3: number, name: string | null): void {
    if (this.count === this.limit) this.flush()
    if (name !== null) this.names.push([this.count, name])
    this.record(typ, time, m, p, g, a0, a1, a2, a3)
  }

  sync(withClock: boolean, time: number): void {
    this.record(SYNC, time, 0, 0, 0, withClock ? 1 : 0, 0, 0, 0)
  }

  /** Lets buffers come back when none is left to reuse (and at least one is out). */
  pause(): Promise<void> | null {
    return this.buffers.waiting ? this.turn() : null
  }

  done(generations: number): void {
    this.record(DONE, 0, 0, 0, 0, generations, 0, 0, 0)
    this.flush()
  }
}

/** The wide cells of a batch of records, by cell index. */
function wideCells(pairs: number[]): Map<number, number> {
  const wide = new Map<number, number>()
  for (let k = 0; k < pairs.length; k += 2) wide.set(pairs[k]!, pairs[k + 1]!)
  return wide
}

/** Cell `at` of a batch of records, a wide one put back. */
function cell(r: Int32Array, wide: Map<number, number>, at: number): number {
  const v = r[at]!
  return v === WIDE ? wide.get(at)! : v
}

/**
 * This thread's side: hands `input`'s bytes to the helper behind `port` and stores the events it sends back. Same
 * result as decodeV2(input, version, store, opts); the port is closed when it returns or throws.
 */
export async function decodeV2Threaded(input: ChunkedInput, version: number, store: EventSink, port: PipePort, opts: V2Options = {}): Promise<V2Result> {
  const writer = new StoreWriter(store)
  let generations = 0
  let cut: TraceFormatError | null = null
  let inFlight = 0
  let wakePump: (() => void) | null = null
  let settle!: (r: V2Result | Error) => void
  const settled = new Promise<V2Result | Error>((resolve) => (settle = resolve))
  let over = false
  /** Whether the helper ended cleanly, having read the input to its end (it may then take another decode). */
  let clean = false
  /** Bytes handed to the helper. */
  let handed = 0
  const finish = (r: V2Result | Error) => {
    if (over) return
    over = true
    settle(r)
    wakePump?.()
  }

  const replay = (msg: Extract<PipeMessage, { k: 'events' }>) => {
    const r = msg.ints
    const times = msg.times
    // Wide cells put back first (they are few: 64-bit IDs, big heap sizes).
    const wide = msg.wide.length > 0 ? wideCells(msg.wide) : null
    let nameAt = 0
    for (let i = 0; i < msg.count; i++) {
      const at = i * WIDTH
      const typ = r[at]!
      if (typ >= 0) {
        let name: string | null = null
        if (nameAt < msg.names.length && msg.names[nameAt]![0] === i) name = msg.names[nameAt++]![1]
        if (wide === null) writer.event(typ, times[i]!, r[at + 1]!, r[at + 2]!, r[at + 3]!, r[at + 4]!, r[at + 5]!, r[at + 6]!, r[at + 7]!, name)
        else writer.event(typ, times[i]!, cell(r, wide, at + 1), cell(r, wide, at + 2), cell(r, wide, at + 3), cell(r, wide, at + 4), cell(r, wide, at + 5), cell(r, wide, at + 6), cell(r, wide, at + 7), name)
      } else if (typ === SYNC) writer.sync(r[at + 4] === 1, times[i]!)
      else if (typ === GENERATION) {
        const k = r[at + 4]!
        const c = msg.cuts[k]
        cut = c ? reviveError(c) : null
        writer.generation(msg.tables[k]!, cut)
      } else if (typ === DONE) {
        generations = r[at + 4]!
        opts.onGeneration?.(generations)
      }
    }
  }

  let ready!: (ok: boolean) => void
  const started = new Promise<boolean>((resolve) => (ready = resolve))
  let heard = false
  port.listen((msg) => {
    if (!heard) {
      heard = true
      ready(msg.k === 'ready')
      if (msg.k !== 'ready') return
    }
    if (over) return
    if (opts.signal?.aborted) return finish(new TraceFormatError('cancelled', 'decoding was cancelled', input.offset))
    try {
      if (msg.k === 'events') {
        replay(msg)
        port.post({ k: 'free', ints: msg.ints, times: msg.times }, [msg.ints.buffer as ArrayBuffer, msg.times.buffer as ArrayBuffer])
      } else if (msg.k === 'ack') {
        inFlight -= msg.bytes
        wakePump?.()
      } else if (msg.k === 'end') {
        clean = msg.error === null && !msg.thrown
        const error = msg.error ? reviveError(msg.error) : null
        finish(msg.thrown && error ? error : { generations: msg.generations, error, threads: 2 })
      } else if (msg.k === 'crash') finish(new Error(`the ordering thread failed: ${msg.message}`))
    } catch (err) {
      // An event the writer refused: where the in-thread decoder stops too (see orderV2's handling of errors).
      if (!(err instanceof TraceFormatError)) finish(err as Error)
      else finish({ generations, error: cut && err.kind === 'corrupt' ? cut : err, threads: 2 })
    }
  })

  if (!(await started)) {
    // The helper could not start (its file missing from a package, nested workers refused): one thread it is.
    port.close()
    return decodeV2(input, version, store, opts)
  }
  port.post({ k: 'start', version, offset: input.offset })
  const pump = async () => {
    for await (const chunk of input.rest()) {
      if (over) return
      if (opts.signal?.aborted) return finish(new TraceFormatError('cancelled', 'decoding was cancelled', input.offset))
      // A copy, handed over: the source may reuse its buffers, and its caller may read them again.
      const own = chunk.slice()
      inFlight += own.length
      handed += own.length
      port.post({ k: 'bytes', chunk: own }, [own.buffer as ArrayBuffer])
      while (inFlight > IN_FLIGHT && !over) await new Promise<void>((resolve) => (wakePump = resolve))
      wakePump = null
    }
    if (!over) port.post({ k: 'eof' })
  }
  try {
    await Promise.race([pump(), settled])
    const r = await settled
    if (r instanceof Error) throw r
    return r
  } finally {
    port.close(clean ? { bytes: handed } : undefined)
  }
}

/**
 * Below this size a trace decodes in one thread unless a helper is already up and warm (keptHelper's `minBytes`, as
 * the hosts pass it): starting a helper (about 50 ms), running its JavaScript cold and replaying its records here cost
 * more than ordering here, where the ordering engine's WebAssembly half stores the events itself (see EngineWriter).
 * Measured in fresh Node processes on two cores (bench/README, fourteenth session): a 12.4 MB trace in 218-236 ms on
 * one thread against 250-308 on two, a 32 MB one in 671-718 against 529-617.
 */
export const ONE_THREAD_BELOW = 16 << 20

/**
 * A DecodeOptions.orderThread that keeps one helper between decodes: a helper whose decode ended cleanly (its input read
 * to the end, no error) waits, resting, for the next decode, which then runs on code V8 has already optimized (a new
 * helper starts cold: on a 10 MB trace that is about a third of the decode). A helper that ended any other way (an
 * error, a cancel, a crash) is closed: it may still be busy with the old input. So is one that read more than
 * `maxBytes`: what keeping it saves (V8's warm-up, about 0.1 s) matters for small traces, while what it holds on to at
 * rest (the heap it grew, not yet collected) grows with the trace: some 50 MB after a 1 GB one, on top of that trace's
 * model. `make` makes a new helper.
 *
 * Without a kept helper, a trace known to be smaller than `minBytes` decodes in one thread: a new helper takes some
 * 50 ms to start and then runs cold code, which a small trace never pays back (see ONE_THREAD_BELOW in
 * src-cli/order-thread.ts). A kept helper is used whatever the size: it is started and warm.
 */
export function keptHelper(make: () => PipePort | null, maxBytes = 64 << 20, minBytes = 0): (totalBytes?: number) => PipePort | null {
  let kept: PipePort | null = null
  return (totalBytes) => {
    if (!kept && totalBytes !== undefined && totalBytes < minBytes) return null
    const reused = kept
    kept = null
    const port = reused ?? make()
    if (!port) return null
    reused?.rest?.(false)
    let closed = false
    return {
      post: (m, transfer) => {
        if (!closed) port.post(m, transfer)
      },
      listen: (h) => {
        port.listen(h)
        // A new helper says `ready` when it has started; a kept one when asked (a crash instead, if it died).
        if (reused) port.post({ k: 'wake' })
      },
      close: (clean) => {
        if (closed) return
        closed = true
        if (!clean || maxBytes <= 0 || clean.bytes > maxBytes || kept) return port.close()
        port.listen((m) => {
          if (m.k === 'crash') {
            if (kept === port) kept = null
            port.close()
          }
        })
        port.rest?.(true)
        kept = port
      },
    }
  }
}
