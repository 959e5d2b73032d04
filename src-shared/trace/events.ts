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

export class EventStore {
  count = 0
  type = new Uint8Array(1024)
  time = new Float64Array(1024)
  m = new Float64Array(1024)
  p = new Int32Array(1024)
  g = new Float64Array(1024)
  args = new Float64Array(1024 * ARGS)

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
    this.m[i] = m
    this.p[i] = p
    this.g[i] = g
    const a = i * ARGS
    this.args[a] = a0
    this.args[a + 1] = a1
    this.args[a + 2] = a2
    this.args[a + 3] = a3
    this.count = i + 1
    return i
  }

  arg(i: number, k: number): number {
    return this.args[i * ARGS + k]!
  }

  private grow(): void {
    const n = this.type.length * 2
    const g8 = new Uint8Array(n); g8.set(this.type); this.type = g8
    const t = new Float64Array(n); t.set(this.time); this.time = t
    const m = new Float64Array(n); m.set(this.m); this.m = m
    const p = new Int32Array(n); p.set(this.p); this.p = p
    const g = new Float64Array(n); g.set(this.g); this.g = g
    const a = new Float64Array(n * ARGS); a.set(this.args); this.args = a
  }

  /** Bytes the event columns take (excluding dictionaries), for the benchmark. */
  get columnBytes(): number {
    return this.count * (1 + 8 + 8 + 4 + 8 + ARGS * 8)
  }

  isSync(i: number): boolean {
    return this.type[i] === EV_SYNC
  }
}

export { EV, EV_SYNC }
