// The compact event store gives back exactly what was pushed, including the values that do not fit its narrow
// cells (big time gaps, times going backwards, many threads, wide P/G IDs, 64-bit arguments) and across chunks.
import { describe, expect, it } from 'vitest'
import { EV, EventStore, droppedArg, eventRecord } from '../../../src-shared/trace/events'
import { xorshift32 } from './fuzz'

/** Numbers in [0, 1) from a xorshift32 sequence, so a failure can be replayed. */
function rng(seed: number) {
  const next = xorshift32(seed)
  return () => next() / 2 ** 32
}

/** Events with every kind of wide value, as push arguments, and what each reads back as. */
function randomEvents(seed: number, count: number): { push: number[][]; want: number[][] } {
  const r = rng(seed)
  const push: number[][] = []
  const want: number[][] = []
  let t = 1e15
  const wide = () => {
    const k = r()
    if (k < 0.01) return -(2 ** 52) + Math.floor(r() * 1000) // 64-bit reading of a huge unsigned value
    if (k < 0.02) return 2 ** 40 + Math.floor(r() * 1e6)
    if (k < 0.03) return -1
    if (k < 0.5) return 0
    return Math.floor(r() * 100000)
  }
  for (let i = 0; i < count; i++) {
    const k = r()
    t += k < 0.001 ? 5e9 : k < 0.002 ? -1000 : Math.floor(r() * 5000) // sparse gaps and a clock going back
    const m = r() < 0.001 ? 2 ** 63 - 1 : r() < 0.0005 ? 70000 + Math.floor(r() * 70000) : 1000 + Math.floor(r() * 8)
    const p = r() < 0.001 ? 40000 : r() < 0.1 ? -1 : Math.floor(r() * 4)
    const g = r() < 0.001 ? 2 ** 33 : r() < 0.1 ? -1 : Math.floor(r() * 200000)
    const ev = [Math.floor(r() * 53), t, m, p, g, wide(), wide(), wide(), wide()]
    // Sequence numbers (GoUnblock's argument 1, GCBegin's argument 0, ...) are not kept: they read back as 0, and the
    // arguments after them are kept.
    const dropped = droppedArg(ev[0]!)
    push.push(ev)
    want.push(dropped >= 0 ? ev.map((v, k) => (k === 5 + dropped ? 0 : v)) : ev)
  }
  return { push, want }
}

function pushed(s: EventStore, ev: number[]): void {
  s.push(ev[0]!, ev[1]!, ev[2]!, ev[3]!, ev[4]!, ev[5], ev[6], ev[7], ev[8])
}

/** Every event of s read back three ways against want. */
function expectHolds(s: EventStore, want: number[][]): void {
  expect(s.count).toBe(want.length)
  const a = [0, 0, 0, 0]
  const e = eventRecord()
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!
    s.argsInto(i, a)
    s.read(i, e)
    const got = [s.typeAt(i), s.timeAt(i), s.mAt(i), s.pAt(i), s.gAt(i), s.arg(i, 0), s.arg(i, 1), s.arg(i, 2), s.arg(i, 3)]
    const read = [e.type, e.time, e.m, e.p, e.g, ...e.args]
    if (got.join() !== w.join() || a.join() !== w.slice(5).join() || read.join() !== w.join()) expect({ i, got, a, read }).toEqual({ i, got: w, a: w.slice(5), read: w })
  }
}

describe('EventStore', () => {
  it('round-trips 300 000 events with every kind of wide value', () => {
    const { push, want } = randomEvents(42, 300_000)
    const s = new EventStore()
    for (const ev of push) pushed(s, ev)
    expectHolds(s, want)
  })

  it('fills stores by turns (one encoder per thread, lent to one store at a time) as it fills each alone', () => {
    // Three stores, filled in bursts of 1 to 100 000 events (crossing chunks, and leaving chunks half filled when
    // another store takes the encoder), and now and then read while being filled.
    const traces = [randomEvents(7, 250_000), randomEvents(8, 180_000), randomEvents(9, 70_000)]
    const stores = traces.map(() => new EventStore())
    const r = rng(3)
    const at = traces.map(() => 0)
    while (at.some((n, k) => n < traces[k]!.push.length)) {
      const k = Math.floor(r() * traces.length)
      const burst = Math.floor(r() ** 3 * 100_000) + 1
      const { push } = traces[k]!
      for (let n = 0; n < burst && at[k]! < push.length; n++) pushed(stores[k]!, push[at[k]!++]!)
      if (r() < 0.3 && stores[k]!.count > 0) stores[k]!.timeAt(stores[k]!.count - 1)
    }
    traces.forEach((t, k) => expectHolds(stores[k]!, t.want))
    // And the columns are the ones a store filled alone has.
    const alone = new EventStore()
    for (const ev of traces[1]!.push) pushed(alone, ev)
    expect(stores[1]!.columnBytes).toBe(alone.columnBytes)
  })

  it('takes blocks of records (the ordering engine\'s output) as it takes events one by one, by turns with other stores', () => {
    // Blocks of 1 to 20 000 records (the stage holds a few thousand: a block crosses it, and chunks), pushed into two
    // stores by turns, with single pushes between, read while filling.
    const traces = [randomEvents(11, 200_000), randomEvents(12, 90_000)]
    const stores = traces.map(() => new EventStore())
    const r = rng(5)
    const at = traces.map(() => 0)
    while (at.some((n, k) => n < traces[k]!.push.length)) {
      const k = Math.floor(r() * traces.length)
      const { push } = traces[k]!
      const n = Math.min(Math.floor(r() ** 2 * 20_000) + 1, push.length - at[k]!)
      if (n <= 0) continue
      if (r() < 0.2) for (let j = 0; j < n; j++) pushed(stores[k]!, push[at[k]!++]!)
      else {
        const block = new Float64Array(n * 9 + 9 * 7)
        for (let j = 0; j < n; j++) {
          const ev = push[at[k]! + j]!
          for (let f = 0; f < 9; f++) block[j * 9 + f] = ev[f] ?? 0
        }
        stores[k]!.pushRecords(block, n)
        at[k]! += n
      }
      if (r() < 0.3 && stores[k]!.count > 0) stores[k]!.timeAt(stores[k]!.count - 1)
    }
    traces.forEach((t, k) => expectHolds(stores[k]!, t.want))
  })

  it('indexes the first 1023 threads and spills the rest, without keeping each of those again at every event', () => {
    // A program with more OS threads than the context word has M bits for (blocking syscalls, cgo), round robin.
    const s = new EventStore()
    const mOf = (i: number) => 1000 + (i % 1100)
    for (let i = 0; i < 100_000; i++) s.push(EV.GoBlock, 1e12 + i, mOf(i), 0, 3, 1, 2)
    for (let i = 0; i < s.count; i += 7) if (s.mAt(i) !== mOf(i)) expect({ i, m: s.mAt(i) }).toEqual({ i, m: mOf(i) })
    expect((s as unknown as { mIds: number[] }).mIds.length).toBe(1023)
  })

  it('takes far fewer bytes per event than plain columns on a real event mix', () => {
    const s = new EventStore()
    for (let i = 0; i < 4 * 65536; i++) s.push(16, 1e12 + i * 300, 12345, i % 4, 1000 + (i % 5000), 1000 + (i % 5000))
    // time 2 (+ 0.25 for its run) + type 1 + context index 1 + g 2 + offset 1 + one 16-bit argument 2, plus block
    // bases and the tables (whole chunks: the last one is allocated in full).
    expect(s.columnBytes / s.count).toBeLessThan(10)
  })

  it('drops the sequence numbers of the types that have one, and only those', () => {
    const s = new EventStore()
    const types = [EV.ProcStart, EV.ProcSteal, EV.GoStart, EV.GoUnblock, EV.GoSwitch, EV.GoSwitchDestroy, EV.GoSyscallBegin, EV.GCActive, EV.GCBegin, EV.GCEnd, EV.GoBlock, EV.GoCreate]
    for (const t of types) s.push(t, 1e12, 1, 0, 5, 11, 12, 13, 14)
    const got = types.map((_, i) => [0, 1, 2, 3].map((k) => s.arg(i, k)))
    expect(got).toEqual([
      [11, 0, 13, 14], [11, 0, 13, 14], [11, 0, 13, 14], [11, 0, 13, 14], [11, 0, 13, 14], [11, 0, 13, 14],
      [0, 12, 13, 14], [0, 12, 13, 14], [0, 12, 13, 14], [0, 12, 13, 14],
      [11, 12, 13, 14], [11, 12, 13, 14],
    ])
  })

  it('keeps a GoUnblock in two cells: the goroutine and the stack', () => {
    const s = new EventStore()
    for (let i = 0; i < 65536; i++) s.push(EV.GoUnblock, 1e12 + i, 1, 0, 5, 100000 + i, 77 + i, 9)
    expect(s.count).toBe(65536)
    expect([s.arg(65535, 0), s.arg(65535, 1), s.arg(65535, 2), s.arg(65535, 3)]).toEqual([100000 + 65535, 0, 9, 0])
    // time 2.25 + type and context 2 + g 2 + offset 1 + two 32-bit arguments 8 (a goroutine ID above 65535) = 15.25;
    // three cells would make 19.25.
    expect(s.columnBytes / s.count).toBeLessThan(16)
  })

  it('names goroutines through a per-chunk table, and keeps a chunk with an ID beyond Int32 whole', () => {
    const s = new EventStore()
    const gOf = (i: number) => (i === 70_000 ? 2 ** 33 : i % 3 === 0 ? -1 : 1_000_000 + (i % 4000))
    for (let i = 0; i < 3 * 65536; i++) s.push(16, 1e12 + i, 1, 0, gOf(i), 1)
    for (let i = 0; i < s.count; i++) if (s.gAt(i) !== gOf(i)) expect({ i, g: s.gAt(i) }).toEqual({ i, g: gOf(i) })
    // Chunks 1 and 3: 2 bytes a goroutine (plus a 4001-entry table); chunk 2 went wide at event 70 000: 10 bytes.
    // (Time 2.25, type and context 2, the argument group offset 1/8, GoStart's one argument cell 2.)
    const narrow = 2.25 + 2 + 2 + 0.125 + 2
    expect(s.columnBytes / s.count).toBeGreaterThan(narrow + 8 / 3)
    expect(s.columnBytes / s.count).toBeLessThan(narrow + 8 / 3 + 0.6)
  })

  it('names M/P contexts through a per-chunk table of 256, and keeps a word per event in a chunk that sees more', () => {
    const s = new EventStore()
    // Chunk 1: 8 Ms on 4 Ps (32 contexts); chunk 2: from event 100 000 on, 400 Ps; chunk 3: as chunk 1.
    const mOf = (i: number) => 7 + (i % 8)
    const pOf = (i: number) => (i >= 100_000 && i < 2 * 65536 ? i % 400 : i % 4)
    for (let i = 0; i < 3 * 65536; i++) s.push(EV.GoBlock, 1e12 + i, mOf(i), pOf(i), 3, i % 2 === 0 ? 70000 : 1)
    const a = [0, 0, 0, 0]
    for (let i = 0; i < s.count; i++) {
      s.argsInto(i, a)
      const got = [s.typeAt(i), s.mAt(i), s.pAt(i), s.arg(i, 0), a[0]]
      const want = [EV.GoBlock, mOf(i), pOf(i), i % 2 === 0 ? 70000 : 1, i % 2 === 0 ? 70000 : 1]
      if (got.join() !== want.join()) expect({ i, got }).toEqual({ i, got: want })
    }
    // Narrow chunks: 2 bytes for type and context; the wide one 5 (the type and a 32-bit word each, its byte
    // indexes freed), 3 more in one chunk of three.
    const narrow = 2.25 + 2 + 2 + 0.125
    const args = (2 * 2 + 2 * 4) / 2 // GoBlock's two arguments: 16-bit cells, or 32-bit pairs every other event
    expect(s.columnBytes / s.count).toBeGreaterThan(narrow + args + 3 / 3)
    expect(s.columnBytes / s.count).toBeLessThan(narrow + args + 3 / 3 + 0.5)
  })

  it('keeps times as 16-bit offsets inside 16-event runs, and a quiet run (or a clock going back) whole', () => {
    const s = new EventStore()
    const want: number[] = []
    let t = 1e15
    // Chunk 1: busy, 0-999 ns apart. Chunk 2: every run of 16 has one gap of 70 us, one in 500 a gap of 3 s, one in
    // 700 a step back. Chunk 3: busy again.
    for (let i = 0; i < 3 * 65536; i++) {
      const quiet = i >= 65536 && i < 2 * 65536
      t += !quiet ? (i * 7919) % 1000 : i % 500 === 0 ? 3e9 : i % 700 === 0 ? -5000 : i % 16 === 9 ? 70_000 : 3
      want.push(t)
      s.push(16, t, 1, 0, 1)
    }
    for (let i = 0; i < want.length; i++) if (s.timeAt(i) !== want[i]) expect({ i, t: s.timeAt(i) }).toEqual({ i, t: want[i] })
    const e = eventRecord()
    for (let i = 0; i < want.length; i += 13) {
      s.read(i, e)
      expect(e.time).toBe(want[i])
    }
    // Busy chunks: 2.25 bytes of time an event; the quiet one about 6.25 (a 32-bit offset each besides). GoStart
    // keeps its one argument cell (2 bytes), 0 or not.
    expect(s.columnBytes / s.count).toBeGreaterThan(2.25 + 2 + 2 + 0.125 + 2 + 4 / 3)
    expect(s.columnBytes / s.count).toBeLessThan(2.25 + 2 + 2 + 0.125 + 2 + 4 / 3 + 0.5)
  })

  it('keeps arguments that fit 16 bits in 16-bit cells, and wider ones whole, side by side', () => {
    const s = new EventStore()
    const want: number[][] = []
    for (let i = 0; i < 65536; i++) {
      const wide = i % 10 === 0
      const args = wide ? [70000 + i, -1, 2 ** 31 - 1, 65536] : [i % 65536, 0, 65535, 1 + (i % 7)]
      want.push(args)
      s.push(EV.UserLog, 1e12 + i, 1, 0, 5, ...args)
    }
    const e = eventRecord()
    for (let i = 0; i < want.length; i++) {
      const got = [s.arg(i, 0), s.arg(i, 1), s.arg(i, 2), s.arg(i, 3)]
      if (got.join() !== want[i]!.join()) expect({ i, got }).toEqual({ i, got: want[i] })
      // In order, read() finds the cells from the last event's end; here and there, from the group's start.
      if (i % 3 !== 1) {
        s.read(i, e)
        if (Array.from(e.args).join() !== want[i]!.join()) expect({ i, read: Array.from(e.args) }).toEqual({ i, read: want[i] })
      }
    }
    // Nine in ten events take 8 bytes of arguments instead of 16.
    expect(s.columnBytes / s.count).toBeLessThan(8.58 + 0.9 * 8 + 0.1 * 16 + 0.5)
  })

  it('keeps an event\'s arguments beyond what its type keeps (no decoder writes them) in the spill map', () => {
    const s = new EventStore()
    const want: number[][] = []
    for (let i = 0; i < 3000; i++) {
      // GoBlock keeps two (reason, stack); ProcStop none; GoStart one (the goroutine; its sequence number dropped).
      const type = [EV.GoBlock, EV.ProcStop, EV.GoStart][i % 3]!
      const args = i % 7 === 0 ? [i, i + 1, 70000 + i, 9] : type === EV.GoStart ? [i, 0, 0, 0] : type === EV.GoBlock ? [i, 3, 0, 0] : [0, 0, 0, 0]
      want.push(type === EV.GoStart ? [args[0]!, 0, args[2]!, args[3]!] : args)
      s.push(type, 1e12 + i, 1, 0, 5, ...args)
    }
    const e = eventRecord()
    const a = [0, 0, 0, 0]
    for (let i = 0; i < want.length; i++) {
      s.read(i, e)
      s.argsInto(i, a)
      const got = [[s.arg(i, 0), s.arg(i, 1), s.arg(i, 2), s.arg(i, 3)], Array.from(e.args), a]
      for (const g of got) if (g.join() !== want[i]!.join()) expect({ i, g }).toEqual({ i, g: want[i] })
    }
  })
})
