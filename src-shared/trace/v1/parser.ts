// Reads the legacy wire format out of one in-memory copy of the file (the dictionaries come last, so nothing can be
// decoded before the end is seen). Pass 1 walks every event header to find each P's batches and the CPU samples
// without keeping arguments; batches are then decoded lazily, one at a time, as the ordering engine asks for them.
import { ByteCursor } from '../bytes'
import { TraceFormatError } from '../errors'
import { byteString } from '../text'
import { FAKE_P, V1, V1_COUNT, V1_DESC, wireArgCount, type V1Event } from './format'

export interface V1Frame {
  fn: number // legacy string ID
  file: number
  line: number
}

const MAX_INT32 = 2 ** 31 - 1

export class V1Parser {
  private readonly cur: ByteCursor
  readonly strings = new Map<number, string>()
  readonly inlineStrings: string[] = []
  private readonly inlineIndex = new Map<string, number>()
  /** Batch start offsets per P, in order of first appearance; consumed front to back. */
  readonly batches = new Map<number, number[]>()
  readonly stacks = new Map<number, number[]>()
  readonly pcs = new Map<number, V1Frame>()
  readonly timerGoids = new Set<number>()
  readonly cpuSamples: V1Event[] = []
  ticksPerSec = 0

  // Raw event being read.
  private rawArgs: number[] = []
  private rawStr = ''
  private rawPid = 0
  private rawOff = 0

  // Per-batch decoding state: which P and G the following events belong to, and the running timestamp.
  private lastTs = 0
  private lastG = 0
  private lastP = 0
  private readonly lastGs = new Map<number, number>()

  /** `bytes` holds everything after the 16-byte header. */
  constructor(bytes: Uint8Array, private readonly version: number) {
    this.cur = new ByteCursor(bytes, 0, bytes.length, 16)
  }

  private fail(message: string, at = this.rawOff): never {
    throw new TraceFormatError('corrupt', message, 16 + at)
  }

  /** Reads one raw event; returns its type, V1.None for a string entry, or -1 at the end of the data. */
  private readRaw(skip: boolean): number {
    const c = this.cur
    if (c.remaining === 0) return -1
    this.rawOff = c.pos
    const b = c.byte('event type')
    const type = b & 0x3f
    const narg = (b >> 6) + 1
    if (type === V1.None || type >= V1_COUNT || V1_DESC[type]!.since > this.version) this.fail(`unknown event type ${type}`)
    this.rawArgs.length = 0
    if (type === V1.String) {
      const id = c.uvarint('string id')
      const len = c.uvarint('string length')
      if (skip) {
        if (len < 0) this.fail(`string has invalid length ${len}`)
        c.take(len, 'string')
        return V1.None
      }
      if (id === 0) this.fail('string has invalid id 0')
      if (this.strings.get(id)) this.fail(`string has duplicate id ${id}`)
      if (len === 0) this.fail('string has invalid length 0')
      if (len < 0 || len > 1e6) this.fail(`string has too large length ${len}`)
      this.strings.set(id, byteString(c.take(len, 'string')))
      return V1.None
    }
    if (type === V1.Batch) {
      if (narg !== 2) this.fail(`EvBatch has wrong number of arguments: got ${narg}, want 2`)
      const pid = c.uvarint('batch P')
      if (pid !== -1 && (pid < 0 || pid > MAX_INT32)) this.fail(`processor ID ${pid} is larger than maximum of ${MAX_INT32}`)
      this.rawPid = pid
      this.rawArgs.push(pid, c.uvarint('batch timestamp'))
      return type
    }
    if (narg <= 3) {
      for (let i = 0; i < narg; i++) {
        const v = c.uvarint(`event ${type} argument`)
        if (!skip) this.rawArgs.push(v)
      }
      return type
    }
    // Four or more arguments: a byte length, then the varints.
    const len = c.uvarint(`event ${type} argument length`)
    if (len < 0 || len > 2048) this.fail(`failed to read event ${type} argument: length-prefixed argument too big: ${len} bytes, limit is 2048`)
    if (!skip || type === V1.CPUSample) {
      const end = c.pos + len
      if (end > c.end) c.fail(`unexpected end of data reading event ${type} arguments`, 'truncated')
      const inner = new ByteCursor(c.bytes, c.pos, end, 16)
      while (inner.remaining > 0) this.rawArgs.push(inner.uvarint(`event ${type} argument`))
      c.pos = end
    } else c.take(len, `event ${type} arguments`)
    if (type === V1.UserLog) {
      const n = c.uvarint('log message length')
      if (n < 0 || n > 1e6) this.fail(`string is too large (len=${n})`)
      const bytes = c.take(n, 'log message')
      if (!skip) this.rawStr = byteString(bytes)
    }
    return type
  }

  /** Pass 1: where each P's batches start, and the CPU samples (they are ordered by their own timestamps). */
  collect(signal?: { readonly aborted: boolean }): void {
    let curP = 0
    let seen = 0
    for (;;) {
      const type = this.readRaw(true)
      if (type < 0) break
      if (type === V1.None) continue
      if ((++seen & 0xffff) === 0 && signal?.aborted) throw new TraceFormatError('cancelled', 'cancelled', -1)
      if (type === V1.Batch) {
        let list = this.batches.get(this.rawPid)
        if (!list) this.batches.set(this.rawPid, (list = []))
        list.push(this.rawOff)
        curP = this.rawPid
      }
      if (!this.batches.get(curP)?.length) this.fail(`read event ${type} with current P of ${curP}, but P has no batches yet`)
      if (type === V1.CPUSample) {
        const a = this.rawArgs
        if (a.length !== 5) this.fail(`CPU sample has wrong number of arguments: want 5, got ${a.length}`)
        this.cpuSamples.push({ type, ts: a[1]!, p: a[2]! | 0, g: a[3]!, a0: 0, a1: 0, a2: 0, a3: 0, stk: a[4]! >>> 0, off: this.rawOff })
      }
    }
    // Stable by time, like Go's sort of the samples.
    this.cpuSamples.sort((x, y) => x.ts - y.ts)
  }

  /** Decodes the next batch of P `pid`, or returns null when the P has none left. */
  loadBatch(pid: number): V1Event[] | null {
    const list = this.batches.get(pid)
    if (!list || list.length === 0) return null
    this.cur.pos = list.shift()!
    const out: V1Event[] = []
    let gotHeader = false
    for (;;) {
      const type = this.readRaw(false)
      if (type < 0) break
      if (type === V1.None || type === V1.CPUSample) continue
      if (type === V1.Batch) {
        if (gotHeader) break
        gotHeader = true
      }
      const ev = this.parseEvent(type)
      if (ev) out.push(ev)
    }
    return out
  }

  private parseEvent(type: number): V1Event | null {
    const a = this.rawArgs
    const desc = V1_DESC[type]!
    const want = wireArgCount(type, a.length)
    if (a.length !== want) this.fail(`${desc.name} has wrong number of arguments: want ${want}, got ${a.length}`)
    switch (type) {
      case V1.Batch:
        this.lastGs.set(this.lastP, this.lastG)
        this.lastP = a[0]!
        this.lastG = this.lastGs.get(this.lastP) ?? 0
        this.lastTs = a[1]!
        return null
      case V1.Frequency:
        this.ticksPerSec = a[0]!
        if (this.ticksPerSec <= 0) this.fail('time stamps out of order (frequency is not positive)')
        return null
      case V1.TimerGoroutine:
        this.timerGoids.add(a[0]!)
        return null
      case V1.Stack: {
        if (a.length < 2) this.fail(`EvStack has wrong number of arguments: want at least 2, got ${a.length}`)
        const size = a[1]!
        if (size < 0 || size > 1000) this.fail(`EvStack has bad number of frames: ${size}`)
        if (a.length !== 2 + 4 * size) this.fail(`EvStack has wrong number of arguments: want ${2 + 4 * size}, got ${a.length}`)
        const id = a[0]! >>> 0
        if (id !== 0 && size > 0) {
          const pcs: number[] = []
          for (let i = 0; i < size; i++) {
            const pc = a[2 + i * 4]!
            pcs.push(pc)
            if (!this.pcs.has(pc)) this.pcs.set(pc, { fn: a[3 + i * 4]!, file: a[4 + i * 4]!, line: a[5 + i * 4]! })
          }
          this.stacks.set(id, pcs)
        }
        return null
      }
    }
    const ts = this.lastTs + a[0]!
    this.lastTs = ts
    const ev: V1Event = { type, ts, p: this.lastP, g: this.lastG, a0: 0, a1: 0, a2: 0, a3: 0, stk: 0, off: 16 + this.rawOff }
    for (let i = 1; i < a.length; i++) {
      if (i === a.length - 1 && desc.stack) ev.stk = a[i]! >>> 0
      else if (i === 1) ev.a0 = a[i]!
      else if (i === 2) ev.a1 = a[i]!
      else if (i === 3) ev.a2 = a[i]!
      else ev.a3 = a[i]!
    }
    switch (type) {
      case V1.GoStart: case V1.GoStartLocal: case V1.GoStartLabel:
        this.lastG = ev.a0
        ev.g = this.lastG
        break
      case V1.GoEnd: case V1.GoStop: case V1.GoSched: case V1.GoPreempt: case V1.GoSleep: case V1.GoBlock:
      case V1.GoBlockSend: case V1.GoBlockRecv: case V1.GoBlockSelect: case V1.GoBlockSync: case V1.GoBlockCond:
      case V1.GoBlockNet: case V1.GoSysBlock: case V1.GoBlockGC:
        this.lastG = 0
        break
      case V1.GoSysExit: case V1.GoWaiting: case V1.GoInSyscall:
        ev.g = ev.a0
        break
      case V1.UserLog: {
        let id = this.inlineIndex.get(this.rawStr)
        if (id === undefined) {
          id = this.inlineStrings.length
          this.inlineIndex.set(this.rawStr, id)
          this.inlineStrings.push(this.rawStr)
        }
        ev.a3 = id
        break
      }
    }
    return ev
  }
}

export { FAKE_P }
