// Reads one generation of a Go 1.22+ trace: all its batches, its string and stack tables, CPU samples, frequency
// and clock snapshot. Per-M event batches are kept as byte arrays for the ordering engine.
import { ByteCursor } from '../bytes'
import { TraceFormatError } from '../errors'
import type { ChunkedInput } from '../input'
import { byteString } from '../text'
import { EV } from '../spec'

/** An M's batch of events, its bytes kept by the ordering engine (see Generation.keep). */
export interface Batch {
  m: number
  time: number
  /** Where its bytes are in what the generation keeps, and how many. */
  at: number
  length: number
  /** File offset of its first byte. */
  offset: number
}

export interface CpuSample {
  time: number // converted to ns
  m: number
  p: number
  g: number
  stack: number // generation-local stack id
}

export interface Generation {
  gen: number
  minTs: number
  /** ns per tick, as Go computes it. */
  freq: number
  clock: { time: number; mono: number; sec: number; nsec: number } | null
  strings: Map<number, string>
  /** Stack id -> PCs. */
  stacks: Map<number, number[]>
  /** PC -> [func string id, file string id, line]; the first one seen wins. */
  pcs: Map<number, [number, number, number]>
  batchMs: number[]
  batches: Map<number, Batch[]>
  cpuSamples: CpuSample[]
  hasExperimental: boolean
  /** Keeps an event batch's bytes (until the generation is ordered); returns where they are. */
  keep: (data: Uint8Array) => number
}

const MAX_BATCH = 65536
const MAX_TRAILER = 1024
const MAX_FRAMES = 128

export interface RawBatch {
  kind: 'batch' | 'end'
  gen: number
  m: number
  time: number
  exp: number
  /** A view of the input: valid until the input is read again (see processBatch, and copied() to keep it). */
  data: Uint8Array
  offset: number
  headerOffset: number
}

/** The batch with its own copy of its bytes. */
export function copied(b: RawBatch): RawBatch {
  return { ...b, data: b.data.slice() }
}

/** Reads the next batch (or an EndOfGeneration byte); null at a clean end of file. */
export async function readBatch(input: ChunkedInput): Promise<RawBatch | null> {
  const headerOffset = input.offset
  if ((await input.fill(1)) === 0) return null
  await input.fill(1 + 1 + 4 * 10)
  const v = input.view()
  const c = new ByteCursor(v.bytes, v.start, v.end, v.fileOffset)
  const typ = c.byte('batch type')
  if (typ === EV.EndOfGeneration) {
    input.consume(1)
    return { kind: 'end', gen: 0, m: -1, time: 0, exp: 0, data: new Uint8Array(0), offset: headerOffset, headerOffset }
  }
  if (typ !== EV.EventBatch && typ !== EV.ExperimentalBatch) {
    c.pos--
    c.fail(`expected batch event, got event ${typ}`)
  }
  const exp = typ === EV.ExperimentalBatch ? c.byte('experiment id') : 0
  const gen = c.uvarint('batch gen')
  const m = c.uvarint('batch M ID')
  const time = c.uvarint('batch timestamp')
  const sizeAt = c.pos
  const size = c.uvarint('batch size')
  // Sizes and counts are uint64 in Go: 2^63 and more read as negative here, and are as out of range as any.
  if (size < 0 || size > MAX_BATCH) throw new TraceFormatError('corrupt', `invalid batch size ${c.uvarintText(sizeAt)}, maximum is ${MAX_BATCH}`, headerOffset)
  const headerLen = c.pos - v.start
  input.consume(headerLen)
  const got = await input.fill(size)
  if (got < size) throw new TraceFormatError('truncated', `failed to read full batch: read ${got} but wanted ${size}`, input.offset)
  const offset = input.offset
  return { kind: 'batch', gen, m, time, exp, data: input.peek(size), offset, headerOffset }
}

export function newGeneration(keep: (data: Uint8Array) => number): Generation {
  return {
    gen: 0, minTs: 0, freq: 0, clock: null, strings: new Map(), stacks: new Map(), pcs: new Map(),
    batchMs: [], batches: new Map(), cpuSamples: [], hasExperimental: false, keep,
  }
}

/** Files one batch into its generation (tables, samples, sync data or per-M events), before the input is read again. */
export function processBatch(g: Generation, b: RawBatch, version: number): void {
  if (b.exp !== 0) {
    g.hasExperimental = true
    return
  }
  const first = b.data.length > 0 ? b.data[0] : -1
  const c = new ByteCursor(b.data, 0, b.data.length, b.offset)
  if (first === EV.Strings) addStrings(g, c)
  else if (first === EV.Stacks) addStacks(g, c)
  else if (first === EV.CPUSamples) addCpuSamples(g, c)
  else if ((first === EV.Frequency && version < 25) || (first === EV.Sync && version >= 25)) setSync(g, c, b.time, version)
  else if (first === EV.EndOfGeneration) c.fail('unexpected EndOfGeneration inside a batch; broken trace?')
  else {
    let list = g.batches.get(b.m)
    if (!list) {
      list = []
      g.batches.set(b.m, list)
      g.batchMs.push(b.m)
    }
    list.push({ m: b.m, time: b.time, at: g.keep(b.data), length: b.data.length, offset: b.offset })
  }
}

function addStrings(g: Generation, c: ByteCursor): void {
  c.byte('strings header')
  while (c.remaining > 0) {
    const ev = c.byte('string event')
    if (ev !== EV.String) c.fail(`expected string event, got ${ev}`)
    const id = c.uvarint('string id')
    const lenAt = c.pos
    const len = c.uvarint('string length')
    if (len < 0 || len > MAX_TRAILER) c.fail(`invalid string size ${c.uvarintText(lenAt)}, maximum is ${MAX_TRAILER}`)
    const bytes = c.take(len, 'string data')
    if (g.strings.has(id) || id === 0) c.fail(`multiple strings with the same ID: id=${id}`)
    g.strings.set(id, byteString(bytes))
  }
}

function addStacks(g: Generation, c: ByteCursor): void {
  c.byte('stacks header')
  while (c.remaining > 0) {
    const ev = c.byte('stack event')
    if (ev !== EV.Stack) c.fail(`expected stack event, got ${ev}`)
    const id = c.uvarint('stack id')
    const nAt = c.pos
    const n = c.uvarint('stack frame count')
    if (n < 0 || n > MAX_FRAMES) c.fail(`invalid stack size ${c.uvarintText(nAt)}, maximum is ${MAX_FRAMES}`)
    const pcs: number[] = []
    for (let i = 0; i < n; i++) {
      const pc = c.uvarint(`frame ${i + 1}'s PC for stack ${id}`)
      const fn = c.uvarint(`frame ${i + 1}'s funcID for stack ${id}`)
      const file = c.uvarint(`frame ${i + 1}'s fileID for stack ${id}`)
      const line = c.uvarint(`frame ${i + 1}'s line for stack ${id}`)
      pcs.push(pc)
      if (!g.pcs.has(pc)) g.pcs.set(pc, [fn, file, line])
    }
    if (g.stacks.has(id) || id === 0) c.fail(`multiple stacks with the same ID: id=${id}`)
    g.stacks.set(id, pcs)
  }
}

function addCpuSamples(g: Generation, c: ByteCursor): void {
  c.byte('CPU samples header')
  while (c.remaining > 0) {
    const ev = c.byte('CPU sample event')
    if (ev !== EV.CPUSample) c.fail(`expected CPU sample event, got ${ev}`)
    const time = c.uvarint('CPU sample time')
    const m = c.uvarint('CPU sample M')
    const p = c.uvarint('CPU sample P')
    const gid = c.uvarint('CPU sample G')
    const stack = c.uvarint('CPU sample stack')
    g.cpuSamples.push({ time, m, p, g: gid === 0 ? -1 : gid, stack })
  }
}

function setSync(g: Generation, c: ByteCursor, batchTime: number, version: number): void {
  if (version >= 25) c.byte('sync header')
  let last = batchTime
  while (c.remaining > 0) {
    const ev = c.byte('sync event')
    if (ev === EV.Frequency) {
      if (g.freq !== 0) c.fail('found multiple frequency events')
      const f = c.uvarint('frequency')
      g.freq = 1.0 / (f / 1e9)
    } else if (ev === EV.ClockSnapshot && version >= 25) {
      if (g.clock) c.fail('found multiple clock snapshot events')
      last += c.uvarint('clock snapshot time')
      const mono = c.uvarint('clock snapshot mono')
      const sec = c.uvarint('clock snapshot sec')
      const nsec = c.uvarint('clock snapshot nsec')
      g.clock = { time: last, mono, sec, nsec }
    } else c.fail(`expected frequency or clock snapshot event, got ${ev}`)
  }
}

/** Go's frequency.mul: float64 multiply, truncated to int64. */
export function mul(freq: number, ticks: number): number {
  return Math.trunc(ticks * freq)
}

/** Checks that every stack's PCs and their strings exist, as Go does when a generation is complete. */
export function validateTables(g: Generation): void {
  for (const [id, pcs] of g.stacks) {
    for (const pc of pcs) {
      const f = g.pcs.get(pc)
      if (!f) throw new TraceFormatError('corrupt', `found unknown pc ${pc.toString(16)} for stack ${id}`, -1)
      if (f[0] !== 0 && !g.strings.has(f[0])) throw new TraceFormatError('corrupt', `found invalid func string ID ${f[0]} for stack ${id}`, -1)
      if (f[1] !== 0 && !g.strings.has(f[1])) throw new TraceFormatError('corrupt', `found invalid file string ID ${f[1]} for stack ${id}`, -1)
    }
  }
}
