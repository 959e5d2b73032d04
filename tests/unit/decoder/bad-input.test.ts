// Bad input: truncated, corrupt, wrong version, not a trace. Each gives one clear TraceFormatError naming the
// problem (and byte offset where there is one), keeps what could be read, and never throws anything else or hangs.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeEvents } from '../../../src-shared/trace/decode'
import { TraceFormatError } from '../../../src-shared/trace/errors'
import { mutationSeeds, xorshift32 } from './fuzz'

const root = join(import.meta.dirname, '../../../traces')
const multigen = readFileSync(join(root, 'multigen/multigen.go126.trace'))
const multigen125 = readFileSync(join(root, 'multigen/multigen.go125.trace'))

async function outcome(bytes: Uint8Array) {
  try {
    return await decodeEvents([bytes])
  } catch (err) {
    if (err instanceof TraceFormatError) return err
    throw err
  }
}

describe('bad input', () => {
  it('keeps every complete generation of a truncated trace and says where it was cut', async () => {
    const whole = await decodeEvents([multigen])
    expect(whole.error).toBeNull()
    expect(whole.generations).toBeGreaterThan(3)
    const cut = Math.floor(multigen.length * 0.6)
    const part = await decodeEvents([multigen.subarray(0, cut)])
    expect(part.error?.kind).toBe('truncated')
    expect(part.error?.message).toMatch(new RegExp(`truncated at byte ${cut}: kept ${part.generations} of ${part.generations + 1} generations`))
    expect(part.generations).toBeGreaterThan(0)
    expect(part.generations).toBeLessThan(whole.generations)
    // What was kept is exactly the start of the full decode.
    for (let i = 0; i < part.events.count - 1; i++) expect(part.events.timeAt(i)).toBe(whole.events.timeAt(i))
  })
  it('reports truncation of an older-format trace (no end-of-generation marker) too', async () => {
    const cut = Math.floor(multigen125.length * 0.5)
    const part = await decodeEvents([multigen125.subarray(0, cut)])
    expect(part.error?.kind).toBe('truncated')
    expect(part.error?.message).toMatch(/truncated at byte \d+: kept \d+ of \d+ generations/)
    expect(part.events.count).toBeGreaterThan(100)
  })
  it('names the supported versions for an unsupported header, and rejects what is not a trace', async () => {
    const v = new Uint8Array(multigen)
    v.set(new TextEncoder().encode('go 1.99 trace\0\0\0'), 0)
    const e1 = await outcome(v)
    expect(e1).toBeInstanceOf(TraceFormatError)
    expect((e1 as TraceFormatError).message).toMatch(/unsupported trace version go 1\.99.*go 1\.22, go 1\.23, go 1\.25, go 1\.26/)
    const e2 = await outcome(new TextEncoder().encode('PK\u0003\u0004 this is a zip file, not a trace'))
    expect((e2 as TraceFormatError).kind).toBe('header')
    expect((e2 as TraceFormatError).message).toMatch(/not a Go execution trace/)
    const e3 = await outcome(new Uint8Array(3))
    expect((e3 as TraceFormatError).message).toMatch(/shorter than the 16-byte header/)
  })
  it('names the byte offset of a corrupt batch header', async () => {
    const v = new Uint8Array(multigen)
    v[16] = 0x77 // where the first batch should start
    const r = await outcome(v)
    const err = r instanceof TraceFormatError ? r : r.error
    expect(err?.message).toMatch(/expected batch event, got event 119 \(at byte 16\)/)
  })
  it('rejects a batch size of 2^53 or more with the size as Go prints it (a uint64, exact)', async () => {
    // The first batch's header: type, then gen, M, time and size as varints; its size is swapped for a huge one.
    const varint = (v: bigint) => {
      const out: number[] = []
      for (; v >= 0x80n; v >>= 7n) out.push(Number(v & 0x7fn) | 0x80)
      out.push(Number(v))
      return out
    }
    let at = 17
    for (let field = 0; field < 3; field++) while (multigen[at++]! >= 0x80);
    let end = at
    while (multigen[end++]! >= 0x80);
    // 2^63 + 633 reads as a negative int64, 2^53 + 1 is not exact in a double: both must be refused, and named exactly.
    for (const size of [2n ** 63n + 633n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      const v = Uint8Array.from([...multigen.subarray(0, at), ...varint(size), ...multigen.subarray(end)])
      const r = await outcome(v)
      const err = r instanceof TraceFormatError ? r : r.error
      expect(err?.kind).toBe('corrupt')
      expect(err?.message).toBe(`invalid batch size ${size}, maximum is 65536 (at byte 16)`)
    }
  })
})

describe('fuzz: mutated real traces', () => {
  const seeds = mutationSeeds()
  const next = xorshift32(0x9e3779b9)
  const rand = (n: number) => next() % n
  function mutate(src: Uint8Array): Uint8Array {
    const b = new Uint8Array(src)
    switch (rand(5)) {
      case 0: for (let k = 1 + rand(4); k > 0; k--) b[16 + rand(b.length - 16)] ^= 1 << rand(8); return b
      case 1: return b.subarray(0, 16 + rand(b.length - 16))
      case 2: { const i = 16 + rand(b.length - 16); b[i] = [0, 0xff, 0x80, 1, 52][rand(5)]!; return b }
      case 3: { const i = 16 + rand(b.length - 16); const j = 16 + rand(b.length - 16); b.copyWithin(i, j, j + 1 + rand(64)); return b }
      default: { const i = 16 + rand(b.length - 16); return Uint8Array.from([...b.subarray(0, i), ...b.subarray(i + 1 + rand(32))]) }
    }
  }
  it('ends every one of 4000 cases in a decoded trace or a TraceFormatError', async () => {
    const kinds = new Map<string, number>()
    for (let n = 0; n < 4000; n++) {
      const input = mutate(seeds[n % seeds.length]!)
      let r
      try {
        r = await decodeEvents([input])
      } catch (err) {
        if (!(err instanceof TraceFormatError)) throw new Error(`case ${n}: ${(err as Error).name}: ${(err as Error).message}`)
        r = err
      }
      const kind = r instanceof TraceFormatError ? r.kind : r.error ? r.error.kind : 'ok'
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
      // An event the ordering engine refuses is named by where it is in the file, on the message's first line (what
      // one-line reports keep) as on every other.
      const err = r instanceof TraceFormatError ? r : r.error
      if (err && err.kind !== 'cancelled') {
        const where = /\(at byte (\d+)\)/.exec(err.message.split('\n')[0]!)
        if (err.kind === 'inconsistent') expect(err.offset, `case ${n}: ${err.message}`).toBeGreaterThanOrEqual(16)
        if (err.offset >= 0 && !err.message.includes(`at byte ${err.offset}:`)) expect(where?.[1], `case ${n}: ${err.message}`).toBe(String(err.offset))
      }
    }
    // The mutations reach every kind of outcome, so the test exercises the error paths.
    expect([...kinds.keys()].sort()).toEqual(expect.arrayContaining(['corrupt', 'inconsistent', 'ok', 'truncated']))
  }, 300_000)
})
