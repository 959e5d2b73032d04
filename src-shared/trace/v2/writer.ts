// The second half of decoding a Go 1.22+ trace: ordered events (with generation-local string and stack IDs) go into
// the store the way Go's ReadEvent returns them: times strictly increasing, IDs checked against their generation's
// tables and moved into the store's dictionaries (the store drops the sequence numbers). The ordering half
// (reader.ts) drives it through OrderedOutput, in the same thread or from another one (pipeline.ts).
import { TraceFormatError } from '../errors'
import type { EventSink } from '../events'
import { EV, EV_SYNC, SPECS } from '../spec'
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
}

/** 1 for event types with stack or string ID arguments to check and move into the store's dictionaries. */
const HAS_IDS = Uint8Array.from({ length: 256 }, (_, typ) => {
  const spec = SPECS[typ]
  return spec && (spec.stackArgs.length > 0 || spec.stringArgs.length > 0) ? 1 : 0
})

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
  private syncs = 0
  private gen = NO_TABLES
  private stackIds = new IdMap()
  private stringIds = new IdMap()

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
    if (typ === EV.CPUSample) {
      a0 = this.internStack(a0)
    } else if (HAS_IDS[typ] === 1) {
      const spec = SPECS[typ]!
      const sa = spec.stackArgs
      const st = spec.stringArgs
      // Go checks every stack ID, then every string ID; an ID already moved into the store was checked before, so
      // only first sightings are looked up in the generation's tables.
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
    // Sequence numbers only order events: the store drops them (see droppedArg in events.ts).
    this.store.push(typ, t, m, p, g, a0, a1, a2, a3)
  }

  sync(withClock: boolean, time: number): void {
    this.syncs++
    let t = time
    if (t <= this.lastTs) t = this.lastTs + 1
    this.lastTs = t
    const i = this.store.push(EV_SYNC, t, -1, -1, -1, this.syncs)
    const g = this.gen
    if (withClock && g.clock) this.store.clocks.set(i, { trace: mul(g.freq, g.clock.time), mono: g.clock.mono, sec: g.clock.sec, nsec: g.clock.nsec })
  }

  private internString(id: number): number {
    if (id === 0) return 0
    let out = this.stringIds.get(id)
    if (out === undefined) {
      out = this.store.string(this.gen.strings.get(id) ?? '')
      this.stringIds.set(id, out)
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
    }
    return out
  }
}

/** Argument i of four, without building an array. */
function pick(i: number, a0: number, a1: number, a2: number, a3: number): number {
  return i === 0 ? a0 : i === 1 ? a1 : i === 2 ? a2 : a3
}
