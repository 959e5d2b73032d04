// The WebAssembly half of the ordering engine keeps goroutines, Ps and Ms in hash tables of its own (src-wasm/
// order-engine.ts): IDs at their own low bits until IDs collide, then mixed with a seed. Whole traces test it through
// the parity suite; this tests the tables against a Map, with the IDs real traces have and with crafted ones, and
// the engine on traces built to strain it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { orderEngine } from '../../../src-shared/trace/v2/engine'
import { ourDump } from './dump-text'
import { channelThread } from './order-channel'

/** A small deterministic random source (xorshift), so that a failure repeats. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}

/** Runs `ops` random adds and removes of IDs from `pick`, checking every lookup against a Map. */
function churn(pick: () => number, ops: number, rnd: () => number) {
  const ex = orderEngine()
  const live = new Map<number, number>()
  const ids: number[] = []
  for (let i = 0; i < ops; i++) {
    if (ids.length > 0 && rnd() < 0.4) {
      // Remove a live one.
      const k = Math.floor(rnd() * ids.length)
      const id = ids[k]!
      ids[k] = ids[ids.length - 1]!
      ids.pop()
      ex.gRemove(id)
      live.delete(id)
      expect(ex.gSlot(id)).toBe(-1)
    } else {
      const id = pick()
      if (live.has(id)) continue
      const slot = ex.gAdd(id, 1 + (i % 4), i)
      live.set(id, i)
      ids.push(id)
      expect(ex.gSlot(id)).toBe(slot)
    }
  }
  // Every live goroutine is found with its own status and sequence; removed ones are not.
  for (const [id, i] of live) {
    const s = ex.gSlot(id)
    expect(s, `goroutine ${id}`).toBeGreaterThanOrEqual(0)
    expect(ex.gStatus(s)).toBe(1 + (i % 4))
    expect(ex.gSeqGen(s)).toBe(i)
  }
  return { ex, live }
}

describe('the ordering engine\'s goroutine table', () => {
  it('finds goroutines numbered as the runtime numbers them, with IDs reused by nothing, among many removals', () => {
    const rnd = random(1)
    let next = 1
    const { ex, live } = churn(() => (next += 1 + Math.floor(rnd() * 16)), 200_000, rnd)
    expect(live.size).toBeGreaterThan(10_000)
    expect(ex.gMixed()).toBe(0)
  })

  it('finds goroutines with any 64-bit ID (huge, -1 for 2^64-1, int64 readings of 2^63 and more)', () => {
    const rnd = random(2)
    const pick = () => {
      const r = rnd()
      if (r < 0.1) return -1
      if (r < 0.2) return -Math.floor(rnd() * 2 ** 53)
      if (r < 0.3) return 2 ** 63
      return Math.floor(rnd() * 2 ** 53)
    }
    churn(pick, 100_000, rnd)
  })

  it('turns to mixing IDs that collide at their low bits, and stays correct', () => {
    const rnd = random(3)
    // IDs that all have the same low 20 bits: entered at their low bits, each would probe past all the others.
    let k = 0
    const { ex, live } = churn(() => (k++ * 2 ** 20) + 7, 60_000, rnd)
    expect(live.size).toBeGreaterThan(1000)
    expect(ex.gMixed()).toBe(1)
  })

  it('keeps a million goroutines at once (its memory grows under the views the decoder reads)', () => {
    const ex = orderEngine()
    const before = ex.memory.buffer.byteLength
    for (let id = 1; id <= 1_000_000; id++) ex.gAdd(id, 4, 1)
    expect(ex.memory.buffer.byteLength).toBeGreaterThan(before)
    for (let id = 1; id <= 1_000_000; id += 997) expect(ex.gStatus(ex.gSlot(id))).toBe(4)
    expect(ex.gSlot(1_000_001)).toBe(-1)
    for (let id = 2; id <= 1_000_000; id += 2) ex.gRemove(id)
    for (let id = 1; id <= 1_000; id++) expect(ex.gSlot(id) >= 0).toBe(id % 2 === 1)
  })
})

describe('the ordering engine on traces built to strain it', () => {
  /** Reads a uvarint at b[at]: [value, next offset]. */
  function uvarint(b: Uint8Array, at: number): [number, number] {
    let v = 0
    let mul = 1
    for (;;) {
      const c = b[at++]!
      v += (c & 0x7f) * mul
      if (c < 0x80) return [v, at]
      mul *= 128
    }
  }

  it('decodes a trace with 200 000 empty batches from one M as the trace without them (more batches than a call takes arguments)', async () => {
    const original = new Uint8Array(readFileSync(join(import.meta.dirname, '../../../traces/deadlock-cond/deadlock-cond.go126.trace')))
    // The first batch's header (after the 16-byte file header): type, generation, M, time, size, then its bytes. The
    // empty batches copy its type, generation, M and time, with a size of 0, and follow it.
    const [, a1] = uvarint(original, 17)
    const [, a2] = uvarint(original, a1)
    const [, a3] = uvarint(original, a2)
    const [size, a4] = uvarint(original, a3)
    const at = a4 + size
    const empty = [...original.subarray(16, a3), 0]
    const n = 200_000
    const strained = new Uint8Array(original.length + n * empty.length)
    strained.set(original.subarray(0, at))
    for (let k = 0; k < n; k++) strained.set(empty, at + k * empty.length)
    strained.set(original.subarray(at), at + n * empty.length)
    const want = await ourDump(original)
    expect(want.error).toBeNull()
    for (const orderThread of [undefined, channelThread().make]) {
      const got = await ourDump(strained, { orderThread })
      expect(got.error).toBeNull()
      expect(got.stdout === want.stdout, 'the dump differs').toBe(true)
    }
  })
})
