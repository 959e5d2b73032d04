// The ordered events of a trace, in columns: what both decoders (Go 1.22+ and legacy) produce and the model reads.
// Each event has a wire type (Go's v2 event types, plus EV_SYNC), a time in ns (Go's Time: absolute, as Go's reader
// computes it), the M/P/G context before the event, and up to four arguments in which string and stack IDs are
// already replaced by the store's global, deduplicated dictionary IDs. Strings are byte strings (see text.ts).
import { EV, EV_SYNC } from './spec'

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

/** Marks an Int32 cell whose real value did not fit and lives in the column's overflow map. */
const SPILLED = -0x80000000

/** Stores v in an Int32 cell when it fits exactly; otherwise spills it (64-bit IDs, big heap sizes are rare). */
function fit(spill: Map<number, number>, key: number, v: number): number {
  if ((v | 0) === v && v !== SPILLED) return v
  spill.set(key, v)
  return SPILLED
}

export class EventStore {
  count = 0
  type = new Uint8Array(1024)
  time = new Float64Array(1024)
  // M, G and arguments are Int32 columns (read them with mAt/gAt/arg): values that need more than 32 bits are rare,
  // so they go to overflow maps instead of doubling every event's size.
  m = new Int32Array(1024)
  p = new Int32Array(1024)
  g = new Int32Array(1024)
  args = new Int32Array(1024 * ARGS)
  private readonly mSpill = new Map<number, number>()
  private readonly gSpill = new Map<number, number>()
  private readonly argSpill = new Map<number, number>()

  readonly strings: string[] = ['']
  private readonly stringIndex = new Map<string, number>([['', 0]])
  readonly frames: Frame[] = []
  private readonly frameIndex = new Map<string, number>()
  /** Stack id -> frame ids (leaf first); id 0 = no stack. */
  readonly stacks: number[][] = [[]]
  private readonly stackIndex = new Map<string, number>()
  /** Sync events' clock snapshots, by event index. */
  readonly clocks = new Map<number, ClockSnapshot>()

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
    const i = this.count
    if (i === this.type.length) this.grow()
    this.type[i] = type
    this.time[i] = time
    this.m[i] = fit(this.mSpill, i, m)
    this.p[i] = p
    this.g[i] = fit(this.gSpill, i, g)
    const a = i * ARGS
    const args = this.args
    args[a] = fit(this.argSpill, a, a0)
    args[a + 1] = fit(this.argSpill, a + 1, a1)
    args[a + 2] = fit(this.argSpill, a + 2, a2)
    args[a + 3] = fit(this.argSpill, a + 3, a3)
    this.count = i + 1
    return i
  }

  typeAt(i: number): number {
    return this.type[i]!
  }

  timeAt(i: number): number {
    return this.time[i]!
  }

  pAt(i: number): number {
    return this.p[i]!
  }

  mAt(i: number): number {
    const v = this.m[i]!
    return v === SPILLED ? this.mSpill.get(i)! : v
  }

  gAt(i: number): number {
    const v = this.g[i]!
    return v === SPILLED ? this.gSpill.get(i)! : v
  }

  arg(i: number, k: number): number {
    const v = this.args[i * ARGS + k]!
    return v === SPILLED ? this.argSpill.get(i * ARGS + k)! : v
  }

  private grow(): void {
    const n = this.type.length * 2
    const g8 = new Uint8Array(n); g8.set(this.type); this.type = g8
    const t = new Float64Array(n); t.set(this.time); this.time = t
    const m = new Int32Array(n); m.set(this.m); this.m = m
    const p = new Int32Array(n); p.set(this.p); this.p = p
    const g = new Int32Array(n); g.set(this.g); this.g = g
    const a = new Int32Array(n * ARGS); a.set(this.args); this.args = a
  }

  /** Bytes the event columns take (excluding dictionaries; a spilled value counted at ~40 bytes of Map entry). */
  get columnBytes(): number {
    return this.count * (1 + 8 + 4 + 4 + 4 + ARGS * 4) + (this.mSpill.size + this.gSpill.size + this.argSpill.size) * 40
  }

  isSync(i: number): boolean {
    return this.type[i] === EV_SYNC
  }
}

export { EV, EV_SYNC }
