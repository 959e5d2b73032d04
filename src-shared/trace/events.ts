// The ordered events of a trace, in columns: what both decoders (Go 1.22+ and legacy) produce and the model reads.
// Each event has a wire type (Go's v2 event types, plus EV_SYNC), a time in ns (Go's Time: absolute, as Go's reader
// computes it), the M/P/G context before the event, and up to four arguments in which string and stack IDs are
// already replaced by the store's global, deduplicated dictionary IDs. Strings are byte strings (see text.ts).
import { IdTable } from './id-table'
import { EV, EV_SYNC, SPECS } from './spec'
import { grown } from './typed-array'

export interface Frame {
  pc: number
  func: number // string id
  file: number // string id
  line: number
}

export interface ClockSnapshot {
  trace: number
  mono: number
  sec: number
  nsec: number
}

export const ARGS = 4

/** One event read out of the store (see EventStore.read): reuse one for a whole pass. */
export interface EventRecord {
  type: number
  time: number
  m: number
  p: number
  g: number
  args: Float64Array
}

export function eventRecord(): EventRecord {
  return { type: 0, time: 0, m: 0, p: 0, g: 0, args: new Float64Array(ARGS) }
}

// Events live in chunks of 2^16, so the store grows without copying what it holds. Per event:
//   time   Uint16: ns since its 32-event run's first event, whose offset from its 256-event block's first event is
//          a Uint32 per run (a Float64 per block). A run that spans 65.5 us or more (a quiet stretch) keeps a Uint32
//          offset per event instead, in a side column; a time 4.3 s or more after its block's first event (or
//          before it) spills
//   type   Uint8
//   ctx    Uint8: index into the chunk's table of context words: M (10 bits: index into the table of M IDs; a trace
//          has few threads), whether its arguments are wide (1 bit) and P (13 bits, signed). A chunk sees a few dozen
//          M/P pairs; one that sees more than 256 words keeps a word per event (Int32)
//   g      Uint16: index into the chunk's table of goroutine IDs (a 64Ki-event chunk of a busy trace names a few
//          thousand goroutines); a chunk that names more than 65536, or an ID beyond Int32, keeps Float64 IDs
//   args   16-bit cells, as many as the event's type keeps (KEPT), found from a Uint32 per 32-event block and a Uint8
//          per 8-event group inside it, then the cell counts of the events before it in its group: one cell per
//          argument when all of them are in 0..65535 (string and stack IDs, most goroutine IDs: 97% of a busy
//          trace's events), else two (an Int32) per argument
// Values that do not fit their cell spill to a map keyed by event (rare: 64-bit IDs, huge heap sizes, sparse time).
// About 8 bytes per event plus 2 per argument, against 37 for plain 32-bit columns of everything.
const CHUNK_BITS = 16
const CHUNK = 1 << CHUNK_BITS
const LOW = CHUNK - 1
const TIME_BLOCK_BITS = 8
const TIME_RUN_BITS = 5
const TIME_RUN = 1 << TIME_RUN_BITS
/** Set in a run's offset when its events' offsets are in timeWide (the low bits: which TIME_RUN-slot group). */
const RUN_WIDE = 0x80000000
const ARG_BLOCK_BITS = 5
/** Events per group inside an argument block (a Uint8 offset each). */
const ARG_GROUP_BITS = 3

/**
 * The argument the store does not keep, by event type (-1: none): the sequence numbers that order goroutine, P and GC
 * transitions. Nothing reads them after ordering (Go's parsed dump does not show them), so they are dropped here and
 * the arguments after them move down a cell (GoUnblock's stack, GoSyscallBegin's and GCBegin's stack, ProcSteal's M);
 * they read back as 0. 2 to 4 bytes less for about half of a busy trace's events.
 */
const HOLE: Int8Array = Int8Array.from({ length: 256 }, (_, typ) => {
  switch (typ) {
    case EV.ProcStart: case EV.ProcSteal: case EV.GoStart: case EV.GoUnblock: case EV.GoSwitch: case EV.GoSwitchDestroy: return 1
    case EV.GoSyscallBegin: case EV.GCActive: case EV.GCBegin: case EV.GCEnd: return 0
    default: return -1
  }
})

/** The argument of events of this type the store does not keep (a sequence number), or -1. */
export function droppedArg(type: number): number {
  return HOLE[type & 0xff]!
}

/**
 * How many arguments (counting the dropped one) the store keeps for events of each type: the format's, and the ones
 * the decoder adds after them (the old state of ProcStatus and ProcSteal, a task's parent and name at its end, an
 * STW's kind at its end; a Sync's number, a CPU sample's stack). Kept whole, zeros too, so that an event's cells are
 * found from the types before it instead of an offset per event. A value beyond these (none from either decoder)
 * still reads back: it spills.
 */
const KEPT: Uint8Array = Uint8Array.from({ length: 256 }, (_, typ) => {
  switch (typ) {
    case EV_SYNC: case EV.CPUSample: case EV.STWEnd: return 1
    case EV.ProcStatus: return 3
    case EV.ProcSteal: case EV.UserTaskEnd: return 4
    default: return Math.min(ARGS, SPECS[typ]?.args.length ?? ARGS)
  }
})

/** Argument cells of an event of this type when narrow (wide: twice as many). */
const CELLS: Uint8Array = Uint8Array.from({ length: 256 }, (_, typ) => KEPT[typ]! - (HOLE[typ]! >= 0 && HOLE[typ]! < KEPT[typ]! ? 1 : 0))

/** Marks a cell whose real value did not fit and lives in a spill map. */
const SPILLED = -0x80000000
const TIME_SPILLED = 0xffffffff
const M_BITS = 10
const M_SPILLED = (1 << M_BITS) - 1
/** Set in ctx when the event's argument cells are 32-bit pairs. */
const WIDE_ARGS = 1 << (8 + M_BITS)
const P_SHIFT = 9 + M_BITS
const P_SPILLED = -(1 << (31 - P_SHIFT))

const CTX_TABLE = 256

class Chunk {
  readonly type = new Uint8Array(CHUNK)
  /** Each event's index into ctxWords, the context words (without the type); unused once ctxWide is set. */
  ctx = new Uint8Array(CHUNK)
  ctxWords = new Int32Array(CTX_TABLE)
  ctxCount = 0
  ctxWide: Int32Array | null = null
  /** Context word -> its index, while the chunk fills. */
  private readonly ctxIndex = new Map<number, number>()
  private lastWord = 0
  private lastIndex = -1
  readonly time = new Uint16Array(CHUNK)
  readonly timeRun = new Uint32Array(CHUNK >> TIME_RUN_BITS)
  readonly timeBase = new Float64Array(CHUNK >> TIME_BLOCK_BITS)
  /** Offsets from the block's start of the events of wide runs, TIME_RUN per run. */
  timeWide = new Uint32Array(0)
  timeWideLen = 0
  /** Goroutines as indexes into gIds, or (gWide set) as themselves. */
  readonly g = new Uint16Array(CHUNK)
  gIds = new Int32Array(256)
  gCount = 0
  gWide: Float64Array | null = null
  /** Where each 32-event block's cells start, and each 8-event group's inside its block. */
  readonly argBase = new Uint32Array(CHUNK >> ARG_BLOCK_BITS)
  readonly argGroup = new Uint8Array(CHUNK >> ARG_GROUP_BITS)
  args = new Uint16Array(CHUNK * 3)
  argLen = 0

  /** Gives back what the argument pool did not use (the chunk is full: no more appends). */
  seal(): void {
    if (this.args.length > this.argLen) this.args = this.args.slice(0, this.argLen)
    if (this.gIds.length > this.gCount) this.gIds = this.gIds.slice(0, this.gCount)
    if (this.ctxWords.length > this.ctxCount) this.ctxWords = this.ctxWords.slice(0, this.ctxCount)
    // Emptied, not dropped: a field that changes type throws away the optimized code that reads it.
    this.ctxIndex.clear()
    if (this.timeWide.length > this.timeWideLen) this.timeWide = this.timeWide.slice(0, this.timeWideLen)
  }

  /**
   * Moves the run holding event j to per-event offsets (the events before j in the run are copied over) and returns
   * where event j's offset goes.
   */
  widenRun(j: number): number {
    const run = j >> TIME_RUN_BITS
    const first = run << TIME_RUN_BITS
    const at = this.timeWideLen
    if (at + TIME_RUN > this.timeWide.length) this.timeWide = grown(this.timeWide, Math.max(TIME_RUN * 16, this.timeWide.length * 2))
    const base = this.timeRun[run]!
    for (let k = first; k < j; k++) this.timeWide[at + k - first] = base + this.time[k]!
    this.timeRun[run] = RUN_WIDE | (at >> TIME_RUN_BITS)
    this.timeWideLen = at + TIME_RUN
    return at + j - first
  }

  /** Event j's whole context word (type in the low byte). */
  word(j: number): number {
    return (this.ctxWide !== null ? this.ctxWide[j]! : this.ctxWords[this.ctx[j]!]!) | this.type[j]!
  }

  /** Stores event j's context word (type bits clear). */
  setContext(j: number, word: number): void {
    if (this.ctxWide !== null) {
      this.ctxWide[j] = word
      return
    }
    if (word === this.lastWord && this.lastIndex >= 0) {
      this.ctx[j] = this.lastIndex
      return
    }
    let index = this.ctxIndex.get(word)
    if (index === undefined) {
      if (this.ctxCount === CTX_TABLE) {
        // Too many M/P pairs for byte indexes: a word per event from now on.
        const wide = new Int32Array(CHUNK)
        for (let k = 0; k < j; k++) wide[k] = this.ctxWords[this.ctx[k]!]!
        wide[j] = word
        this.ctxWide = wide
        this.ctx = new Uint8Array(0)
        this.ctxWords = new Int32Array(0)
        this.ctxCount = 0
        this.ctxIndex.clear()
        return
      }
      index = this.ctxCount++
      this.ctxWords[index] = word
      this.ctxIndex.set(word, index)
    }
    this.ctx[j] = index
    this.lastWord = word
    this.lastIndex = index
  }

  /** The goroutine of event j. */
  goroutine(j: number): number {
    return this.gWide !== null ? this.gWide[j]! : this.gIds[this.g[j]!]!
  }

  /** Index of goroutine g in the table, adding it; -1 when the table cannot take it (the chunk goes wide). */
  addGoroutine(g: number): number {
    if (this.gCount === 1 << 16 || (g | 0) !== g) return -1
    if (this.gCount === this.gIds.length) this.gIds = grown(this.gIds)
    this.gIds[this.gCount] = g
    return this.gCount++
  }

  /** Switches to Float64 goroutine IDs for the whole chunk (events before j are copied over). */
  widen(j: number): Float64Array {
    const wide = new Float64Array(CHUNK)
    for (let k = 0; k < j; k++) wide[k] = this.gIds[this.g[k]!]!
    this.gWide = wide
    return wide
  }

  get bytes(): number {
    return this.type.byteLength + this.ctx.byteLength + this.ctxWords.byteLength + (this.ctxWide?.byteLength ?? 0) + this.time.byteLength + this.timeRun.byteLength + this.timeBase.byteLength + this.timeWide.byteLength + this.g.byteLength + this.gIds.byteLength + (this.gWide?.byteLength ?? 0) +
      this.argGroup.byteLength + this.argBase.byteLength + this.args.byteLength
  }
}

/**
 * What the decoders write events into: an EventStore, or on the desktop decoder process's side a ChunkStore
 * (transfer.ts), which keeps them only until they are sent.
 */
export interface EventSink {
  readonly count: number
  /** Appends an event; returns its index. */
  push(type: number, time: number, m: number, p: number, g: number, a0?: number, a1?: number, a2?: number, a3?: number): number
  string(s: string): number
  frame(pc: number, func: number, file: number, line: number): number
  stack(frameIds: number[]): number
  readonly clocks: Map<number, ClockSnapshot>
  readonly entryStacks: Map<number, number>
}

export class EventStore implements EventSink {
  count = 0
  private readonly chunks: Chunk[] = []
  private last: Chunk | null = null
  /** M IDs by index (the m column holds indexes). */
  private readonly mIds: number[] = []
  private readonly mIndex = new Map<number, number>()
  private lastM = NaN
  private lastMi = 0
  /**
   * Goroutine -> its index in the chunk being filled; a new table with each chunk, so that it holds a chunk's
   * goroutines, not every goroutine of the trace (a trace with a goroutine per few events names millions).
   */
  private gSlot = new IdTable()
  private lastG = NaN
  private lastGi = 0
  /** read()'s place: the event after the last one read, and where its cells start. */
  private readNext = -1
  private readAt = 0
  /** Values that did not fit their cells, by event index (arguments: by event index * ARGS + k). */
  private readonly spill = { time: new Map<number, number>(), m: new Map<number, number>(), p: new Map<number, number>(), arg: new Map<number, number>(), extra: new Map<number, number>() }

  readonly strings: string[] = ['']
  private readonly stringIndex = new Map<string, number>([['', 0]])
  readonly frames: Frame[] = []
  private readonly frameIndex = new Map<string, number>()
  /** Stack id -> frame ids (leaf first); id 0 = no stack. */
  readonly stacks: number[][] = [[]]
  private readonly stackIndex = new Map<string, number>()
  /** Sync events' clock snapshots, by event index. */
  readonly clocks = new Map<number, ClockSnapshot>()
  /**
   * Legacy traces (Go 1.11-1.21) only: the start stack (stack id: the entry function) of a goroutine that was there
   * before the trace, by the index of the GoStatus event that first names it. Go's reader drops it (the current format
   * has no place for it); leak reports need it to say what such a goroutine runs.
   */
  readonly entryStacks = new Map<number, number>()

  string(s: string): number {
    let id = this.stringIndex.get(s)
    if (id === undefined) {
      id = this.strings.length
      this.strings.push(s)
      this.stringIndex.set(s, id)
    }
    return id
  }

  frame(pc: number, func: number, file: number, line: number): number {
    const key = `${pc}:${func}:${file}:${line}`
    let id = this.frameIndex.get(key)
    if (id === undefined) {
      id = this.frames.length
      this.frames.push({ pc, func, file, line })
      this.frameIndex.set(key, id)
    }
    return id
  }

  /** Interns a stack; an empty one still gets an id of its own (0 means "no stack"). */
  stack(frameIds: number[]): number {
    const key = 's' + frameIds.join(',')
    let id = this.stackIndex.get(key)
    if (id === undefined) {
      id = this.stacks.length
      this.stacks.push(frameIds)
      this.stackIndex.set(key, id)
    }
    return id
  }

  /**
   * Seals the chunk being filled and starts the next one. Out of push() because it runs once per 65 536 events: code
   * in push() that first runs then would throw away push()'s optimized code.
   */
  private nextChunk(): Chunk {
    this.last?.seal()
    const c = new Chunk()
    this.chunks.push(c)
    this.last = c
    this.lastG = NaN
    this.gSlot = new IdTable()
    return c
  }

  push(type: number, time: number, m: number, p: number, g: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0): number {
    const i = this.count
    const j = i & LOW
    const c = j === 0 || this.last === null ? this.nextChunk() : this.last
    // Time: relative to the block's first event.
    const tb = j >> TIME_BLOCK_BITS
    if ((j & ((1 << TIME_BLOCK_BITS) - 1)) === 0) c.timeBase[tb] = time
    const dt = time - c.timeBase[tb]!
    const run = j >> TIME_RUN_BITS
    let wideAt = -1
    if ((j & (TIME_RUN - 1)) === 0) {
      // A run starts: narrow unless its start is too far (or before) the block's.
      if (dt >>> 0 === dt && dt < RUN_WIDE) {
        c.timeRun[run] = dt
        c.time[j] = 0
      } else wideAt = c.widenRun(j)
    } else {
      const r = c.timeRun[run]!
      if (r < RUN_WIDE) {
        const d = dt - r
        if ((d & 0xffff) === d) c.time[j] = d
        else wideAt = c.widenRun(j)
      } else wideAt = ((r - RUN_WIDE) << TIME_RUN_BITS) | (j & (TIME_RUN - 1))
    }
    if (wideAt >= 0) {
      if (dt >>> 0 === dt && dt !== TIME_SPILLED) c.timeWide[wideAt] = dt
      else {
        c.timeWide[wideAt] = TIME_SPILLED
        this.spill.time.set(i, time)
      }
    }
    let mi = m === this.lastM ? this.lastMi : this.mIndex.get(m)
    if (mi === undefined) {
      mi = this.mIds.length
      this.mIds.push(m)
      this.mIndex.set(m, mi)
    }
    this.lastM = m
    this.lastMi = mi
    let ctx = 0
    if (mi < M_SPILLED) ctx |= mi << 8
    else {
      ctx |= M_SPILLED << 8
      this.spill.m.set(i, m)
    }
    if (p > P_SPILLED && p < -P_SPILLED && (p | 0) === p) ctx |= p << P_SHIFT
    else {
      ctx |= P_SPILLED << P_SHIFT
      this.spill.p.set(i, p)
    }
    if (c.gWide !== null) c.gWide[j] = g
    else if (g === this.lastG) c.g[j] = this.lastGi
    else {
      let gi = this.gSlot.get(g) ?? -1
      if (gi < 0) {
        gi = c.addGoroutine(g)
        if (gi >= 0) this.gSlot.set(g, gi)
      }
      if (gi >= 0) {
        c.g[j] = gi
        this.lastG = g
        this.lastGi = gi
      } else c.widen(j)[j] = g
    }
    // Arguments: the cells the type keeps, without the hole.
    const hole = HOLE[type]!
    if (hole === 1) {
      a1 = a2
      a2 = a3
      a3 = 0
    } else if (hole === 0) {
      a0 = a1
      a1 = a2
      a2 = a3
      a3 = 0
    }
    const n = CELLS[type]!
    if (n < ARGS && (a3 !== 0 || (n < 3 && a2 !== 0) || (n < 2 && a1 !== 0) || (n < 1 && a0 !== 0))) this.spillExtra(i, n, a0, a1, a2, a3)
    const ab = j >> ARG_BLOCK_BITS
    if ((j & ((1 << ARG_BLOCK_BITS) - 1)) === 0) c.argBase[ab] = c.argLen
    if ((j & ((1 << ARG_GROUP_BITS) - 1)) === 0) c.argGroup[j >> ARG_GROUP_BITS] = c.argLen - c.argBase[ab]!
    if (n > 0) {
      const narrow = (a0 & 0xffff) === a0 && (n < 2 || (a1 & 0xffff) === a1) && (n < 3 || (a2 & 0xffff) === a2) && (n < 4 || (a3 & 0xffff) === a3)
      const cells = narrow ? n : 2 * n
      if (c.argLen + cells > c.args.length) c.args = grown(c.args, Math.min(CHUNK * ARGS * 2, c.args.length * 2))
      const a = c.args
      let at = c.argLen
      if (narrow) {
        a[at++] = a0
        if (n > 1) a[at++] = a1
        if (n > 2) a[at++] = a2
        if (n > 3) a[at++] = a3
      } else {
        ctx |= WIDE_ARGS
        const key = i * ARGS
        for (let k = 0; k < n; k++) {
          const v = k === 0 ? a0 : k === 1 ? a1 : k === 2 ? a2 : a3
          const cell = (v | 0) === v && v !== SPILLED ? v : this.spillArg(key + k, v)
          a[at++] = cell & 0xffff
          a[at++] = cell >>> 16
        }
      }
      c.argLen = at
    }
    c.type[j] = type
    c.setContext(j, ctx)
    this.count = i + 1
    return i
  }

  private spillArg(key: number, v: number): number {
    this.spill.arg.set(key, v)
    return SPILLED
  }

  /** Keeps event i's arguments from stored position n on (beyond what its type keeps) in the spill map. */
  private spillExtra(i: number, n: number, a0: number, a1: number, a2: number, a3: number): void {
    for (let k = n; k < ARGS; k++) {
      const v = k === 0 ? a0 : k === 1 ? a1 : k === 2 ? a2 : a3
      if (v !== 0) this.spill.extra.set(i * ARGS + k, v)
    }
  }

  typeAt(i: number): number {
    return this.chunks[i >>> CHUNK_BITS]!.type[i & LOW]!
  }

  /** The first event at or after `from` of a type flagged in `types` (a flag per type), or count if none. */
  nextOfType(from: number, types: Uint8Array): number {
    for (let i = from; i < this.count; ) {
      const base = i - (i & LOW)
      const type = this.chunks[i >>> CHUNK_BITS]!.type
      const end = Math.min(CHUNK, this.count - base)
      for (let j = i & LOW; j < end; j++) if (types[type[j]!]) return base + j
      i = base + CHUNK
    }
    return this.count
  }

  timeAt(i: number): number {
    return this.timeOf(this.chunks[i >>> CHUNK_BITS]!, i, i & LOW)
  }

  private timeOf(c: Chunk, i: number, j: number): number {
    const r = c.timeRun[j >> TIME_RUN_BITS]!
    if (r < RUN_WIDE) return c.timeBase[j >> TIME_BLOCK_BITS]! + r + c.time[j]!
    const dt = c.timeWide[((r - RUN_WIDE) << TIME_RUN_BITS) | (j & (TIME_RUN - 1))]!
    return dt === TIME_SPILLED ? this.spill.time.get(i)! : c.timeBase[j >> TIME_BLOCK_BITS]! + dt
  }

  mAt(i: number): number {
    const v = (this.chunks[i >>> CHUNK_BITS]!.word(i & LOW) >>> 8) & M_SPILLED
    return v === M_SPILLED ? this.spill.m.get(i)! : this.mIds[v]!
  }

  pAt(i: number): number {
    const v = this.chunks[i >>> CHUNK_BITS]!.word(i & LOW) >> P_SHIFT
    return v === P_SPILLED ? this.spill.p.get(i)! : v
  }

  gAt(i: number): number {
    return this.chunks[i >>> CHUNK_BITS]!.goroutine(i & LOW)
  }

  /** Where event j's argument cells start in its chunk's pool: its group's start, then the cells of those before it. */
  private argStart(c: Chunk, j: number): number {
    let at = c.argBase[j >> ARG_BLOCK_BITS]! + c.argGroup[j >> ARG_GROUP_BITS]!
    for (let k = j & ~((1 << ARG_GROUP_BITS) - 1); k < j; k++) at += cellsOf(c.word(k))
    return at
  }

  /** Argument k of event i (0 when the event has fewer). */
  arg(i: number, k: number): number {
    const c = this.chunks[i >>> CHUNK_BITS]!
    const j = i & LOW
    const ctx = c.word(j)
    const type = ctx & 0xff
    const hole = HOLE[type]!
    if (k === hole) return 0
    if (hole >= 0 && k > hole) k--
    if (k >= CELLS[type]!) return this.extraArg(i, k)
    const start = this.argStart(c, j)
    if (!(ctx & WIDE_ARGS)) return c.args[start + k]!
    const at = start + 2 * k
    const v = c.args[at]! | (c.args[at + 1]! << 16)
    return v === SPILLED ? this.spill.arg.get(i * ARGS + k)! : v
  }

  /** An argument beyond what its type keeps (stored position k): 0, or what spilled. */
  private extraArg(i: number, k: number): number {
    return this.spill.extra.size === 0 ? 0 : (this.spill.extra.get(i * ARGS + k) ?? 0)
  }

  /** Reads event i's four arguments into out (one lookup instead of four). */
  argsInto(i: number, out: { [k: number]: number }): void {
    const c = this.chunks[i >>> CHUNK_BITS]!
    const j = i & LOW
    this.argsOf(c, i, j, this.argStart(c, j), out)
  }

  private argsOf(c: Chunk, i: number, j: number, at: number, out: { [k: number]: number }): void {
    const a = c.args
    const ctx = c.word(j)
    const type = ctx & 0xff
    const n = CELLS[type]!
    if (!(ctx & WIDE_ARGS)) for (let k = 0; k < ARGS; k++) out[k] = k < n ? a[at + k]! : this.extraArg(i, k)
    else {
      for (let k = 0; k < ARGS; k++) {
        if (k >= n) out[k] = this.extraArg(i, k)
        else {
          const p = at + 2 * k
          const v = a[p]! | (a[p + 1]! << 16)
          out[k] = v === SPILLED ? this.spill.arg.get(i * ARGS + k)! : v
        }
      }
    }
    const hole = HOLE[type]!
    if (hole >= 0) {
      for (let k = ARGS - 1; k > hole; k--) out[k] = out[k - 1]!
      out[hole] = 0
    }
  }

  /** Reads all of event i into out, with one chunk lookup (the fast way through every event). */
  read(i: number, out: EventRecord): void {
    const c = this.chunks[i >>> CHUNK_BITS]!
    const j = i & LOW
    const ctx = c.word(j)
    out.type = ctx & 0xff
    out.time = this.timeOf(c, i, j)
    const m = (ctx >>> 8) & M_SPILLED
    out.m = m === M_SPILLED ? this.spill.m.get(i)! : this.mIds[m]!
    const p = ctx >> P_SHIFT
    out.p = p === P_SPILLED ? this.spill.p.get(i)! : p
    out.g = c.goroutine(j)
    // Read in order, an event's cells start where the last one's ended.
    const at = i === this.readNext && j !== 0 ? this.readAt : this.argStart(c, j)
    this.argsOf(c, i, j, at, out.args)
    this.readNext = i + 1
    this.readAt = at + cellsOf(ctx)
  }

  /** Bytes the event columns take (excluding dictionaries; a spilled value counted at ~40 bytes of Map entry). */
  get columnBytes(): number {
    let bytes = 0
    for (const c of this.chunks) bytes += c.bytes - (c.args.length - c.argLen) * 2
    const s = this.spill
    return bytes + (s.time.size + s.m.size + s.p.size + s.arg.size + s.extra.size) * 40
  }

  isSync(i: number): boolean {
    return this.typeAt(i) === EV_SYNC
  }
}

/** Argument cells of an event with this context word (type in the low byte). */
function cellsOf(word: number): number {
  return CELLS[word & 0xff]! << (word & WIDE_ARGS ? 1 : 0)
}

export { EV, EV_SYNC }
