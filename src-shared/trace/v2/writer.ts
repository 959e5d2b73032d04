// The second half of decoding a Go 1.22+ trace: ordered events (with generation-local string and stack IDs) go into
// the store the way Go's ReadEvent returns them: times strictly increasing, IDs checked against their generation's
// tables and moved into the store's dictionaries (the store drops the sequence numbers). The ordering half
// (reader.ts) drives it through OrderedOutput, in the same thread or from another one (pipeline.ts).
import { TraceFormatError } from '../errors'
import type { ClockSnapshot, EventSink } from '../events'
import { EV, EV_SYNC, SPECS } from '../spec'
import { EngineViews, RECORD_FIELDS, type EngineExports } from './engine'
import { mul } from './generation'

/** What the writer needs of a generation: its tables, frequency and clock snapshot (all structured-cloneable). */
export interface GenerationTables {
  freq: number
  clock: { time: number; mono: number; sec: number; nsec: number } | null
  strings: Map<number, string>
  /** Stack id -> PCs. */
  stacks: Map<number, number[]>
  /** PC -> [func string id, file string id, line]. */
  pcs: Map<number, [number, number, number]>
}

/** Where the ordering half puts its output. Every method may throw a TraceFormatError (a bad ID in an event). */
export interface OrderedOutput {
  /**
   * A generation's events follow (and its Sync). `cut`: the error to report instead when one of its events turns out
   * to be corrupt, because the generation was cut short (the cut is the cause); null when it was read whole.
   */
  generation(tables: GenerationTables, cut: TraceFormatError | null): void
  /** One ordered event; name is the task name of a UserTaskEnd. */
  event(typ: number, time: number, m: number, p: number, g: number, a0: number, a1: number, a2: number, a3: number, name: string | null): void
  /** A Sync event at `time` (0: just after the last event), with the current generation's clock snapshot if asked. */
  sync(withClock: boolean, time: number): void
  /**
   * Asked after every 16 384 events merged: a promise to wait for before going on (an output in another thread lets its
   * thread take messages in), or null.
   */
  pause?(): Promise<void> | null
  /** The ordering engine of this decode is `ex` (an output in the same thread may have it do the writer's step). */
  attach?(ex: EngineExports): void
  /** Takes the engine's output records (instead of an event() call for each). */
  drainEngine?(): void
}

/** 1 for event types with stack or string ID arguments to check and move into the store's dictionaries. */
const HAS_IDS = Uint8Array.from({ length: 256 }, (_, typ) => {
  const spec = SPECS[typ]
  return spec && (spec.stackArgs.length > 0 || spec.stringArgs.length > 0) ? 1 : 0
})
/** 1 for event types whose arguments ids() changes: those, and the ones with an ID in another place. */
const MOVES_IDS = HAS_IDS.map((has, typ) => (has === 1 || typ === EV.CPUSample || typ === EV.UserTaskEnd || typ === EV.STWEnd ? 1 : 0))

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

const NO_TABLES: GenerationTables = { freq: 0, clock: null, strings: new Map(), stacks: new Map(), pcs: new Map() }

export class StoreWriter implements OrderedOutput {
  private lastTs = 0
  protected syncs = 0
  protected gen = NO_TABLES
  private stackIds = new IdMap()
  private stringIds = new IdMap()
  /** The arguments as ids() leaves them. */
  protected readonly moved = new Float64Array(4)

  constructor(readonly store: EventSink) {}

  generation(tables: GenerationTables, _cut: TraceFormatError | null = null): void {
    this.gen = tables
    this.stackIds = new IdMap()
    this.stringIds = new IdMap()
  }

  event(typ: number, time: number, m: number, p: number, g: number, a0: number, a1: number, a2: number, a3: number, name: string | null): void {
    let t = time
    if (t <= this.lastTs) t = this.lastTs + 1
    this.lastTs = t
    if (MOVES_IDS[typ] === 1) {
      const a = this.ids(typ, a0, a1, a2, a3, name)
      a0 = a[0]!
      a1 = a[1]!
      a2 = a[2]!
      a3 = a[3]!
    }
    // Sequence numbers only order events: the store drops them (see droppedArg in events.ts).
    this.store.push(typ, t, m, p, g, a0, a1, a2, a3)
  }

  /**
   * The event's arguments with its stack and string IDs moved into the store's dictionaries (into `moved`): a
   * generation's IDs checked against its tables when first seen (Go checks every stack ID, then every string ID).
   */
  protected ids(typ: number, a0: number, a1: number, a2: number, a3: number, name: string | null): Float64Array {
    if (typ === EV.CPUSample) {
      a0 = this.internStack(a0)
    } else if (HAS_IDS[typ] === 1) {
      const spec = SPECS[typ]!
      const sa = spec.stackArgs
      const st = spec.stringArgs
      // An ID already moved into the store was checked before, so only first sightings are looked up in the
      // generation's tables.
      for (let k = 0; k < sa.length; k++) {
        const i = sa[k]!
        const id = pick(i, a0, a1, a2, a3)
        if (id === 0) continue
        let v = this.stackIds.get(id)
        if (v === undefined) {
          if (!this.gen.stacks.has(id)) throw new TraceFormatError('corrupt', `found invalid stack ID ${id} for event ${spec.name}`, -1)
          v = this.internStack(id)
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
        let v = this.stringIds.get(id)
        if (v === undefined) {
          if (!this.gen.strings.has(id)) throw new TraceFormatError('corrupt', `found invalid string ID ${id} for event ${spec.name}`, -1)
          v = this.internString(id)
        }
        if (i === 0) a0 = v
        else if (i === 1) a1 = v
        else if (i === 2) a2 = v
        else a3 = v
      }
    }
    if (typ === EV.UserTaskEnd) a3 = this.store.string(name ?? '')
    else if (typ === EV.STWEnd) a0 = this.internString(a0)
    const out = this.moved
    out[0] = a0
    out[1] = a1
    out[2] = a2
    out[3] = a3
    return out
  }

  sync(withClock: boolean, time: number): void {
    this.syncs++
    let t = time
    if (t <= this.lastTs) t = this.lastTs + 1
    this.lastTs = t
    const i = this.store.push(EV_SYNC, t, -1, -1, -1, this.syncs)
    const clock = withClock ? this.clock() : null
    if (clock) this.store.clocks.set(i, clock)
  }

  /** The current generation's clock snapshot, as the store keeps it. */
  protected clock(): ClockSnapshot | null {
    const g = this.gen
    return g.clock ? { trace: mul(g.freq, g.clock.time), mono: g.clock.mono, sec: g.clock.sec, nsec: g.clock.nsec } : null
  }

  /** A generation's string or stack ID is the store's `v` from now on (until the next generation). */
  protected moves(_kind: 'string' | 'stack', _id: number, _v: number): void {}

  private internString(id: number): number {
    if (id === 0) return 0
    let out = this.stringIds.get(id)
    if (out === undefined) {
      out = this.store.string(this.gen.strings.get(id) ?? '')
      this.stringIds.set(id, out)
      this.moves('string', id, out)
    }
    return out
  }

  private internStack(id: number): number {
    if (id === 0) return 0
    let out = this.stackIds.get(id)
    if (out === undefined) {
      const pcs = this.gen.stacks.get(id) ?? []
      const frames = pcs.map((pc) => {
        const f = this.gen.pcs.get(pc)!
        return this.store.frame(pc, this.internString(f[0]), this.internString(f[1]), f[2])
      })
      out = this.store.stack(frames)
      this.stackIds.set(id, out)
      this.moves('stack', id, out)
    }
    return out
  }
}

/**
 * The writer when the ordering engine runs in this thread (decodeV2): the engine's WebAssembly half does the writer's
 * step itself as it emits (strictly increasing times, IDs it has been told the store's number of), so that most events
 * go from the engine's output into the store in blocks, with no JavaScript per event. This writer moves the IDs of the
 * records the engine lists as fixups (first sightings in a generation), tells the engine, and writes the events the
 * JavaScript half emits (rare events, CPU samples, Syncs) into the same output, in order.
 */
export class EngineWriter extends StoreWriter {
  private ex: EngineExports | null = null
  private views: EngineViews | null = null
  /** Syncs in the output with a clock snapshot, by record index. */
  private clocks: [number, ClockSnapshot][] = []

  attach(ex: EngineExports): void {
    this.ex = ex
    this.views = new EngineViews(ex)
    ex.startWriting()
  }

  override generation(tables: GenerationTables, cut: TraceFormatError | null = null): void {
    this.drainEngine()
    super.generation(tables, cut)
    this.ex?.writerGeneration()
  }

  override event(typ: number, time: number, m: number, p: number, g: number, a0: number, a1: number, a2: number, a3: number, name: string | null): void {
    const ex = this.ex
    if (!ex) return super.event(typ, time, m, p, g, a0, a1, a2, a3, name)
    // What came before first: its IDs are checked before this event's.
    this.drainEngine()
    const a = MOVES_IDS[typ] === 1 ? this.ids(typ, a0, a1, a2, a3, name) : null
    if (a) ex.put(typ, time, m, p, g, a[0]!, a[1]!, a[2]!, a[3]!)
    else ex.put(typ, time, m, p, g, a0, a1, a2, a3)
  }

  override sync(withClock: boolean, time: number): void {
    const ex = this.ex
    if (!ex) return super.sync(withClock, time)
    this.drainEngine()
    this.syncs++
    const i = ex.put(EV_SYNC, time, -1, -1, -1, this.syncs, 0, 0, 0)
    const clock = withClock ? this.clock() : null
    if (clock) this.clocks.push([i, clock])
    this.drainEngine()
  }

  protected override moves(kind: 'string' | 'stack', id: number, v: number): void {
    if (kind === 'string') this.ex?.mapString(id, v)
    else this.ex?.mapStack(id, v)
  }

  /** Moves what the engine has output into the store: its fixups first, in order (one may be an error). */
  drainEngine(): void {
    const ex = this.ex
    if (!ex) return
    const count = ex.outputCount()
    if (count === 0) return
    const fixups = ex.fixupsCount()
    for (let j = 0; j < fixups; j++) {
      const r = this.views!.now.records
      const at = this.views!.now.fixups[j]! * RECORD_FIELDS
      let a: Float64Array
      try {
        a = this.ids(r[at]!, r[at + 5]!, r[at + 6]!, r[at + 7]!, r[at + 8]!, null)
      } catch (err) {
        // The events before this one are stored, as they would have been one by one.
        this.keep(at / RECORD_FIELDS)
        throw err
      }
      // (Telling the engine what moved may have grown its memory.)
      this.views!.now.records.set(a, at + 5)
    }
    this.keep(count)
  }

  /** Stores the first n records of the engine's output (with their clock snapshots), and empties it. */
  private keep(n: number): void {
    const first = this.store.count
    for (const [i, clock] of this.clocks) if (i < n) this.store.clocks.set(first + i, clock)
    this.clocks = []
    this.store.pushRecords(this.views!.now.records, n)
    this.ex!.drained()
  }
}

/** Argument i of four, without building an array. */
function pick(i: number, a0: number, a1: number, a2: number, a3: number): number {
  return i === 0 ? a0 : i === 1 ? a1 : i === 2 ? a2 : a3
}
