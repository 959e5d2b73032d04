// The two-thread decode (v2/pipeline.ts) against the one-thread decode: the same events and the same errors, on every
// current-format trace of the corpus, on Go's fuzz inputs and on mutated traces. The two halves talk over a real
// worker_threads MessageChannel (structured cloning and transfers as between threads), both ends in this thread;
// the CLI's real thread is compared in tests/unit/cli.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeEvents } from '../../../src-shared/trace/decode'
import { TraceFormatError } from '../../../src-shared/trace/errors'
import { keptHelper, type PipeMessage, type PipePort } from '../../../src-shared/trace/v2/pipeline'
import { channelThread } from './order-channel'
import { referenceGo } from '../corpus/go-parsed'
import { goFuzzInputs, ourDump } from './dump-text'
import { mutationSeeds, xorshift32 } from './fuzz'

const root = join(import.meta.dirname, '../../../traces')
const corpus = readdirSync(root)
  .filter((d) => statSync(join(root, d)).isDirectory() && d !== 'big')
  .flatMap((d) => readdirSync(join(root, d)).filter((f) => /\.go12[2-9](\.p1)?\.trace$/.test(f)).map((f) => join(root, d, f)))

describe('two-thread decode = one-thread decode', () => {
  it('has a corpus to compare', () => expect(corpus.length).toBeGreaterThan(20))

  it.each(corpus.map((p) => [p.slice(root.length + 1), p]))('%s', async (_name, path) => {
    const thread = channelThread()
    const [one, two] = await Promise.all([ourDump(path), ourDump(path, { orderThread: thread.make })])
    expect(thread.made()).toBe(1)
    expect(two.error).toBe(one.error)
    expect(two.stdout === one.stdout, 'the two-thread dump differs').toBe(true)
    expect(one.stdout.length).toBeGreaterThan(1000)
  })

  /** Both decodes of each input: the same dump and error; returns the kinds of outcome seen. */
  async function sameOnBoth(inputs: Uint8Array[]): Promise<Set<string>> {
    const outcomes = new Set<string>()
    for (const bytes of inputs) {
      const [one, two] = await Promise.all([ourDump(bytes), ourDump(bytes, { orderThread: channelThread().make })])
      expect(two.error).toBe(one.error)
      expect(two.stdout === one.stdout, `dumps differ (error: ${one.error})`).toBe(true)
      outcomes.add(one.error ? one.error.replace(/[\d\s].*$/s, '') : 'ok')
    }
    return outcomes
  }

  it('gives the same errors on 600 mutated traces', async () => {
    const seeds = mutationSeeds()
    const next = xorshift32(0x1234567)
    const rand = (n: number) => next() % n
    const inputs: Uint8Array[] = []
    for (let n = 0; n < 600; n++) {
      const b = new Uint8Array(seeds[n % seeds.length]!)
      if (n % 3 === 0) inputs.push(b.subarray(0, 16 + rand(b.length - 16)))
      else {
        for (let k = 1 + rand(4); k > 0; k--) b[16 + rand(b.length - 16)] ^= 1 << rand(8)
        inputs.push(b)
      }
    }
    // The inputs reach many different errors, so the error paths of both halves are compared.
    expect((await sameOnBoth(inputs)).size).toBeGreaterThan(8)
  }, 300_000)

  // Go's fuzz inputs live in GOROOT: without go on PATH there are none to read.
  it.skipIf(!referenceGo().ok)('gives the same errors on Go\'s fuzz inputs', async () => {
    const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim()
    const inputs = goFuzzInputs(goroot).map((f) => f.bytes)
    expect(inputs.length).toBeGreaterThan(5)
    await sameOnBoth(inputs)
  })

  it('reports progress by generation and can be cancelled', async () => {
    const path = corpus.find((p) => p.includes('timeout-leak') && p.endsWith('go126.trace'))!
    const bytes = readFileSync(path)
    const seen: number[] = []
    const t = await decodeEvents([bytes], { orderThread: channelThread().make, onProgress: (p) => seen.push(p.generations) })
    expect(t.generations).toBeGreaterThan(0)
    expect(t.threads).toBe(2)
    expect((await decodeEvents([bytes])).threads).toBe(1)
    expect(seen.at(-1)).toBe(t.generations)
    const abort = new AbortController()
    abort.abort()
    const err = await decodeEvents([bytes.subarray(0, 1 << 16), bytes.subarray(1 << 16)], { orderThread: channelThread().make, signal: abort.signal }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TraceFormatError)
    expect((err as TraceFormatError).kind).toBe('cancelled')
  })

  it('orders trace after trace on a kept helper, and lets go of one whose decode failed or was cancelled', async () => {
    const thread = channelThread()
    const orderThread = keptHelper(thread.make)
    // Traces that decode cleanly, each one different from the one before.
    const clean: string[] = []
    for (const path of corpus) if (clean.length < 8 && !(await ourDump(path)).error) clean.push(path)
    expect(clean.length).toBe(8)
    const same = async (input: string | Uint8Array) => {
      const [one, two] = await Promise.all([ourDump(input), ourDump(input, { orderThread })])
      expect(two.error).toBe(one.error)
      expect(two.stdout === one.stdout, 'the dump on the kept helper differs').toBe(true)
      return one.error
    }
    for (const path of clean) expect(await same(path)).toBeNull()
    expect(thread.made()).toBe(1)
    // A truncated trace ends on an error: that helper is let go, and the next trace gets a new one.
    const bytes = new Uint8Array(readFileSync(clean[0]!))
    expect(await same(bytes.subarray(0, bytes.length - 1000))).toMatch(/truncated/)
    expect(thread.made()).toBe(1)
    expect(await same(clean[1]!)).toBeNull()
    expect(thread.made()).toBe(2)
    // So is one whose decode was cancelled.
    const abort = new AbortController()
    abort.abort()
    const err = await decodeEvents([bytes.subarray(0, 1 << 12), bytes.subarray(1 << 12)], { orderThread, signal: abort.signal }).catch((e: unknown) => e)
    expect((err as TraceFormatError).kind).toBe('cancelled')
    expect(await same(clean[2]!)).toBeNull()
    expect(thread.made()).toBe(3)
    expect(await same(clean[3]!)).toBeNull()
    expect(thread.made()).toBe(3)
  })

  it('keeps no helper after a trace bigger than it is told to keep helpers for', async () => {
    const thread = channelThread()
    const [small, big] = corpus.map((p) => ({ p, size: statSync(p).size })).sort((x, y) => x.size - y.size).filter((t, i, all) => i === 0 || i === all.length - 1)
    const orderThread = keptHelper(thread.make, big!.size - 100)
    for (const { p } of [small!, small!, big!, small!]) expect((await ourDump(p, { orderThread })).error).toBeNull()
    // The second small trace reuses the first one's helper; the big one's is let go.
    expect(thread.made()).toBe(2)
    // A limit of 0: never kept.
    const never = channelThread()
    for (const { p } of [small!, small!]) expect((await ourDump(p, { orderThread: keptHelper(never.make, 0) })).error).toBeNull()
    expect(never.made()).toBe(2)
  })

  it('starts no helper for a trace smaller than it is told to start one for, but uses a kept one whatever the size', async () => {
    const thread = channelThread()
    const sized = corpus.filter((p) => p.endsWith('go126.trace')).map((p) => ({ bytes: readFileSync(p) })).sort((x, y) => x.bytes.length - y.bytes.length)
    const small = sized[0]!.bytes
    const big = sized[sized.length - 1]!.bytes
    const orderThread = keptHelper(thread.make, undefined, big.length)
    const decode = (bytes: Uint8Array, totalBytes: number | undefined) => decodeEvents([bytes], { orderThread, totalBytes })
    // Small, with no helper yet: one thread, none started.
    expect((await decode(small, small.length)).threads).toBe(1)
    expect(thread.made()).toBe(0)
    // A size not known: a helper, as before.
    expect((await decode(small, undefined)).threads).toBe(2)
    expect(thread.made()).toBe(1)
    // Small again, with that helper kept: it is used.
    expect((await decode(small, small.length)).threads).toBe(2)
    // Big enough: the kept one again, not a new one.
    expect((await decode(big, big.length)).threads).toBe(2)
    expect(thread.made()).toBe(1)
  })

  it('decodes in this thread when a kept helper turns out to have died', async () => {
    const thread = channelThread()
    let dead = false
    // A helper that, once `dead`, answers the kept helper's `wake` with the crash its host would report.
    const make = (): PipePort => {
      const port = thread.make()
      let handler: (m: PipeMessage) => void = () => {}
      return {
        ...port,
        listen: (h) => port.listen((handler = h)),
        post: (m, transfer) => (dead && m.k === 'wake' ? void Promise.resolve().then(() => handler({ k: 'crash', message: 'exited with code 1' })) : port.post(m, transfer)),
      }
    }
    const orderThread = keptHelper(make)
    const [a, b] = corpus.filter((p) => p.endsWith('go126.trace')).slice(0, 2)
    expect((await decodeEvents([readFileSync(a!)], { orderThread })).threads).toBe(2)
    dead = true
    const [one, two] = await Promise.all([ourDump(b!), ourDump(b!, { orderThread })])
    expect(two.stdout === one.stdout).toBe(true)
    expect(thread.made()).toBe(1)
    dead = false
    expect((await decodeEvents([readFileSync(a!)], { orderThread })).threads).toBe(2)
    expect(thread.made()).toBe(2)
  })

  it('decodes in this thread when the helper cannot start', async () => {
    const path = corpus.find((p) => p.includes('annotated') && p.endsWith('go125.trace'))!
    let closed = 0
    const broken = (): PipePort => ({
      post: () => {
        throw new Error('nothing may be sent to a helper that never started')
      },
      listen: (h) => queueMicrotask(() => h({ k: 'crash', message: 'Cannot find module order-worker.js' })),
      close: () => void closed++,
    })
    const [one, two] = await Promise.all([ourDump(path), ourDump(path, { orderThread: broken })])
    expect((await decodeEvents([readFileSync(path)], { orderThread: broken })).threads).toBe(1)
    expect(two.error).toBe(one.error)
    expect(two.stdout === one.stdout).toBe(true)
    expect(closed).toBe(2)
  })
})
