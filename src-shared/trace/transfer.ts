// Decoded events across a process boundary. The desktop build decodes in a separate process and sends the events to
// the renderer's data worker as compact columnar chunks: each chunk carries a range of events in typed arrays, plus
// the dictionary entries (strings, frames, stacks) added since the previous chunk and the clock snapshots of its sync
// events. The decoding side decodes into a ChunkStore, which fills those columns directly; the receiving side appends
// chunks, in order, to its own EventStore, which then holds exactly what an EventStore would have held had the trace
// been decoded there. Only the store's public methods are used on the receiving side, never its cell layout.
//
// A chunk is plain data (typed arrays, numbers, strings), so it can be structured-cloned or have its buffers
// transferred. Nothing in a chunk is trusted: appendChunk checks shapes, order and references before it appends.
import { ARGS, droppedArg, EV_SYNC, EventStore, type ClockSnapshot, type EventSink } from './events'
import { EV } from './spec'
import { grown } from './typed-array'

export interface EventChunk {
  /** Index of this chunk's first event in the sending store (= the receiving store's count before appending). */
  first: number
  count: number
  type: Uint8Array
  time: Float64Array
  /** Int32Array when every value of the chunk fits, else Float64Array (64-bit thread IDs, NONE values...). */
  m: Int32Array | Float64Array
  p: Int32Array | Float64Array
  g: Int32Array | Float64Array
  /** How many argument cells each event has (trailing zero arguments are not sent). */
  argCount: Uint8Array
  /** The argument cells, event after event. */
  args: Int32Array | Float64Array
  /** Id of the first string in `strings`; entries the receiver already has must be equal. */
  stringBase: number
  strings: string[]
  frameBase: number
  /** pc, func, file, line per frame. */
  frames: Float64Array
  stackBase: number
  /** The number of frames of each new stack; their frame ids follow one another in stackFrames. */
  stackSizes: Uint32Array
  stackFrames: Uint32Array
  /** Sync events' clock snapshots in this chunk: event index, trace, mono, sec, nsec (5 numbers each). */
  clocks: Float64Array
  /** Legacy traces: EventStore.entryStacks for this chunk's events, as (event index, stack id) pairs. */
  entryStacks: Float64Array
}

/** How far a sender has got: events and dictionary entries already sent. */
export interface ChunkCursor {
  events: number
  strings: number
  frames: number
  stacks: number
}

export function newCursor(): ChunkCursor {
  // Dictionaries are sent from their first entry; a receiver that already has an entry (the empty string, the empty
  // stack every store starts with) only checks that it is the same.
  return { events: 0, strings: 0, frames: 0, stacks: 0 }
}

/** Events per chunk by default: about 2 MB of columns, small enough to keep both sides responsive. */
export const CHUNK_EVENTS = 1 << 16

/** The most events appendChunk accepts in one chunk (a sanity bound against hostile sizes). */
export const MAX_CHUNK_EVENTS = 1 << 22

export class ChunkError extends Error {
  constructor(message: string) {
    super(`bad event chunk: ${message}`)
    this.name = 'ChunkError'
  }
}

function fitsInt32(v: number): boolean {
  return (v | 0) === v
}

function narrowest(values: Float64Array, n: number): Int32Array | Float64Array {
  for (let i = 0; i < n; i++) if (!fitsInt32(values[i]!)) return n === values.length ? values : values.slice(0, n)
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = values[i]!
  return out
}

/** One chunk's worth of events being filled, as a ChunkStore keeps them. */
class Filling {
  n = 0
  readonly type: Uint8Array
  readonly time: Float64Array
  readonly m: Float64Array
  readonly p: Float64Array
  readonly g: Float64Array
  readonly argCount: Uint8Array
  args: Float64Array
  argLen = 0
  constructor(readonly first: number, size: number) {
    this.type = new Uint8Array(size)
    this.time = new Float64Array(size)
    this.m = new Float64Array(size)
    this.p = new Float64Array(size)
    this.g = new Float64Array(size)
    this.argCount = new Uint8Array(size)
    this.args = new Float64Array(size * 2)
  }
}

/**
 * The sending side's store (the desktop decoder process, see remote.ts): events go straight into the columns of the
 * chunk they will be sent in, instead of into an EventStore's compact cells to be read back out (which cost as much as
 * decoding), and are let go once taken. Only the dictionaries are an EventStore's, so that ids are given as the
 * receiver's store gives them. A chunk holds what an EventStore would read back: the arguments it does not keep
 * (sequence numbers) are 0, and trailing zero arguments are not sent.
 */
export class ChunkStore implements EventSink {
  count = 0
  readonly clocks = new Map<number, ClockSnapshot>()
  readonly entryStacks = new Map<number, number>()
  private readonly dictionaries = new EventStore()
  /** Full chunks not yet taken, then the one being filled. */
  private readonly ready: Filling[] = []
  private filling: Filling

  /** `onFull`: a chunk is ready to be taken (called as it fills, in the middle of the decode). */
  constructor(
    readonly chunkEvents = CHUNK_EVENTS,
    private readonly onFull: () => void = () => {},
  ) {
    this.filling = new Filling(0, chunkEvents)
  }

  string(s: string): number {
    return this.dictionaries.string(s)
  }

  frame(pc: number, func: number, file: number, line: number): number {
    return this.dictionaries.frame(pc, func, file, line)
  }

  stack(frameIds: number[]): number {
    return this.dictionaries.stack(frameIds)
  }

  push(type: number, time: number, m: number, p: number, g: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0): number {
    let f = this.filling
    if (f.n === this.chunkEvents) f = this.next()
    const k = f.n++
    f.type[k] = type
    f.time[k] = time
    f.m[k] = m
    f.p[k] = p
    f.g[k] = g
    const hole = droppedArg(type)
    if (hole === 0) a0 = 0
    else if (hole === 1) a1 = 0
    const n = a3 !== 0 ? 4 : a2 !== 0 ? 3 : a1 !== 0 ? 2 : a0 !== 0 ? 1 : 0
    f.argCount[k] = n
    if (f.argLen + 4 > f.args.length) f.args = grown(f.args)
    const args = f.args
    let at = f.argLen
    if (n > 0) args[at++] = a0
    if (n > 1) args[at++] = a1
    if (n > 2) args[at++] = a2
    if (n > 3) args[at++] = a3
    f.argLen = at
    return this.count++
  }

  pushRecords(records: Float64Array, count: number): void {
    for (let i = 0, at = 0; i < count; i++, at += 9) this.push(records[at]!, records[at + 1]!, records[at + 2]!, records[at + 3]!, records[at + 4]!, records[at + 5]!, records[at + 6]!, records[at + 7]!, records[at + 8]!)
  }

  /** Out of push(): it runs once per chunk. */
  private next(): Filling {
    this.ready.push(this.filling)
    this.filling = new Filling(this.count, this.chunkEvents)
    this.onFull()
    return this.filling
  }

  /** Events pushed and not yet taken. */
  get waiting(): number {
    return this.count - (this.ready[0]?.first ?? this.filling.first)
  }

  /**
   * The next chunk after `cursor`: a full one, or with `partial` the one being filled (at the end); null when there is
   * nothing to take. Dictionary entries are sent up to their current size, so that every id an event refers to has
   * been sent by the time the event arrives.
   */
  take(cursor: ChunkCursor, partial: boolean): EventChunk | null {
    const d = this.dictionaries
    const full = this.ready.shift()
    const f = full ?? (partial && (this.filling.n > 0 || d.strings.length > cursor.strings || d.frames.length > cursor.frames || d.stacks.length > cursor.stacks) ? this.filling : null)
    if (!f) return null
    if (f === this.filling) this.filling = new Filling(this.count, this.chunkEvents)
    const count = f.n
    const first = f.first
    const clocks: number[] = []
    const entryStacks: number[] = []
    // Sent with their events, and let go of with them.
    for (let k = 0; k < count && this.clocks.size > 0; k++) {
      const c = f.type[k] === EV_SYNC ? this.clocks.get(first + k) : undefined
      if (c) {
        clocks.push(first + k, c.trace, c.mono, c.sec, c.nsec)
        this.clocks.delete(first + k)
      }
    }
    for (let k = 0; k < count && this.entryStacks.size > 0; k++) {
      const s = this.entryStacks.get(first + k)
      if (s !== undefined) {
        entryStacks.push(first + k, s)
        this.entryStacks.delete(first + k)
      }
    }
    const chunk = chunkOf(f, cursor, d, clocks, entryStacks)
    cursor.events = first + count
    return chunk
  }
}

/** The events of `f` as a chunk, with the dictionary entries added since `cursor` (which it advances). */
function chunkOf(
  f: Filling,
  cursor: ChunkCursor,
  d: Pick<EventStore, 'strings' | 'frames' | 'stacks'>,
  clocks: number[],
  entryStacks: number[],
): EventChunk {
  const strings = d.strings.slice(cursor.strings)
  const newFrames = d.frames.slice(cursor.frames)
  const frames = new Float64Array(newFrames.length * 4)
  newFrames.forEach((fr, k) => frames.set([fr.pc, fr.func, fr.file, fr.line], k * 4))
  const newStacks = d.stacks.slice(cursor.stacks)
  const count = f.n
  const column = <T extends Uint8Array | Float64Array>(a: T): T => (a.length === count ? a : (a.slice(0, count) as T))
  const chunk: EventChunk = {
    first: f.first,
    count,
    type: column(f.type),
    time: column(f.time),
    m: narrowest(f.m, count),
    p: narrowest(f.p, count),
    g: narrowest(f.g, count),
    argCount: column(f.argCount),
    args: narrowest(f.args, f.argLen),
    stringBase: cursor.strings,
    strings,
    frameBase: cursor.frames,
    frames,
    stackBase: cursor.stacks,
    stackSizes: Uint32Array.from(newStacks, (s) => s.length),
    stackFrames: Uint32Array.from(newStacks.flat()),
    clocks: Float64Array.from(clocks),
    entryStacks: Float64Array.from(entryStacks),
  }
  cursor.strings += strings.length
  cursor.frames += newFrames.length
  cursor.stacks += newStacks.length
  return chunk
}

/** A chunk's typed-array columns. */
function columnsOf(c: EventChunk) {
  return [c.type, c.time, c.m, c.p, c.g, c.argCount, c.args, c.frames, c.stackSizes, c.stackFrames, c.clocks, c.entryStacks]
}

/** The buffers of a chunk, for a postMessage transfer list (within one process: moved, not copied). */
export function chunkBuffers(c: EventChunk): ArrayBuffer[] {
  return [...new Set(columnsOf(c).map((a) => a.buffer as ArrayBuffer))]
}

/** Approximate size of a chunk's columns in bytes (for flow control and tests). */
export function chunkBytes(c: EventChunk): number {
  return columnsOf(c).reduce((n, a) => n + a.byteLength, 0) + c.strings.reduce((n, s) => n + s.length * 2, 0)
}

const isIntOrWide = (a: unknown): a is Int32Array | Float64Array => a instanceof Int32Array || a instanceof Float64Array
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/**
 * Appends a chunk to `store`. Chunks must come in order, starting with the first one a sender made; anything that
 * does not fit (wrong shapes or lengths, a gap, a dictionary entry that contradicts what the store has, a frame or
 * stack referring to an entry that does not exist) throws a ChunkError. The event columns are checked before
 * anything is appended; a chunk that fails on its dictionaries may leave new entries behind, so a receiver drops the
 * store after any error.
 */
export function appendChunk(store: EventStore, chunk: unknown): void {
  if (typeof chunk !== 'object' || chunk === null) throw new ChunkError('not an object')
  const c = chunk as Partial<EventChunk>
  if (!isIndex(c.first) || !isIndex(c.count)) throw new ChunkError('no event range')
  if (c.first !== store.count) throw new ChunkError(`starts at event ${c.first}, expected ${store.count}`)
  const n = c.count
  if (n > MAX_CHUNK_EVENTS) throw new ChunkError(`${n} events in one chunk`)
  if (!(c.type instanceof Uint8Array) || c.type.length !== n) throw new ChunkError('type column')
  if (!(c.time instanceof Float64Array) || c.time.length !== n) throw new ChunkError('time column')
  for (const k of ['m', 'p', 'g'] as const) {
    const col = c[k]
    if (!isIntOrWide(col) || col.length !== n) throw new ChunkError(`${k} column`)
  }
  if (!(c.argCount instanceof Uint8Array) || c.argCount.length !== n) throw new ChunkError('argument counts')
  if (!isIntOrWide(c.args)) throw new ChunkError('argument column')
  let cells = 0
  for (let k = 0; k < n; k++) {
    const a = c.argCount[k]!
    if (a > ARGS) throw new ChunkError(`event ${c.first + k} has ${a} arguments`)
    cells += a
  }
  if (cells !== c.args.length) throw new ChunkError(`${c.args.length} argument cells for ${cells}`)
  for (let k = 0; k < n; k++) if (!Number.isFinite(c.time[k]!)) throw new ChunkError(`event ${c.first + k} has no time`)
  if (!isIndex(c.stringBase) || !Array.isArray(c.strings) || !c.strings.every((s) => typeof s === 'string')) throw new ChunkError('strings')
  if (!isIndex(c.frameBase) || !(c.frames instanceof Float64Array) || c.frames.length % 4 !== 0) throw new ChunkError('frames')
  if (!isIndex(c.stackBase) || !(c.stackSizes instanceof Uint32Array) || !(c.stackFrames instanceof Uint32Array)) throw new ChunkError('stacks')
  if (c.stackSizes.reduce((s, x) => s + x, 0) !== c.stackFrames.length) throw new ChunkError('stack sizes do not add up')
  if (!(c.clocks instanceof Float64Array) || c.clocks.length % 5 !== 0) throw new ChunkError('clocks')
  for (let k = 0; k < c.clocks.length; k += 5) {
    const i = c.clocks[k]!
    if (!Number.isInteger(i) || i < c.first || i >= c.first + n || c.type[i - c.first] !== EV_SYNC) throw new ChunkError(`clock snapshot for event ${i}`)
  }
  if (!(c.entryStacks instanceof Float64Array) || c.entryStacks.length % 2 !== 0) throw new ChunkError('entry stacks')
  for (let k = 0; k < c.entryStacks.length; k += 2) {
    const i = c.entryStacks[k]!
    const s = c.entryStacks[k + 1]!
    if (!Number.isInteger(i) || i < c.first || i >= c.first + n || c.type[i - c.first] !== EV.GoStatus) throw new ChunkError(`entry stack for event ${i}`)
    if (!isIndex(s) || s >= c.stackBase + c.stackSizes.length) throw new ChunkError(`entry stack ${s} is no stack`)
  }
  if (c.stringBase > store.strings.length || c.frameBase > store.frames.length || c.stackBase > store.stacks.length) {
    throw new ChunkError('dictionary entries missing before this chunk')
  }

  // Dictionaries: strings, then frames (which name strings), then stacks (which list frames).
  c.strings.forEach((s, k) => {
    const id = c.stringBase! + k
    if (id < store.strings.length) {
      if (store.strings[id] !== s) throw new ChunkError(`string ${id} differs`)
    } else if (store.string(s) !== id) throw new ChunkError(`string ${id} repeats an earlier one`)
  })
  for (let k = 0; k < c.frames.length; k += 4) {
    const id = c.frameBase + k / 4
    const pc = c.frames[k]!
    const func = c.frames[k + 1]!
    const file = c.frames[k + 2]!
    const line = c.frames[k + 3]!
    if (!isIndex(func) || !isIndex(file) || func >= store.strings.length || file >= store.strings.length) throw new ChunkError(`frame ${id} names no string`)
    if (id < store.frames.length) {
      const f = store.frames[id]!
      if (f.pc !== pc || f.func !== func || f.file !== file || f.line !== line) throw new ChunkError(`frame ${id} differs`)
    } else if (store.frame(pc, func, file, line) !== id) throw new ChunkError(`frame ${id} repeats an earlier one`)
  }
  let at = 0
  for (let k = 0; k < c.stackSizes.length; k++) {
    const id = c.stackBase + k
    const ids = Array.from(c.stackFrames.subarray(at, at + c.stackSizes[k]!))
    at += c.stackSizes[k]!
    for (const f of ids) if (f >= store.frames.length) throw new ChunkError(`stack ${id} names no frame`)
    if (id < store.stacks.length) {
      const s = store.stacks[id]!
      if (s.length !== ids.length || s.some((f, j) => f !== ids[j])) throw new ChunkError(`stack ${id} differs`)
    } else if (store.stack(ids) !== id) throw new ChunkError(`stack ${id} repeats an earlier one`)
  }

  // Events.
  const { type, time, m, p, g, argCount, args } = c as EventChunk
  let cell = 0
  for (let k = 0; k < n; k++) {
    const a = argCount[k]!
    const a0 = a > 0 ? args[cell]! : 0
    const a1 = a > 1 ? args[cell + 1]! : 0
    const a2 = a > 2 ? args[cell + 2]! : 0
    const a3 = a > 3 ? args[cell + 3]! : 0
    cell += a
    store.push(type[k]!, time[k]!, m[k]!, p[k]!, g[k]!, a0, a1, a2, a3)
  }
  for (let k = 0; k < c.clocks.length; k += 5) {
    store.clocks.set(c.clocks[k]!, { trace: c.clocks[k + 1]!, mono: c.clocks[k + 2]!, sec: c.clocks[k + 3]!, nsec: c.clocks[k + 4]! })
  }
  for (let k = 0; k < c.entryStacks.length; k += 2) store.entryStacks.set(c.entryStacks[k]!, c.entryStacks[k + 1]!)
}
