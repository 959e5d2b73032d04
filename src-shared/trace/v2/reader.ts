// Decodes a Go 1.22-1.26 trace one generation at a time: read the generation's batches, then merge the per-M
// batch cursors in timestamp order through the ordering engine, interleave CPU samples, and append every event to
// the store with its strings and stacks moved into the store's dictionaries. Mirrors Go's reader.go, including its
// Sync events and the strictly increasing output times.
import { ByteCursor } from '../bytes'
import { TraceFormatError } from '../errors'
import type { EventStore } from '../events'
import type { ChunkedInput } from '../input'
import { EV, EV_SYNC, SPECS } from '../spec'
import { mul, newGeneration, processBatch, readBatch, validateTables, type Batch, type Generation, type RawBatch } from './generation'
import { NONE, Ordering, type MState } from './order'

export interface V2Progress {
  generations: number
  events: number
}

export interface V2Options {
  signal?: { readonly aborted: boolean }
  onGeneration?: (p: V2Progress) => void
}

const EMPTY = new Uint8Array(0)

/** One M's batches in order, read one event at a time into reused fields (no allocation per event). */
class Cursor {
  idx = 0
  off = 0
  lastTs = 0
  typ = 0
  time = 0
  readonly args = new Float64Array(4)
  /** File offset of the current event, for errors. */
  evOffset = 0
  /** The current batch's bytes (empty before the first and after the last). */
  private data: Uint8Array = EMPTY
  private base = 0
  constructor(readonly m: number, readonly batches: Batch[], readonly ms: MState) {}

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
      this.lastTs = mul(freq, b.time)
    }
    const end = d.length
    let pos = this.off
    this.evOffset = this.base + pos
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
      let v = 0
      let shift = 0
      let c = 0x80
      for (let i = 0; i < 4 && pos < end; i++) {
        c = d[pos++]!
        v |= (c & 0x7f) << shift
        if (c < 0x80) break
        shift += 7
      }
      v >>>= 0
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
    this.time = mul(freq, dt) + this.lastTs
    this.lastTs = this.time
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
    this.time = mul(freq, dt) + this.lastTs
    this.lastTs = this.time
    this.off = c.pos
    return true
  }
}

/**
 * A generation's IDs (small and dense, from 1) moved to store IDs: an array for small IDs, a map for the rest. Not
 * IdTable (../id-table.ts): its paging is for IDs that start anywhere, and costs about 4% of the decode here.
 */
class IdMap {
  private readonly dense: number[] = []
  private readonly sparse = new Map<number, number>()
  get(id: number): number | undefined {
    if (id >= 0 && id < this.dense.length) {
      const v = this.dense[id]!
      return v >= 0 ? v : undefined
    }
    return this.sparse.get(id)
  }
  set(id: number, v: number): void {
    if (id >= 0 && id < 1 << 20 && (id | 0) === id) {
      while (this.dense.length <= id) this.dense.push(-1)
      this.dense[id] = v
    } else this.sparse.set(id, v)
  }
}

/** 1 for event types with stack or string ID arguments to check and move into the store's dictionaries. */
const HAS_IDS = Uint8Array.from({ length: 256 }, (_, typ) => {
  const spec = SPECS[typ]
  return spec && (spec.stackArgs.length > 0 || spec.stringArgs.length > 0) ? 1 : 0
})

/** The sequence-number argument not worth storing, by event type (-1: none). */
const SEQ_ARG = Int8Array.from({ length: 256 }, (_, typ) =>
  typ === EV.GoStart || typ === EV.ProcStart || typ === EV.GoSwitch || typ === EV.GoSwitchDestroy ? 1 : typ === EV.GCActive || typ === EV.GCEnd ? 0 : -1,
)

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

export interface V2Result {
  generations: number
  /** Set when decoding stopped early; the events before it are in the store. */
  error: TraceFormatError | null
}

export async function decodeV2(input: ChunkedInput, version: number, store: EventStore, opts: V2Options = {}): Promise<V2Result> {
  const order = new Ordering(version)
  let lastTs = 0
  let syncs = 0
  let generations = 0
  let spill: RawBatch | null = null

  // Per generation: its tables, and its IDs already moved into the store's dictionaries.
  let gen: Generation | null = null
  let stackIds = new IdMap()
  let stringIds = new IdMap()
  const validStack = (id: number, name: string) => {
    if (id !== 0 && !gen!.stacks.has(id)) throw new TraceFormatError('corrupt', `found invalid stack ID ${id} for event ${name}`, -1)
  }
  const validString = (id: number, name: string) => {
    if (id !== 0 && !gen!.strings.has(id)) throw new TraceFormatError('corrupt', `found invalid string ID ${id} for event ${name}`, -1)
  }
  // Appends an event the way Go's ReadEvent returns it: times strictly increasing, IDs checked and interned.
  const out = (typ: number, time: number, m: number, p: number, g: number, a0: number, a1: number, a2: number, a3: number, name: string | null): void => {
    let t = time
    if (t <= lastTs) t = lastTs + 1
    lastTs = t
    if (typ === EV.CPUSample) {
      a0 = internStack(gen!, a0, stackIds, stringIds, store)
    } else if (HAS_IDS[typ] === 1) {
      const spec = SPECS[typ]!
      const sa = spec.stackArgs
      const st = spec.stringArgs
      {
        // Go checks every stack ID, then every string ID; an ID already moved into the store was checked before,
        // so only first sightings are looked up in the generation's tables.
        for (let k = 0; k < sa.length; k++) {
          const i = sa[k]!
          const id = pick(i, a0, a1, a2, a3)
          if (id === 0) continue
          let v = stackIds.get(id)
          if (v === undefined) {
            validStack(id, spec.name)
            v = internStack(gen!, id, stackIds, stringIds, store)
          }
          if (i === 0) a0 = v
          else if (i === 1) a1 = v
          else if (i === 2) a2 = v
          else a3 = v
        }
        for (let k = 0; k < st.length; k++) {
          const i = st[k]!
          const id = pick(i, a0, a1, a2, a3)
          if (id === 0) continue
          let v = stringIds.get(id)
          if (v === undefined) {
            validString(id, spec.name)
            v = internString(gen!, id, stringIds, store)
          }
          if (i === 0) a0 = v
          else if (i === 1) a1 = v
          else if (i === 2) a2 = v
          else a3 = v
        }
      }
    }
    if (typ === EV.UserTaskEnd) a3 = store.string(name ?? '')
    else if (typ === EV.STWEnd) a0 = internString(gen!, a0, stringIds, store)
    // Sequence numbers only order events: nothing reads them afterwards, so they are not stored.
    const seq = SEQ_ARG[typ]
    if (seq === 1) a1 = 0
    else if (seq === 0) a0 = 0
    store.push(typ, t, m, p, g, a0, a1, a2, a3)
  }
  order.sink = out
  const sync = (g: Generation | null, time: number) => {
    syncs++
    let t = time
    if (t <= lastTs) t = lastTs + 1
    lastTs = t
    const i = store.push(EV_SYNC, t, NONE, NONE, NONE, syncs)
    if (g?.clock) store.clocks.set(i, { trace: mul(g.freq, g.clock.time), mono: g.clock.mono, sec: g.clock.sec, nsec: g.clock.nsec })
  }

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
        sync(null, lastTs)
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
        sync(null, lastTs)
        return { generations, error: err }
      }
    }
    if (!sawAny) {
      // Nothing more: the final Sync, then any error.
      sync(null, lastTs)
      return { generations, error: readError }
    }
    // A generation that could not be read whole is dropped (Go does the same for 1.26; for older formats an error
    // after some batches still lets the batches read so far be decoded).
    if (readError && version >= 26) {
      sync(null, lastTs)
      return { generations, error: readError }
    }
    try {
      if (g.freq === 0) throw new TraceFormatError('corrupt', 'no frequency event found', input.offset)
      if (version >= 25 && !g.clock) throw new TraceFormatError('corrupt', 'no clock snapshot event found', input.offset)
      validateTables(g)
    } catch (err) {
      sync(null, lastTs)
      return { generations, error: readError ? withKept(readError, generations, input.offset + input.available) : (err as TraceFormatError) }
    }
    for (const s of g.cpuSamples) s.time = mul(g.freq, s.time)
    g.cpuSamples.sort((x, y) => x.time - y.time)

    // (2) Merge the per-M cursors.
    gen = g
    stackIds = new IdMap()
    stringIds = new IdMap()
    const frontier: Cursor[] = []
    let error: TraceFormatError | null = null
    try {
      for (const m of g.batchMs) {
        const c = new Cursor(m, g.batches.get(m)!, order.mState(m))
        if (c.next(g.freq)) {
          frontier.push(c)
          heapUp(frontier, frontier.length - 1)
        }
      }
      sync(g, mul(g.freq, g.minTs))
      let samples = 0
      const strings = g.strings
      const freq = g.freq
      const genNo = g.gen
      const cpu = g.cpuSamples
      let steps = 0
      const tryAdvance = (i: number): boolean => {
        const c = frontier[i]!
        if (!order.advance(c.typ, c.time, c.args, c.m, genNo, strings, c.ms)) return false
        if (c.next(freq)) {
          if (heapUp(frontier, i) === i) heapDown(frontier, i)
        } else heapRemove(frontier, i)
        return true
      }
      for (;;) {
        if (frontier.length === 0 && samples === cpu.length) break
        if (samples < cpu.length && (frontier.length === 0 || cpu[samples]!.time < frontier[0]!.time)) {
          const s = cpu[samples++]!
          out(EV.CPUSample, s.time, s.m, s.p, s.g, s.stack, 0, 0, 0, null)
          continue
        }
        if (!tryAdvance(0)) {
          frontier.sort((x, y) => x.time - y.time)
          let ok = false
          for (let i = 1; i < frontier.length; i++) {
            if (tryAdvance(i)) {
              ok = true
              break
            }
          }
          if (!ok) {
            const head = frontier.map((c) => `M ${c.m} [${SPECS[c.typ]!.name} time=${c.time}]`).join('\n')
            throw new TraceFormatError('inconsistent', `broken trace: failed to advance: frontier:\n[gen=${g.gen}]\n\n${head}`, frontier[0]!.evOffset)
          }
        }
        if ((++steps & 0xffff) === 0 && opts.signal?.aborted) throw new TraceFormatError('cancelled', 'decoding was cancelled', input.offset)
      }
    } catch (err) {
      if (!(err instanceof TraceFormatError)) throw err
      error = err
    }
    if (error) {
      // Go reports the error without a closing Sync. When the generation was cut short and its tables are what is
      // missing, the cut is the cause; an ordering error is the trace's own (as Go reports it).
      if (readError && error.kind === 'corrupt') return { generations, error: withKept(readError, generations, input.offset + input.available) }
      return { generations, error }
    }
    generations++
    opts.onGeneration?.({ generations, events: store.count })
    if (readError) {
      sync(null, lastTs)
      return { generations, error: withKept(readError, generations - 1, input.offset + input.available) }
    }
  }
}

/** Adds "truncated at byte N: kept K of M generations" to a truncation error (M counts the cut one). */
function withKept(err: TraceFormatError, kept: number, at: number): TraceFormatError {
  if (err.kind !== 'truncated' || err.message.includes('kept ')) return err
  return new TraceFormatError('truncated', `${err.message.replace(/ \(at byte \d+\)$/, '')}: truncated at byte ${at}: kept ${kept} of ${kept + 1} generations`, at)
}

/** Argument i of four, without building an array. */
function pick(i: number, a0: number, a1: number, a2: number, a3: number): number {
  return i === 0 ? a0 : i === 1 ? a1 : i === 2 ? a2 : a3
}

function internString(g: Generation, id: number, ids: IdMap, store: EventStore): number {
  if (id === 0) return 0
  let out = ids.get(id)
  if (out === undefined) {
    out = store.string(g.strings.get(id) ?? '')
    ids.set(id, out)
  }
  return out
}

function internStack(g: Generation, id: number, ids: IdMap, strings: IdMap, store: EventStore): number {
  if (id === 0) return 0
  let out = ids.get(id)
  if (out === undefined) {
    const pcs = g.stacks.get(id) ?? []
    const frames = pcs.map((pc) => {
      const f = g.pcs.get(pc)!
      return store.frame(pc, internString(g, f[0], strings, store), internString(g, f[1], strings, store), f[2])
    })
    out = store.stack(frames)
    ids.set(id, out)
  }
  return out
}
