// Decodes a Go 1.22-1.26 trace one generation at a time: read the generation's batches, then merge the per-M
// batch cursors in timestamp order through the ordering engine, interleave CPU samples, and hand every event to an
// OrderedOutput: the StoreWriter (writer.ts) appends it to the store with its strings and stacks moved into the
// store's dictionaries, here or in another thread (pipeline.ts). Mirrors Go's reader.go, including its Sync events
// and the strictly increasing output times.
import { ByteCursor } from '../bytes'
import { TraceFormatError } from '../errors'
import type { EventSink } from '../events'
import type { ChunkedInput } from '../input'
import { EV, SPECS } from '../spec'
import { mul, newGeneration, processBatch, readBatch, validateTables, type Batch, type Generation, type RawBatch } from './generation'
import { Ordering, type MState } from './order'
import { StoreWriter, type OrderedOutput } from './writer'

export interface V2Options {
  signal?: { readonly aborted: boolean }
  /** After each whole generation: how many there are so far. */
  onGeneration?: (generations: number) => void
}

const EMPTY = new Uint8Array(0)

/** One M's batches in order, read one event at a time into reused fields (no allocation per event). */
class Cursor {
  idx = 0
  off = 0
  typ = 0
  /** The current event's time; before its batch's first event, the batch's start (event times add up from it). */
  time = 0
  readonly args = new Float64Array(4)
  /** Where the current event starts in its batch. */
  private evPos = 0
  /** The current batch's bytes (empty before the first and after the last). */
  private data: Uint8Array = EMPTY
  private base = 0
  constructor(readonly m: number, readonly batches: Batch[], readonly ms: MState) {}

  /** File offset of the current event, for errors. */
  get evOffset(): number {
    return this.base + this.evPos
  }

  next(freq: number): boolean {
    let d = this.data
    if (this.off === d.length) {
      // The batch is done: on to the next non-empty one.
      while (this.idx < this.batches.length && this.batches[this.idx]!.data.length === 0) this.idx++
      if (this.idx === this.batches.length) return false
      const b = this.batches[this.idx++]!
      d = this.data = b.data
      this.base = b.offset
      this.off = 0
      this.time = mul(freq, b.time)
    }
    const end = d.length
    let pos = this.off
    this.evPos = pos
    const typ = d[pos]!
    const n = TIMED_ARGS[typ]!
    if (n < 0) return this.slowNext(freq)
    pos++
    const args = this.args
    // Fast path: the timestamp delta and arguments as varints of up to 7 bytes (49 bits, exact in a double), and
    // Go's "none" (2^64-1, ten bytes) as -1; anything else, or the end of the batch, takes the checked path, which
    // also words the errors.
    let dt = 0
    for (let k = -1; k < n; k++) {
      // Most values take one or two bytes: those first, without a loop.
      if (pos >= end) return this.slowNext(freq)
      let c = d[pos++]!
      let v = c
      if (c >= 0x80) {
        if (pos >= end) return this.slowNext(freq)
        c = d[pos++]!
        v = (v & 0x7f) | ((c & 0x7f) << 7)
        for (let shift = 14; c >= 0x80 && shift < 28 && pos < end; shift += 7) {
          c = d[pos++]!
          v |= (c & 0x7f) << shift
        }
        v >>>= 0
      }
      if (c >= 0x80) {
        let mul = 2 ** 28
        for (let i = 4; i < 7 && pos < end; i++) {
          c = d[pos++]!
          v += (c & 0x7f) * mul
          if (c < 0x80) break
          mul *= 128
        }
        if (c >= 0x80) {
          // 2^64-1: nine 0xff bytes then 0x01.
          if (pos + 3 <= end && d[pos] === 0xff && d[pos + 1] === 0xff && d[pos + 2] === 0x01 && v === 2 ** 49 - 1) {
            pos += 3
            v = -1
          } else return this.slowNext(freq)
        }
      }
      if (k < 0) dt = v
      else args[k] = v
    }
    for (let k = n; k < 4; k++) args[k] = 0
    this.typ = typ
    this.time += mul(freq, dt)
    this.off = pos
    return true
  }

  private slowNext(freq: number): boolean {
    const c = new ByteCursor(this.data, this.off, this.data.length, this.base)
    const typ = c.byte('event type')
    const spec = SPECS[typ]
    if (typ > 136 || (typ >= 53 && typ < 128)) c.fail(`found invalid event type: ${typ}`)
    if (!spec || !spec.timed) c.fail(`found event without a timestamp: type=${typ}`)
    const dt = c.uvarint('timestamp')
    const names = spec!.args
    const args = this.args
    for (let k = 0; k < 4; k++) args[k] = 0
    for (let i = 0; i < names.length; i++) args[i] = c.uvarint(names[i]!)
    this.typ = typ
    this.time += mul(freq, dt)
    this.off = c.pos
    return true
  }
}

/** Argument count of each timed event type; -1 for types that are invalid or untimed in a batch. */
const TIMED_ARGS = Int8Array.from({ length: 256 }, (_, typ) => {
  const spec = SPECS[typ]
  return typ > 136 || (typ >= 53 && typ < 128) || !spec || !spec.timed ? -1 : spec.args.length
})

function heapUp(h: Cursor[], i: number): number {
  const c = h[i]!
  const t = c.time
  while (i > 0) {
    const p = (i - 1) >> 1
    const parent = h[p]!
    if (parent.time <= t) break
    h[i] = parent
    i = p
  }
  h[i] = c
  return i
}
function heapDown(h: Cursor[], i: number): void {
  const n = h.length
  if (i >= n) return
  const c = h[i]!
  const t = c.time
  for (;;) {
    const l = 2 * i + 1
    if (l >= n) break
    let m = l
    let minT = h[l]!.time
    if (l + 1 < n && h[l + 1]!.time < minT) {
      m = l + 1
      minT = h[m]!.time
    }
    if (minT >= t) break
    h[i] = h[m]!
    i = m
  }
  h[i] = c
}
function heapRemove(h: Cursor[], i: number): void {
  // Bubble the removed cursor to the root (as if its time were -Infinity), then pop the root.
  const c = h[i]!
  while (i > 0) {
    const p = (i - 1) >> 1
    h[i] = h[p]!
    i = p
  }
  h[0] = c
  const last = h.pop()!
  if (h.length > 0) {
    h[0] = last
    heapDown(h, 0)
  }
}

/** Events merged between checks for cancellation and pauses of the output. */
const STEPS = 0x4000

/**
 * One generation's merge of its per-M cursors (and CPU samples) in time order through the ordering engine. Its loop is
 * a method of its own, run a slice at a time, rather than a loop inside orderV2: a small function gets optimized (and
 * its loop replaced by optimized code) within the first few thousand events, where orderV2's loop waited for about
 * 65 000.
 */
class Merge {
  private readonly frontier: Cursor[] = []
  /** The frontier cursor being advanced (0 but in the fallback after the first refuses): whose offset an engine error names. */
  private trying = 0
  private samples = 0
  private readonly cpu: Generation['cpuSamples']
  private readonly strings: Map<number, string>
  private readonly freq: number
  private readonly gen: number

  constructor(g: Generation, private readonly order: Ordering, private readonly out: OrderedOutput) {
    this.cpu = g.cpuSamples
    this.strings = g.strings
    this.freq = g.freq
    this.gen = g.gen
    const frontier = this.frontier
    for (const m of g.batchMs) {
      const c = new Cursor(m, g.batches.get(m)!, order.mState(m))
      if (c.next(g.freq)) {
        frontier.push(c)
        heapUp(frontier, frontier.length - 1)
      }
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
      const c = this.frontier[this.trying]
      if (err instanceof TraceFormatError && err.kind === 'inconsistent' && err.offset < 0 && c) throw new TraceFormatError(err.kind, err.message, c.evOffset)
      throw err
    }
  }

  private advanceAll(steps: number): boolean {
    const frontier = this.frontier
    const cpu = this.cpu
    for (let n = 0; n < steps; ) {
      if (frontier.length === 0 && this.samples === cpu.length) return false
      if (this.samples < cpu.length && (frontier.length === 0 || cpu[this.samples]!.time < frontier[0]!.time)) {
        const s = cpu[this.samples++]!
        this.out.event(EV.CPUSample, s.time, s.m, s.p, s.g, s.stack, 0, 0, 0, null)
        continue
      }
      if (!this.tryAdvance(0)) {
        frontier.sort((x, y) => x.time - y.time)
        let ok = false
        for (let i = 1; i < frontier.length; i++) {
          this.trying = i
          if (this.tryAdvance(i)) {
            ok = true
            break
          }
        }
        this.trying = 0
        if (!ok) {
          // Said in words first (Go's "broken trace: failed to advance: frontier" is its reader's jargon), then each
          // cursor's next event as Go prints it: its name, time and arguments.
          const head = frontier
            .map((c) => {
              const spec = SPECS[c.typ]!
              return `M ${c.m} [${spec.name} time=${c.time}${spec.args.map((a, k) => ` ${a}=${c.args[k]}`).join('')}]`
            })
            .join('\n')
          throw new TraceFormatError('inconsistent', `the events of generation ${this.gen} cannot be put in order: no thread's next event can happen after what came before (Go's reader: "broken trace: failed to advance")\neach thread's next event:\n${head}`, frontier[0]!.evOffset)
        }
      }
      n++
    }
    return true
  }

  /** Advances with cursor i's event if the engine takes it now, and moves the cursor on. */
  private tryAdvance(i: number): boolean {
    const frontier = this.frontier
    const c = frontier[i]!
    if (!this.order.advance(c.typ, c.time, c.args, c.m, this.gen, this.strings, c.ms)) return false
    if (c.next(this.freq)) {
      if (heapUp(frontier, i) === i) heapDown(frontier, i)
    } else heapRemove(frontier, i)
    return true
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
  return { ...(await orderV2(input, version, new StoreWriter(store), opts)), threads: 1 }
}

/** Reads and orders every generation, handing the events to `out`; see decodeV2. */
export async function orderV2(input: ChunkedInput, version: number, out: OrderedOutput, opts: V2Options = {}): Promise<Omit<V2Result, 'threads'>> {
  const order = new Ordering(version)
  let generations = 0
  let spill: RawBatch | null = null
  order.sink = out
  const sync = (withClock: boolean, time: number) => out.sync(withClock, time)

  for (;;) {
    if (opts.signal?.aborted) throw new TraceFormatError('cancelled', 'decoding was cancelled', input.offset)
    // (1) Read the next generation's batches.
    const g = newGeneration()
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
        spill = b
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
    opts.onGeneration?.(generations)
    if (readError) {
      sync(false, 0)
      return { generations, error: withKept(readError, generations - 1, input.offset + input.available) }
    }
  }
}

/** Adds "truncated at byte N: kept K of M generations" to a truncation error (M counts the cut one). */
function withKept(err: TraceFormatError, kept: number, at: number): TraceFormatError {
  if (err.kind !== 'truncated' || err.message.includes('kept ')) return err
  return new TraceFormatError('truncated', `${err.message.replace(/ \(at byte \d+\)$/, '')}: truncated at byte ${at}: kept ${kept} of ${kept + 1} generations`, at)
}
