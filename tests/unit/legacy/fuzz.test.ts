// Mutated real legacy traces (GOROOT's recorded v1 files): every case must end in events or a TraceFormatError
// with a byte offset or a reason, never a stray exception or a hang. Deterministic seeds, so failures reproduce.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeEvents } from '../../../src-shared/trace/decode'
import { TraceFormatError } from '../../../src-shared/trace/errors'
import { goParsed, referenceGo } from '../corpus/go-parsed'
import { ourDump } from '../decoder/dump-text'
import { compareDumps } from './tie-compare'

function goroot(): string | null {
  try {
    return execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim()
  } catch {
    return null
  }
}

/** xorshift32: small, fast, reproducible. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 2 ** 32
  }
}

function mutate(src: Uint8Array, rand: () => number): Uint8Array {
  const int = (n: number) => Math.floor(rand() * n)
  let b = src.slice()
  const rounds = 1 + int(4)
  for (let r = 0; r < rounds; r++) {
    // Never touch the 16-byte header: that path is tested elsewhere, and we want the legacy decoder to run.
    const at = 16 + int(Math.max(1, b.length - 16))
    switch (int(6)) {
      case 0: b[at] = int(256); break // random byte
      case 1: b[at] = b[at]! ^ (1 << int(8)); break // bit flip
      case 2: b = b.slice(0, at); break // truncation
      case 3: { // a run of continuation bytes: long or overflowing varints
        const n = 1 + int(12)
        for (let i = 0; i < n && at + i < b.length; i++) b[at + i] = 0x80 | int(128)
        break
      }
      case 4: { // splice a chunk from elsewhere (duplicated batches, strings, stacks)
        const from = 16 + int(Math.max(1, b.length - 16))
        const len = 1 + int(64)
        const out = new Uint8Array(b.length + len)
        out.set(b.subarray(0, at))
        out.set(b.subarray(from, from + len), at)
        out.set(b.subarray(at), at + Math.min(len, b.length - from))
        b = out.subarray(0, b.length + Math.min(len, b.length - from))
        break
      }
      case 5: { // delete a few bytes
        const len = 1 + int(8)
        const head = b.subarray(0, at)
        const tail = b.subarray(Math.min(b.length, at + len))
        const out = new Uint8Array(head.length + tail.length)
        out.set(head)
        out.set(tail, head.length)
        b = out
        break
      }
    }
  }
  return b
}

const root = goroot()
const files = ['user_task_region_1_11_good', 'user_task_region_1_21_good', 'stress_start_stop_1_19_good', 'stress_start_stop_1_21_good', 'http_1_21_good']

describe.skipIf(!root)('legacy decoder under fuzzed input', () => {
  const dir = join(root ?? '', 'src/internal/trace/internal/tracev1/testdata')
  it.each(files)('%s: 800 mutations each end in events or a clean error', async (name) => {
    const src = new Uint8Array(readFileSync(join(dir, name)))
    const rand = rng(name.length * 7919 + src.length)
    let ok = 0
    let failed = 0
    for (let c = 0; c < 800; c++) {
      const input = mutate(src, rand)
      try {
        const t = await decodeEvents([input])
        if (t.error) {
          expect(t.error).toBeInstanceOf(TraceFormatError)
          expect(t.error.message).not.toMatch(/TypeError|RangeError|undefined/)
          failed++
        } else ok++
      } catch (err) {
        if (!(err instanceof TraceFormatError)) throw new Error(`case ${c} of ${name}: stray ${(err as Error).stack}`)
        failed++
      }
    }
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    expect(failed).toBeGreaterThan(100)
    expect(ok + failed).toBe(800)
  }, 120_000)

  // The same verdict as Go's reader on mutated files: accepted by both (with the same events) or rejected by both.
  it.skipIf(!referenceGo().ok)('agrees with go tool trace -d=parsed on 150 mutations', async () => {
    const src = new Uint8Array(readFileSync(join(dir, 'stress_start_stop_1_21_good')))
    const rand = rng(20260523)
    const tmp = mkdtempSync(join(tmpdir(), 'lifeline-legacy-fuzz-'))
    let rejected = 0
    for (let c = 0; c < 150; c++) {
      const input = mutate(src, rand)
      const file = join(tmp, `case-${c}.trace`)
      writeFileSync(file, input)
      const [ours, theirs] = await Promise.all([ourDump(input), goParsed(file, true)])
      const goRejects = theirs.code !== 0 || /error|panic/i.test(theirs.stderr)
      expect(ours.error !== null, `case ${c}: Go ${goRejects ? 'rejects' : 'accepts'} it (${theirs.stderr.trim()}); we said ${ours.error}`).toBe(goRejects)
      if (!goRejects) {
        // Mutated file names hold invalid UTF-8, which Go prints raw and we keep as bytes: compare them as ASCII.
        const ascii = (t: string) => t.replace(/[^\x00-\x7f]/g, '?')
        const r = compareDumps(ascii(ours.stdout), ascii(theirs.stdout))
        expect(r.equal, `case ${c}: ${r.firstDiff}`).toBe(true)
      } else rejected++
    }
    expect(rejected).toBeGreaterThan(20)
  }, 300_000)
})

if (!root) describe('legacy fuzz', () => it.skip('no go on PATH: GOROOT testdata traces unavailable', () => undefined))
