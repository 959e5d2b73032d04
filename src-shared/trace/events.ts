// The ordered events of a trace, in columns: what both decoders (Go 1.22+ and legacy) produce and the model reads.
// Each event has a wire type (Go's v2 event types, plus EV_SYNC), a time in ns (Go's Time: absolute, as Go's reader
// computes it), the M/P/G context before the event, and up to four arguments in which string and stack IDs are
// already replaced by the store's global, deduplicated dictionary IDs. Strings are byte strings (see text.ts).
import { CellEncoder, FIELDS, type CellOwner } from './event-cells'
import { EV, EV_SYNC, SPECS } from './spec'

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
// The encoding runs in WebAssembly (src-wasm/event-cells.ts, lent out by event-cells.ts): push() stages an event's
// numbers, the encoder turns a few thousand at a time into the chunk's cells, and full chunks are copied out into
// Chunk objects, which the readers below use. Its layout and this file's readers must agree.
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


/** A chunk's columns, as the encoder (event-cells.ts) filled them: copies, each as long as it is used. */
class Chunk {
  constructor(
    readonly type: Uint8Array,
    /** Each event's index into ctxWords, the context words (without the type); empty when ctxWide is set. */
    readonly ctx: Uint8Array,
    readonly ctxWords: Int32Array,
    readonly ctxWide: Int32Array | null,
    readonly time: Uint16Array,
    readonly timeRun: Uint32Array,
    readonly timeBase: Float64Array,
    /** Offsets from the block's start of the events of wide runs, TIME_RUN per run. */
    readonly timeWide: Uint32Array,
    /** Goroutines as indexes into gIds, or (gWide set) as themselves. */
    readonly g: Uint16Array,
    readonly gIds: Int32Array,
    readonly gWide: Float64Array | null,
    /** Where each 32-event block's cells start, and each 8-event group's inside its block. */
    readonly argBase: Uint32Array,
    readonly argGroup: Uint8Array,
    readonly args: Uint16Array,
  ) {}

  /** Copies the columns of the encoder's chunk being filled. */
  static copied(enc: CellEncoder): Chunk {
    const x = enc.ex
    const n = x.filled()
    const contexts = x.contexts()
    const goroutines = x.goroutines()
    const blocks = (n + (1 << ARG_BLOCK_BITS) - 1) >> ARG_BLOCK_BITS
    return new Chunk(
      enc.type.slice(0, n),
      contexts >= 0 ? enc.ctx.slice(0, n) : new Uint8Array(0),
      enc.ctxWords.slice(0, Math.max(0, contexts)),
      contexts < 0 ? enc.ctxWide.slice(0, n) : null,
      enc.time.slice(0, n),
      enc.timeRun.slice(0, (n + TIME_RUN - 1) >> TIME_RUN_BITS),
      enc.timeBase.slice(0, (n + (1 << TIME_BLOCK_BITS) - 1) >> TIME_BLOCK_BITS),
      enc.timeWide.slice(0, x.wideTimes()),
      enc.g.slice(0, n),
      enc.gIds.slice(0, Math.max(0, goroutines)),
      goroutines < 0 ? enc.gWide.slice(0, n) : null,
      enc.argBase.slice(0, blocks),
      enc.argGroup.slice(0, (n + (1 << ARG_GROUP_BITS) - 1) >> ARG_GROUP_BITS),
      enc.args.slice(0, x.argCells()),
    )
  }

  /** Puts these columns (a chunk of `n` events being filled) back into the encoder, to go on filling it. */
  resume(enc: CellEncoder, n: number): void {
    enc.ex.reset()
    enc.type.set(this.type)
    enc.ctx.set(this.ctx)
    enc.ctxWords.set(this.ctxWords)
    if (this.ctxWide) enc.ctxWide.set(this.ctxWide)
    enc.time.set(this.time)
    enc.timeRun.set(this.timeRun)
    enc.timeBase.set(this.timeBase)
    enc.timeWide.set(this.timeWide)
    enc.g.set(this.g)
    enc.gIds.set(this.gIds)
    if (this.gWide) enc.gWide.set(this.gWide)
    enc.argBase.set(this.argBase)
    enc.argGroup.set(this.argGroup)
    enc.args.set(this.args)
    enc.ex.resume(n, this.args.length, this.ctxWide ? -1 : this.ctxWords.length, this.gWide ? -1 : this.gIds.length, this.timeWide.length)
  }

  /** Event j's whole context word (type in the low byte). */
  word(j: number): number {
    return (this.ctxWide !== null ? this.ctxWide[j]! : this.ctxWords[this.ctx[j]!]!) | this.type[j]!
  }

  /** The goroutine of event j. */
  goroutine(j: number): number {
    return this.gWide !== null ? this.gWide[j]! : this.gIds[this.g[j]!]!
  }

  get bytes(): number {
    return this.type.byteLength + this.ctx.byteLength + this.ctxWords.byteLength + (this.ctxWide?.byteLength ?? 0) + this.time.byteLength + this.timeRun.byteLength + this.timeBase.byteLength + this.timeWide.byteLength + this.g.byteLength + this.gIds.byteLength + (this.gWide?.byteLength ?? 0) +
      this.argGroup.byteLength + this.argBase.byteLength + this.args.byteLength
  }
}

let encoder: CellEncoder | null = null

/** This thread's cell encoder, with the store's tables of cells per type. */
function cellEncoder(): CellEncoder {
  if (encoder === null) {
    encoder = CellEncoder.get()
    encoder.tables(HOLE, CELLS)
  }
  return encoder
}

const NO_STAGE = new Float64Array(0)

/**
 * What the decoders write events into: an EventStore, or on the desktop decoder process's side a ChunkStore
 * (transfer.ts), which keeps them only until they are sent.
 */
export interface EventSink {
  readonly count: number
  /** Appends an event; returns its index. */
  push(type: number, time: number, m: number, p: number, g: number, a0?: number, a1?: number, a2?: number, a3?: number): number
  /** Appends the first `count` of `records`: nine numbers each, push's arguments. */
  pushRecords(records: Float64Array, count: number): void
  string(s: string): number
  frame(pc: number, func: number, file: number, line: number): number
  stack(frameIds: number[]): number
  readonly clocks: Map<number, ClockSnapshot>
  readonly entryStacks: Map<number, number>
}

export class EventStore implements EventSink, CellOwner {
  count = 0
  private readonly chunks: Chunk[] = []
  /** M IDs by index (the m column holds indexes). */
  private readonly mIds: number[] = []
  // Events are staged in the cell encoder's memory (nine numbers each) and encoded a few thousand at a time: stage is
  // the encoder's view while this store has it (empty when not), stageAt where the next event goes, stageEnd its end.
  private stage: Float64Array = NO_STAGE
  private stageAt = 0
  private stageEnd = 0
  /** Events encoded into the encoder's chunk being filled and not copied out into `chunks` yet. */
  private unsettled = false
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

  push(type: number, time: number, m: number, p: number, g: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0): number {
    let k = this.stageAt
    if (k === this.stageEnd) k = this.makeRoom()
    const s = this.stage
    s[k] = type
    s[k + 1] = time
    s[k + 2] = m
    s[k + 3] = p
    s[k + 4] = g
    s[k + 5] = a0
    s[k + 6] = a1
    s[k + 7] = a2
    s[k + 8] = a3
    this.stageAt = k + FIELDS
    return this.count++
  }

  pushRecords(records: Float64Array, count: number): void {
    let from = 0
    const end = count * FIELDS
    while (from < end) {
      let k = this.stageAt
      if (k === this.stageEnd) k = this.makeRoom()
      const n = Math.min(end - from, this.stageEnd - k)
      this.stage.set(records.subarray(from, from + n), k)
      this.stageAt = k + n
      // (Counted as they are staged: encoding the stage takes the events staged to be the last ones counted.)
      this.count += n / FIELDS
      from += n
    }
  }

  /** Encodes what is staged (taking the encoder first if another store has it); returns where staging starts again. */
  private makeRoom(): number {
    const enc = cellEncoder()
    if (!enc.owns(this)) this.take(enc)
    else this.encodeStaged(enc)
    this.stage = enc.stage
    this.stageEnd = enc.stageSize * FIELDS
    return 0
  }

  /** Takes the encoder, and loads this store's Ms and chunk being filled into it. */
  private take(enc: CellEncoder): void {
    enc.lend(this)
    const x = enc.ex
    x.resetMs()
    for (const m of this.mIds) x.addM(m)
    const n = this.count & LOW
    if (n !== 0) this.chunks[this.count >>> CHUNK_BITS]!.resume(enc, n)
    else x.reset()
  }

  /** Gives the encoder back (another store takes it): everything staged and encoded is copied out first. */
  release(): void {
    this.settle()
    this.stage = NO_STAGE
    this.stageAt = 0
    this.stageEnd = 0
  }

  private encodeStaged(enc: CellEncoder): void {
    const staged = this.stageAt / FIELDS
    this.stageAt = 0
    if (staged === 0) return
    const x = enc.ex
    let index = this.count - staged
    for (let from = 0; from < staged; ) {
      const to = x.encode(from, staged, index)
      this.takeOutputs(enc, x.spilled(), x.newMsCount())
      index += to - from
      from = to
      if (x.filled() === CHUNK) {
        this.chunks[(index - 1) >>> CHUNK_BITS] = Chunk.copied(enc)
        x.reset()
        this.unsettled = false
      } else this.unsettled = true
    }
  }

  /** The encoder's spilled values and new Ms, into the maps and the M table. */
  private takeOutputs(enc: CellEncoder, spilled: number, newMs: number): void {
    for (let k = 0; k < newMs; k++) this.mIds.push(enc.newMs[k]!)
    const v = enc.spills
    for (let k = 0; k < spilled * 3; k += 3) {
      const kind = v[k]!
      const map = kind === 0 ? this.spill.time : kind === 1 ? this.spill.m : kind === 2 ? this.spill.p : kind === 3 ? this.spill.arg : this.spill.extra
      map.set(v[k + 1]!, v[k + 2]!)
    }
  }

  /**
   * Makes every event pushed readable: encodes what is staged and copies the chunk being filled out (a copy that the
   * next settle replaces if more events come). Every read goes through here first; it costs a field check when
   * there is nothing to do.
   */
  private settle(): void {
    if (this.stageAt === 0 && !this.unsettled) return
    const enc = cellEncoder()
    this.encodeStaged(enc)
    if (this.unsettled) {
      this.chunks[this.count >>> CHUNK_BITS] = Chunk.copied(enc)
      this.unsettled = false
    }
  }

  typeAt(i: number): number {
    this.settle()
    return this.chunks[i >>> CHUNK_BITS]!.type[i & LOW]!
  }

  /** The first event at or after `from` of a type flagged in `types` (a flag per type), or count if none. */
  nextOfType(from: number, types: Uint8Array): number {
    this.settle()
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
    this.settle()
    return this.timeOf(this.chunks[i >>> CHUNK_BITS]!, i, i & LOW)
  }

  private timeOf(c: Chunk, i: number, j: number): number {
    const r = c.timeRun[j >> TIME_RUN_BITS]!
    if (r < RUN_WIDE) return c.timeBase[j >> TIME_BLOCK_BITS]! + r + c.time[j]!
    const dt = c.timeWide[((r - RUN_WIDE) << TIME_RUN_BITS) | (j & (TIME_RUN - 1))]!
    return dt === TIME_SPILLED ? this.spill.time.get(i)! : c.timeBase[j >> TIME_BLOCK_BITS]! + dt
  }

  mAt(i: number): number {
    this.settle()
    const v = (this.chunks[i >>> CHUNK_BITS]!.word(i & LOW) >>> 8) & M_SPILLED
    return v === M_SPILLED ? this.spill.m.get(i)! : this.mIds[v]!
  }

  pAt(i: number): number {
    this.settle()
    const v = this.chunks[i >>> CHUNK_BITS]!.word(i & LOW) >> P_SHIFT
    return v === P_SPILLED ? this.spill.p.get(i)! : v
  }

  gAt(i: number): number {
    this.settle()
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
    this.settle()
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
    this.settle()
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
    this.settle()
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
    this.settle()
    let bytes = 0
    for (const c of this.chunks) bytes += c.bytes
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
