// Damaged legacy traces: each problem is a TraceFormatError naming what is wrong and where (byte offset), and, as in
// Go's reader, a legacy trace that cannot be parsed or ordered yields no events. Chunking does not change results.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeEvents, type DecodeProgress } from '../../../src-shared/trace/decode'
import { eventString } from '../../../src-shared/trace/dump'

let dir = ''
try {
  dir = join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src/internal/trace/internal/tracev1/testdata')
} catch {
  dir = ''
}

const header = (v: number) => new TextEncoder().encode(`go 1.${v} trace\0\0\0`)
const cat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((p) => [...p]))

describe('legacy bad input (hand-made)', () => {
  it('names an unknown event type and its offset', async () => {
    const t = await decodeEvents([cat(header(19), [0x3f])])
    expect(t.error?.message).toBe('unknown event type 63 (at byte 16)')
    expect(t.events.count).toBe(0)
  })
  it('rejects an event newer than the header version (a CPU sample in a go 1.11 file)', async () => {
    const t = await decodeEvents([cat(header(11), [0x01 | 0x40, 0, 5], [0xc0 | 49, 1, 0])])
    expect(t.error?.message).toMatch(/unknown event type 49 \(at byte 19\)/)
  })
  it('says an event comes before any batch', async () => {
    const t = await decodeEvents([cat(header(21), [0x02, 100])]) // a Frequency event with no batch header
    expect(t.error?.message).toMatch(/P has no batches yet \(at byte 16\)/)
  })
  it('reports a missing frequency footer', async () => {
    const t = await decodeEvents([cat(header(21), [0x01 | 0x40, 0, 5])]) // one empty batch, nothing else
    expect(t.error?.message).toBe('no EvFrequency event')
  })
  it('reports a truncated long event with the offset of the missing bytes', async () => {
    const t = await decodeEvents([cat(header(21), [0x01 | 0x40, 0, 5], [0xc0 | 3, 40, 1])])
    expect(t.error?.kind).toBe('truncated')
    expect(t.error?.message).toMatch(/at byte 21\)$/)
  })
  it('rejects a too long length-prefixed argument block', async () => {
    const t = await decodeEvents([cat(header(21), [0x01 | 0x40, 0, 5], [0xc0 | 3, 0x81, 0x20])])
    expect(t.error?.message).toMatch(/length-prefixed argument too big: 4097 bytes, limit is 2048 \(at byte 19\)/)
  })
  it('an empty legacy trace is one Sync event, as in Go', async () => {
    const t = await decodeEvents([cat(header(21), [0x01 | 0x40, 0, 5], [0x02, 100])])
    expect(t.error).toBeNull()
    expect(eventString(t.events, 0)).toBe('M=-1 P=-1 G=-1 Sync Time=0 N=1')
  })
})

describe.skipIf(!dir)('legacy bad input (real traces)', () => {
  const file = () => new Uint8Array(readFileSync(join(dir, 'stress_start_stop_1_21_good')))
  it('keeps nothing of a truncated trace and says where it ends', async () => {
    const bytes = file()
    const t = await decodeEvents([bytes.subarray(0, bytes.length - 100)])
    expect(t.error).not.toBeNull()
    expect(t.events.count).toBe(0)
    expect(t.error!.offset).toBeGreaterThan(16)
    expect(t.error!.offset).toBeLessThanOrEqual(bytes.length - 100)
  })
  it('decodes the same from 7-byte chunks as from one, and reports bytes read', async () => {
    const bytes = file()
    const whole = await decodeEvents([bytes])
    const chunks: Uint8Array[] = []
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7))
    const seen: DecodeProgress[] = []
    const split = await decodeEvents(chunks, { totalBytes: bytes.length, onProgress: (p) => seen.push({ ...p }) })
    expect(split.events.count).toBe(whole.events.count)
    for (let i = 0; i < whole.events.count; i++) expect(eventString(split.events, i)).toBe(eventString(whole.events, i))
    expect(split.legacy).toBe(true)
    expect(split.generations).toBe(1)
    expect(seen.at(-1)!.bytesRead).toBe(bytes.length)
  })
  it('reports progress while it orders and converts, not only while reading', async () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'stress_1_21_good'))) // 98571 events
    const seen: DecodeProgress[] = []
    const t = await decodeEvents([bytes], { totalBytes: bytes.length, onProgress: (p) => seen.push({ ...p }) })
    const converting = seen.filter((p) => p.events > 0 && p.events < t.events.count)
    expect(converting.length).toBeGreaterThan(0)
    expect(seen.at(-1)!.events).toBe(t.events.count)
  })
  it('cancels', async () => {
    await expect(decodeEvents([file()], { signal: { aborted: true } })).rejects.toThrow(/cancel/)
  })
})
