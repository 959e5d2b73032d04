// Events sent in chunks (src-shared/trace/transfer.ts, remote.ts) arrive as they were: a store rebuilt from the
// chunks of a decode holds every event, string, frame, stack and clock of the original, on real traces of every
// format, over a real structured-clone channel; and chunks that do not fit are refused.
import { createReadStream, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { decodeEvents } from '../../../src-shared/trace/decode'
import { eventString } from '../../../src-shared/trace/dump'
import { EventStore, EV_SYNC } from '../../../src-shared/trace/events'
import { EV } from '../../../src-shared/trace/spec'
import { receiveDecode, serveDecode, SEND_WINDOW, type FromDecoder, type ReceiverPort, type ServeOptions } from '../../../src-shared/trace/remote'
import { channelThread } from './order-channel'
import { appendChunk, ChunkError, chunkBuffers, ChunkStore, newCursor, type EventChunk } from '../../../src-shared/trace/transfer'

const root = join(import.meta.dirname, '../../../traces')
const traces = [
  'multigen/multigen.go119.trace',
  'multigen/multigen.go121.trace',
  'multigen/multigen.go122.trace',
  'multigen/multigen.go123.trace',
  'annotated/annotated.go125.trace',
  'multigen/multigen.go126.trace',
  'hostile/hostile.go126.trace',
  'timeout-leak/timeout-leak.go121.p1.trace',
]

function dumpText(store: EventStore): string {
  let out = ''
  for (let i = 0; i < store.count; i++) out += eventString(store, i) + '\n'
  return out
}

/** Every field of every event, the dictionaries and the clocks are equal. */
function expectSameStore(got: EventStore, want: EventStore): void {
  expect(got.count).toBe(want.count)
  expect(got.strings).toEqual(want.strings)
  expect(got.frames).toEqual(want.frames)
  expect(got.stacks).toEqual(want.stacks)
  expect([...got.clocks]).toEqual([...want.clocks])
  expect([...got.entryStacks]).toEqual([...want.entryStacks])
  for (let i = 0; i < want.count; i++) {
    const a = [want.typeAt(i), want.timeAt(i), want.mAt(i), want.pAt(i), want.gAt(i), want.arg(i, 0), want.arg(i, 1), want.arg(i, 2), want.arg(i, 3)]
    const b = [got.typeAt(i), got.timeAt(i), got.mAt(i), got.pAt(i), got.gAt(i), got.arg(i, 0), got.arg(i, 1), got.arg(i, 2), got.arg(i, 3)]
    if (a.join() !== b.join()) expect({ i, event: b }).toEqual({ i, event: a })
  }
  expect(dumpText(got) === dumpText(want), 'dump text differs').toBe(true)
}

/** Round-trips chunks through a structured clone, as a message between processes would. */
function cloned<T>(v: T): T {
  return structuredClone(v)
}

/** Both ends of a real channel, the receiving one with the DOM-style onmessage the data worker has. */
function channel(): { sender: MessagePort; receiver: ReceiverPort } {
  const { port1, port2 } = new MessageChannel()
  return { sender: port1, receiver: port2 as unknown as ReceiverPort }
}

function serveOver(sender: MessagePort, source: AsyncIterable<Uint8Array> | Uint8Array[], opts: ServeOptions = {}) {
  const serving = serveDecode(source, { postMessage: (m) => sender.postMessage(m) }, opts)
  sender.on('message', (m: { type: string }) => m.type === 'ack' && serving.ack())
  sender.on('close', () => serving.stop())
  return serving
}

describe('event chunks', () => {
  it.each(traces)('%s: decode into chunks, clone, reassemble = the same events', async (name) => {
    const want = await decodeEvents(createReadStream(join(root, name)) as AsyncIterable<Uint8Array>)
    expect(want.events.count).toBeGreaterThan(100)
    const size = Math.ceil(want.events.count / 7)
    const sent = (await decodeEvents(createReadStream(join(root, name)) as AsyncIterable<Uint8Array>, { store: new ChunkStore(size) })).events
    const got = new EventStore()
    const cursor = newCursor()
    let chunks = 0
    for (let c = sent.take(cursor, true); c; c = sent.take(cursor, true)) {
      appendChunk(got, cloned(c))
      chunks++
    }
    expect(chunks).toBe(7)
    // Sent events are let go of.
    expect(sent.waiting).toBe(0)
    expect(sent.clocks.size + sent.entryStacks.size).toBe(0)
    expect(cursor.events).toBe(want.events.count)
    // Legacy traces keep the start stacks of the goroutines that were there before them (they go along too).
    if (want.legacy) expect(want.events.entryStacks.size).toBeGreaterThan(3)
    expectSameStore(got, want.events)
  })

  it('keeps values that do not fit 32 bits (wide threads, 64-bit arguments) and uses Int32 columns when they do', () => {
    // The same events into an EventStore and into a ChunkStore: the chunk rebuilds the first.
    const s = new EventStore()
    const sent = new ChunkStore(2)
    for (const t of [s, sent]) {
      t.push(EV_SYNC, 1e15, 2 ** 63 - 1, -1, -1, 1)
      t.clocks.set(0, { trace: 1e15, mono: 2e15, sec: 1_700_000_000, nsec: 5 })
      const fn = t.string('main.main')
      const stack = t.stack([t.frame(2 ** 64 - 1, fn, t.string('main.go'), 12)])
      t.push(16, 1e15 + 5e9, 7, 0, 2 ** 40, -(2 ** 52), 0, stack, 0)
      // A GoUnblock's sequence number (argument 1) is not kept: it reads as 0, and is not sent.
      t.push(EV.GoUnblock, 1e15 + 5e9 + 1, 7, 3, 4, 1, 99, 3, 0)
      t.push(16, 1e15 + 5e9 + 2, 7, 3, 4, 1, 2, 3, 4)
    }
    const cursor = newCursor()
    // Only whole chunks while more may come; the rest at the end.
    const first = sent.take(cursor, false)!
    expect(first.count).toBe(2)
    expect(first.m).toBeInstanceOf(Float64Array)
    expect(first.p).toBeInstanceOf(Int32Array)
    expect(sent.take(cursor, false)).toBeNull()
    const second = sent.take(cursor, true)!
    expect(Array.from(first.argCount).concat(Array.from(second.argCount))).toEqual([1, 3, 3, 4])
    expect(Array.from(second.args).slice(0, 3)).toEqual([1, 0, 3])
    const got = new EventStore()
    appendChunk(got, cloned(first))
    appendChunk(got, cloned(second))
    expectSameStore(got, s)
    // Nothing new: no chunk; a dictionary entry alone still makes one.
    expect(sent.take(cursor, true)).toBeNull()
    sent.string('later')
    expect(sent.take(cursor, true)).toMatchObject({ count: 0, strings: ['later'] })
    expect(chunkBuffers(first).length).toBeGreaterThan(5)
  })
})

describe('hostile chunks', () => {
  async function sample(): Promise<{ store: EventStore; chunks: EventChunk[] }> {
    const bytes = readFileSync(join(root, 'multigen/multigen.go126.trace'))
    const d = await decodeEvents([bytes])
    const sent = (await decodeEvents([bytes], { store: new ChunkStore(500) })).events
    const cursor = newCursor()
    const chunks: EventChunk[] = []
    for (let c = sent.take(cursor, true); c; c = sent.take(cursor, true)) chunks.push(c)
    return { store: d.events, chunks }
  }

  it('refuses chunks out of order, wrong shapes and broken references', async () => {
    const { chunks } = await sample()
    const first = chunks[0]!
    const bad = (patch: Partial<Record<keyof EventChunk, unknown>>, base = first) => {
      const store = new EventStore()
      expect(() => appendChunk(store, { ...cloned(base), ...patch })).toThrow(ChunkError)
      return store
    }
    expect(() => appendChunk(new EventStore(), null)).toThrow(ChunkError)
    expect(() => appendChunk(new EventStore(), 'events')).toThrow(ChunkError)
    expect(() => appendChunk(new EventStore(), chunks[1])).toThrow(/starts at event 500, expected 0/)
    bad({ first: -1 })
    bad({ count: first.count + 1 })
    bad({ count: 1e9 })
    bad({ type: Array.from(first.type) })
    bad({ time: new Float32Array(first.count) })
    bad({ g: new Uint8Array(first.count) })
    bad({ argCount: new Uint8Array(first.count).fill(5) })
    bad({ args: first.args.slice(1) })
    bad({ time: new Float64Array(first.count).fill(NaN) })
    bad({ strings: [...first.strings, 7] })
    bad({ strings: ['', 'x', 'x'] })
    bad({ stringBase: 5 })
    bad({ frames: Float64Array.from([0, 1e6, 0, 1]) })
    bad({ frames: Float64Array.from([0, 1.5, 0, 1]) })
    bad({ frames: new Float64Array(3) })
    bad({ stackSizes: Uint32Array.of(...first.stackSizes, 1) })
    bad({ stackSizes: Uint32Array.of(0, 1), stackFrames: Uint32Array.of(1e6) })
    bad({ clocks: Float64Array.of(1, 0, 0, 0, 0) }) // event 1 is not a sync event
    bad({ clocks: Float64Array.of(1e6, 0, 0, 0, 0) })
    bad({ entryStacks: Float64Array.of(1, 1) }) // event 1 is no GoStatus
    bad({ entryStacks: Float64Array.of(1) })
    bad({ entryStacks: [1, 1] })
    // The receiving store already has the empty string and empty stack; a chunk that says otherwise is refused.
    bad({ strings: ['not empty', ...first.strings.slice(1)] })
    // A bad event column is found before anything is appended.
    const untouched = bad({ argCount: new Uint8Array(first.count).fill(5) })
    expect(untouched.count).toBe(0)
  })

  it('rebuilds the store from chunks in order, and only in order', async () => {
    const { store, chunks } = await sample()
    const got = new EventStore()
    for (const c of chunks) appendChunk(got, cloned(c))
    expectSameStore(got, store)
    expect(() => appendChunk(got, cloned(chunks[0]))).toThrow(ChunkError)
  })
})

describe('decoding in one place, the events in another', () => {
  it.each(traces)('%s over a message channel', async (name) => {
    const path = join(root, name)
    const want = await decodeEvents(createReadStream(path) as AsyncIterable<Uint8Array>)
    const { sender, receiver } = channel()
    const size = readFileSync(path).byteLength
    const progress: number[] = []
    serveOver(sender, createReadStream(path, { highWaterMark: 4096 }) as AsyncIterable<Uint8Array>, { totalBytes: size, chunkEvents: 300 })
    const got = await receiveDecode(receiver, { onProgress: (bytes, total) => (expect(total).toBe(size), progress.push(bytes)) }).result
    expect(got).toMatchObject({ version: want.version, legacy: want.legacy, generations: want.generations, bytesRead: want.bytesRead, error: null })
    expectSameStore(got.events, want.events)
    expect(progress.at(-1)).toBe(size)
  })

  it.each(traces)('%s from a decoder that orders on a helper thread (as the desktop decoder process does)', async (name) => {
    const path = join(root, name)
    const want = await decodeEvents(createReadStream(path) as AsyncIterable<Uint8Array>)
    const { sender, receiver } = channel()
    const thread = channelThread()
    serveOver(sender, createReadStream(path, { highWaterMark: 4096 }) as AsyncIterable<Uint8Array>, { chunkEvents: 300, orderThread: thread.make })
    const got = await receiveDecode(receiver).result
    // Legacy formats are read whole, on one thread.
    expect(thread.made()).toBe(want.legacy ? 0 : 1)
    expect(got).toMatchObject({ version: want.version, generations: want.generations, bytesRead: want.bytesRead, error: null, threads: want.legacy ? 1 : 2 })
    expectSameStore(got.events, want.events)
  })

  it('keeps what precedes a truncation, with the error, like a local decode', async () => {
    const bytes = readFileSync(join(root, 'multigen/multigen.go126.trace'))
    const cut = bytes.subarray(0, Math.floor(bytes.byteLength * 0.7))
    const want = await decodeEvents([cut])
    expect(want.error).not.toBeNull()
    const { sender, receiver } = channel()
    serveOver(sender, [cut], { chunkEvents: 256 })
    const got = await receiveDecode(receiver).result
    expect(got.error?.kind).toBe(want.error!.kind)
    expect(got.error?.message).toBe(want.error!.message)
    expect(got.error?.offset).toBe(want.error!.offset)
    expectSameStore(got.events, want.events)
  })

  it('reports a file that is not a trace as a failure with the decoder message', async () => {
    const { sender, receiver } = channel()
    serveOver(sender, [new TextEncoder().encode('this is not a Go execution trace at all')])
    await expect(receiveDecode(receiver).result).rejects.toThrow(/trace/)
  })

  it('never has more than a window of chunks in flight, and stops when the receiver goes away', async () => {
    const bytes = readFileSync(join(root, 'multigen/multigen.go126.trace'))
    const sent: FromDecoder[] = []
    // A receiver that never acknowledges.
    const serving = serveDecode([bytes], { postMessage: (m) => sent.push(m) }, { chunkEvents: 50 })
    await new Promise((r) => setTimeout(r, 50))
    expect(sent.filter((m) => m.type === 'events')).toHaveLength(SEND_WINDOW)
    serving.stop()
    await serving.done
    expect(sent.some((m) => m.type === 'done' || m.type === 'failed')).toBe(false)
  })

  it('cancels: an abort closes the port and rejects with an AbortError, and the sender stops', async () => {
    const bytes = readFileSync(join(root, 'multigen/multigen.go126.trace'))
    const { sender, receiver } = channel()
    const abort = new AbortController()
    const serving = serveOver(sender, [bytes], { chunkEvents: 10 })
    const receiving = receiveDecode(receiver, { signal: abort.signal })
    abort.abort()
    await expect(receiving.result).rejects.toMatchObject({ name: 'AbortError' })
    await serving.done
  })

  it('fails when told to (the decoder process crashed), and on garbage from the other end', async () => {
    const a = channel()
    const receiving = receiveDecode(a.receiver)
    receiving.fail('the decoder ran out of memory and was stopped')
    await expect(receiving.result).rejects.toThrow('the decoder ran out of memory and was stopped')
    a.sender.close()

    for (const garbage of [42, null, { type: 'events', chunk: { first: 0, count: 1 } }, { type: 'done', summary: null }, { type: 'what' }]) {
      const b = channel()
      const result = receiveDecode(b.receiver).result
      b.sender.postMessage(garbage)
      await expect(result).rejects.toThrow()
      b.sender.close()
    }
  })
})

