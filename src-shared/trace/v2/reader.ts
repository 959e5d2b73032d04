// Decodes a Go 1.22-1.26 trace one generation at a time: read the generation's batches, then merge the per-M
// batch cursors in timestamp order through the ordering engine (its WebAssembly half reads and merges the batches and
// advances most events, its JavaScript half the rest: engine.ts, order.ts), interleave CPU samples, and hand every event to an
// OrderedOutput: the StoreWriter (writer.ts) appends it to the store with its strings and stacks moved into the
// store's dictionaries, here or in another thread (pipeline.ts). Mirrors Go's reader.go, including its Sync events
// and the strictly increasing output times.
import { ByteCursor } from '../bytes'
import { TraceFormatError } from '../errors'
import type { EventSink } from '../events'
import type { ChunkedInput } from '../input'
import { EV, SPECS } from '../spec'
import { BATCH_ENTRY, EngineViews, RECORD_FIELDS, type EngineExports } from './engine'
import { copied, mul, newGeneration, processBatch, readBatch, validateTables, type Batch, type Generation, type RawBatch } from './generation'
import { Ordering } from './order'
import { EngineWriter, type OrderedOutput } from './writer'

export interface V2Options {
  signal?: { readonly aborted: boolean }
  /** After each whole generation: how many there are so far. */
  onGeneration?: (generations: number) => void
}

/** Why the WebAssembly half's merge stopped (engine.ts), read once from the module. */
interface Stops {
  goOn: number
  done: number
  steps: number
  limit: number
  full: number
  pending: number
  stuck: number
  badEvent: number
}

/** Events merged between checks for cancellation and pauses of the output. */
const STEPS = 0x4000

/**
 * One generation's merge of its per-M batches (and CPU samples) in time order through the ordering engine. The
 * WebAssembly half (engine.ts) reads the batches, merges them and advances most events; this loop hands the events
 * it emits to the output, interleaves the CPU samples, and runs the JavaScript half (order.ts) on the events left to
 * it, and for the errors (which it words).
 */
class Merge {
  private samples = 0
  private readonly cpu: Generation['cpuSamples']
  private readonly strings: Map<number, string>
  private readonly gen: number
  private readonly ex: EngineExports
  private readonly stops: Stops
  /** The batches in the order the engine has them (its batch indexes), for the bytes of an event that does not decode. */
  private readonly batches: Batch[] = []
  private readonly args = new Float64Array(4)
  private readonly views: EngineViews

  constructor(g: Generation, private readonly order: Ordering, private readonly out: OrderedOutput) {
    this.cpu = g.cpuSamples
    this.strings = g.strings
    this.gen = g.gen
    const ex = (this.ex = order.ex)
    this.views = new EngineViews(ex)
    this.stops = {
      goOn: ex.GO_ON.value, done: ex.DONE.value, steps: ex.STEPS.value, limit: ex.LIMIT.value, full: ex.FULL.value,
      pending: ex.PENDING.value, stuck: ex.STUCK.value, badEvent: ex.BAD_EVENT.value,
    }
    // The batch table into the engine's memory, M by M (the bytes are there: see keepIn).
    // (Not push(...list): a list can hold more batches than a call takes arguments.)
    for (const m of g.batchMs) for (const b of g.batches.get(m)!) this.batches.push(b)
    ex.generation(g.freq, g.gen, this.batches.length, g.batchMs.length)
    const table = new DataView(ex.memory.buffer, ex.batchesAt(), this.batches.length * BATCH_ENTRY)
    this.batches.forEach((b, k) => {
      table.setUint32(k * BATCH_ENTRY, b.at, true)
      table.setUint32(k * BATCH_ENTRY + 4, b.length, true)
      table.setFloat64(k * BATCH_ENTRY + 8, b.offset, true)
      table.setFloat64(k * BATCH_ENTRY + 16, b.time, true)
    })
    let first = 0
    for (const m of g.batchMs) {
      const end = first + g.batches.get(m)!.length
      if (ex.addCursor(m, first, end) === this.stops.badEvent) this.badEvent()
      first = end
    }
  }

  /**
   * Merges the next `steps` events (CPU samples not counted): true when it did, false when the generation ended
   * before (a generation that ends right on a slice's last event is done at the next call).
   */
  run(steps: number): boolean {
    try {
      return this.advanceAll(steps)
    } catch (err) {
      // The ordering engine judges an event without knowing where it is in the file: the cursor tried does. (Only its
      // errors, "inconsistent": the writer's run on the storing thread when a helper orders, where no cursor is.)
      const ex = this.ex
      const i = ex.tryingIndex()
      if (err instanceof TraceFormatError && err.kind === 'inconsistent' && err.offset < 0 && i < ex.frontierSize()) throw new TraceFormatError(err.kind, err.message, ex.eventOffset(ex.cursorAt(i)))
      throw err
    }
  }

  private advanceAll(steps: number): boolean {
    const ex = this.ex
    const stops = this.stops
    const cpu = this.cpu
    let n = 0
    while (n < steps) {
      let r = ex.run(steps - n, this.samples < cpu.length ? cpu[this.samples]!.time : Infinity)
      n += ex.advanced()
      this.drain()
      if (r === stops.steps || r === stops.full) continue
      if (r === stops.done || r === stops.limit) {
        // The next CPU sample comes first (or the Ms' events are done).
        if (this.samples === cpu.length) return false
        const s = cpu[this.samples++]!
        this.out.event(EV.CPUSample, s.time, s.m, s.p, s.g, s.stack, 0, 0, 0, null)
        continue
      }
      if (r === stops.pending) {
        const c = ex.cursorAt(ex.tryingIndex())
        const a = this.args
        for (let k = 0; k < 4; k++) a[k] = ex.cursorArg(c, k)
        const taken = this.order.advance(ex.cursorType(c), ex.cursorTime(c), a, ex.cursorM(c), this.gen, this.strings)
        if (taken) n++
        r = ex.resolve(taken)
        if (r === stops.goOn) continue
      }
      // What the JavaScript half emitted for the event it took goes out before the error.
      this.drain()
      if (r === stops.stuck) this.stuck()
      if (r === stops.badEvent) this.badEvent()
      throw new Error(`the ordering engine stopped for no known reason (${r})`)
    }
    return true
  }

  /** Hands the events the engine emitted to the output. */
  private drain(): void {
    if (this.out.drainEngine) return this.out.drainEngine()
    const ex = this.ex
    const count = ex.outputCount()
    if (count === 0) return
    const r = this.views.now.records
    const out = this.out
    for (let i = 0, at = 0; i < count; i++, at += RECORD_FIELDS) out.event(r[at]!, r[at + 1]!, r[at + 2]!, r[at + 3]!, r[at + 4]!, r[at + 5]!, r[at + 6]!, r[at + 7]!, r[at + 8]!, null)
    ex.drained()
  }

  /** No thread's next event can happen now: said in words, then each thread's next event as Go prints it. */
  private stuck(): never {
    const ex = this.ex
    const head: string[] = []
    for (let i = 0; i < ex.frontierSize(); i++) {
      const c = ex.cursorAt(i)
      const spec = SPECS[ex.cursorType(c)]!
      head.push(`M ${ex.cursorM(c)} [${spec.name} time=${ex.cursorTime(c)}${spec.args.map((a, k) => ` ${a}=${ex.cursorArg(c, k)}`).join('')}]`)
    }
    // Go's "broken trace: failed to advance: frontier" is its reader's jargon.
    throw new TraceFormatError('inconsistent', `the events of generation ${this.gen} cannot be put in order: no thread's next event can happen after what came before (Go's reader: "broken trace: failed to advance")\neach thread's next event:\n${head.join('\n')}`, ex.eventOffset(ex.cursorAt(0)))
  }

  /** A thread's next event does not decode: read again here, where the error is worded. */
  private badEvent(): never {
    const ex = this.ex
    const c = ex.cursorAt(-1)
    const b = this.batches[ex.eventBatch(c)]!
    const at = ex.eventStart(c)
    const data = this.views.now.bytes.subarray(ex.inputAt() + b.at, ex.inputAt() + b.at + b.length)
    const bytes = new ByteCursor(data, at, b.length, b.offset)
    const typ = bytes.byte('event type')
    const spec = SPECS[typ]
    if (typ > 136 || (typ >= 53 && typ < 128)) bytes.fail(`found invalid event type: ${typ}`)
    if (!spec || !spec.timed) bytes.fail(`found event without a timestamp: type=${typ}`)
    bytes.uvarint('timestamp')
    for (const name of spec!.args) bytes.uvarint(name)
    throw new Error(`the ordering engine could not read the event at byte ${b.offset + at}, which reads`)
  }
}

export interface V2Result {
  generations: number
  /** Set when decoding stopped early; the events before it are in the store. */
  error: TraceFormatError | null
  /** How many threads decoded it (2: ordering on a helper thread, see pipeline.ts). */
  threads: number
}

/** Decodes into the store, in this thread. */
export async function decodeV2(input: ChunkedInput, version: number, store: EventSink, opts: V2Options = {}): Promise<V2Result> {
  return { ...(await orderV2(input, version, new EngineWriter(store), opts)), threads: 1 }
}

/** Reads and orders every generation, handing the events to `out`; see decodeV2. */
export async function orderV2(input: ChunkedInput, version: number, out: OrderedOutput, opts: V2Options = {}): Promise<Omit<V2Result, 'threads'>> {
  const state = { generations: 0 }
  try {
    return await orderGenerations(input, version, out, opts, state)
  } catch (err) {
    // The engine's WebAssembly half traps when its memory runs out (see alloc in src-wasm/order-engine.ts): an error
    // like any other, which keeps the generations decoded before.
    if (!(err instanceof Error) || err.name !== 'RuntimeError') throw err
    return { generations: state.generations, error: new TraceFormatError('corrupt', `the trace needs more memory than the decoder could get (at most 4 GiB in WebAssembly) to order generation ${state.generations + 1}: ${err.message}`, input.offset) }
  }
}

async function orderGenerations(input: ChunkedInput, version: number, out: OrderedOutput, opts: V2Options, state: { generations: number }): Promise<Omit<V2Result, 'threads'>> {
  const order = new Ordering(version)
  let generations = 0
  let spill: RawBatch | null = null
  order.sink = out
  out.attach?.(order.ex)
  const keep = keepIn(order.ex)
  const sync = (withClock: boolean, time: number) => out.sync(withClock, time)

  for (;;) {
    if (opts.signal?.aborted) throw new TraceFormatError('cancelled', 'decoding was cancelled', input.offset)
    // (1) Read the next generation's batches.
    order.ex.arenaReset()
    const g = newGeneration(keep)
    let readError: TraceFormatError | null = null
    let sawAny = false
    if (spill) {
      g.gen = spill.gen
      g.minTs = spill.time
      processBatch(g, spill, version)
      spill = null
      sawAny = true
    }
    for (;;) {
      let b: RawBatch | null
      try {
        b = await readBatch(input)
      } catch (err) {
        if (!(err instanceof TraceFormatError)) throw err
        readError = err
        // Before Go 1.26, a batch that cannot be read ends the generation: what was read is still decoded.
        if (version < 26 && sawAny) break
        sync(false, 0)
        return { generations, error: withKept(err, generations, input.offset + input.available) }
      }
      if (b === null) {
        if (version >= 26 && sawAny)
          readError = withKept(new TraceFormatError('truncated', 'incomplete generation found; trace likely truncated', input.offset), generations, input.offset)
        break
      }
      if (b.kind === 'end') {
        if (version < 26) {
          readError = new TraceFormatError('corrupt', 'expected batch event, got event 52', b.headerOffset)
          break
        }
        if (!sawAny) {
          readError = new TraceFormatError('corrupt', 'no frequency event found', b.headerOffset)
        }
        break
      }
      if (b.gen === 0) {
        readError = new TraceFormatError('corrupt', `invalid generation number ${b.gen}`, b.headerOffset)
        break
      }
      if (g.gen === 0) g.gen = b.gen
      if (version < 26 && b.gen === g.gen + 1 && sawAny) {
        // Its bytes are the input's until it is read again: the next generation's first batch keeps its own.
        spill = copied(b)
        break
      }
      if (b.gen !== g.gen) {
        readError = new TraceFormatError('corrupt', version < 26 ? 'generations out of order' : 'broken trace: missing end-of-generation event, or generations are interleaved', b.headerOffset)
        break
      }
      if (g.minTs === 0 || b.time < g.minTs) g.minTs = b.time
      sawAny = true
      try {
        processBatch(g, b, version)
      } catch (err) {
        // A batch that does not parse spoils its generation (Go decodes none of it).
        if (!(err instanceof TraceFormatError)) throw err
        sync(false, 0)
        return { generations, error: err }
      }
    }
    if (!sawAny) {
      // Nothing more: the final Sync, then any error. Before Go 1.26, a trace with no generation at all (only its
      // header) is one Go's reader refuses: its first generation has no frequency event.
      if (!readError && generations === 0 && version < 26) readError = new TraceFormatError('truncated', 'no frequency event found', input.offset)
      sync(false, 0)
      return { generations, error: readError }
    }
    // A generation that could not be read whole is dropped (Go does the same for 1.26; for older formats an error
    // after some batches still lets the batches read so far be decoded).
    if (readError && version >= 26) {
      sync(false, 0)
      return { generations, error: readError }
    }
    try {
      if (g.freq === 0) throw new TraceFormatError('corrupt', 'no frequency event found', input.offset)
      if (version >= 25 && !g.clock) throw new TraceFormatError('corrupt', 'no clock snapshot event found', input.offset)
      validateTables(g)
    } catch (err) {
      sync(false, 0)
      return { generations, error: readError ? withKept(readError, generations, input.offset + input.available) : (err as TraceFormatError) }
    }
    for (const s of g.cpuSamples) s.time = mul(g.freq, s.time)
    g.cpuSamples.sort((x, y) => x.time - y.time)

    // (2) Merge the per-M cursors.
    const cut = readError ? withKept(readError, generations, input.offset + input.available) : null
    out.generation({ freq: g.freq, clock: g.clock, strings: g.strings, stacks: g.stacks, pcs: g.pcs }, cut)
    let error: TraceFormatError | null = null
    try {
      const merge = new Merge(g, order, out)
      sync(true, mul(g.freq, g.minTs))
      // After every STEPS events (the generation's last one too): a check for cancellation and the output's pause.
      while (merge.run(STEPS)) {
        if (opts.signal?.aborted) throw new TraceFormatError('cancelled', 'decoding was cancelled', input.offset)
        const pause = out.pause?.()
        if (pause) await pause
      }
    } catch (err) {
      if (!(err instanceof TraceFormatError)) throw err
      error = err
    }
    if (error) {
      // Go reports the error without a closing Sync. When the generation was cut short and its tables are what is
      // missing, the cut is the cause; an ordering error is the trace's own (as Go reports it).
      if (cut && error.kind === 'corrupt') return { generations, error: cut }
      return { generations, error }
    }
    generations++
    state.generations = generations
    opts.onGeneration?.(generations)
    if (readError) {
      sync(false, 0)
      return { generations, error: withKept(readError, generations - 1, input.offset + input.available) }
    }
  }
}

/** Keeps a generation's event batches in the engine's memory, where its cursors read them: one copy, from the input. */
function keepIn(ex: EngineExports): (data: Uint8Array) => number {
  const views = new EngineViews(ex)
  return (data) => {
    const at = ex.arenaPut(data.length)
    views.now.bytes.set(data, ex.inputAt() + at)
    return at
  }
}

/** Adds "truncated at byte N: kept K of M generations" to a truncation error (M counts the cut one). */
function withKept(err: TraceFormatError, kept: number, at: number): TraceFormatError {
  if (err.kind !== 'truncated' || err.message.includes('kept ')) return err
  return new TraceFormatError('truncated', `${err.message.replace(/ \(at byte \d+\)$/, '')}: truncated at byte ${at}: kept ${kept} of ${kept + 1} generations`, at)
}
