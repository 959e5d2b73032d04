// Decoding in the desktop build, without Electron: main's DecodeService (grant checks, one process and one channel
// per decode, the port to the window, crash/cancel reporting), the decoder process's entry (request, file stream,
// events over the port, exit when the window lets go) and, wired together in-process over real message channels,
// the window's data arriving intact.
import { EventEmitter } from 'node:events'
import { createReadStream, mkdtempSync, readFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { DecodeService, type DecoderChild, type PortLike, type WindowLike } from '../../../src-main/decoder/service'
import { DecoderSupervisor, type Fork } from '../../../src-main/decoder/supervisor'
import { runDecoderProcess, warmPathOf, type DecoderHost, type DecoderPort, type ParentPortLike } from '../../../src-main/decoder/process'
import { WARM_ROUNDS } from '../../../src-main/decoder/supervisor'
import { WARM_ARG } from '../../../src-main/decoder/supervisor'
import { FileRegistry } from '../../../src-main/files'
import { registerHandlers, senderOf, type InvokeEvent } from '../../../src-main/ipc'
import type { DecoderEnded } from '../../../src-shared/platform/ipc'
import { decodeEvents } from '../../../src-shared/trace/decode'
import { eventString } from '../../../src-shared/trace/dump'
import { receiveDecode, type FromDecoder, type ReceiverPort, type Receiving } from '../../../src-shared/trace/remote'
import type { PagePort } from '../../../src-shared/platform/api'
import { loadDecoded, loadTrace } from '../../../src-renderer/src/workers/load-trace'

const root = join(import.meta.dirname, '../../../traces')
const tracePath = join(root, 'multigen/multigen.go126.trace')
const legacyPath = join(root, 'multigen/multigen.go121.trace')

class FakeChild extends EventEmitter implements DecoderChild {
  killed = false
  readonly received: { message: unknown; transfer?: PortLike[] }[] = []
  kill() {
    this.killed = true
    queueMicrotask(() => this.emit('exit', 1))
    return true
  }
  postMessage(message: unknown, transfer?: PortLike[]) {
    this.received.push({ message, transfer })
  }
}

class FakeWindow extends EventEmitter implements WindowLike {
  static next = 1
  readonly id = FakeWindow.next++
  destroyed = false
  readonly posted: { channel: string; message: unknown; transfer?: PortLike[] }[] = []
  readonly sent: { channel: string; args: unknown[] }[] = []
  postMessage(channel: string, message: unknown, transfer?: PortLike[]) {
    this.posted.push({ channel, message, transfer })
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args })
  }
  isDestroyed() {
    return this.destroyed
  }
  destroy() {
    this.destroyed = true
    this.emit('destroyed')
  }
}

async function harness() {
  const files = new FileRegistry()
  const granted = await files.grant(tracePath)
  const children: FakeChild[] = []
  const fork: Fork<FakeChild> = () => {
    const c = new FakeChild()
    children.push(c)
    return c
  }
  let channels = 0
  const service = new DecodeService({
    supervisor: new DecoderSupervisor(fork, '/app/out/main/decoder.js'),
    files,
    channel: () => ({ port1: { end: 1, n: ++channels }, port2: { end: 2, n: channels } }),
  })
  return { service, granted, children }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('DecodeService (main)', () => {
  it('starts one decoder process per granted file and gives each end of a new channel to the process and the window', async () => {
    const { service, granted, children } = await harness()
    const win = new FakeWindow()
    const { job } = service.start(win, granted.id)
    expect(children).toHaveLength(1)
    expect(children[0]!.received).toEqual([{ message: { type: 'decode', path: tracePath }, transfer: [{ end: 1, n: 1 }] }])
    expect(win.posted).toEqual([{ channel: 'decoder:port', message: { job }, transfer: [{ end: 2, n: 1 }] }])
    // The path goes to the decoder process only, never to the window.
    expect(JSON.stringify(win.posted)).not.toContain(root)
    expect(service.running).toBe(1)
    children[0]!.emit('exit', 0)
    await settle()
    expect(win.sent).toEqual([{ channel: 'decoder:ended', args: [{ job, kind: 'finished' } satisfies DecoderEnded] }])
    expect(service.running).toBe(0)
  })

  it('refuses files the user did not open and arguments that are not ids', async () => {
    const { service, children } = await harness()
    const win = new FakeWindow()
    expect(() => service.start(win, 'not-granted')).toThrow(/not opened by the user/)
    expect(() => service.start(win, tracePath)).toThrow(/not opened by the user/)
    expect(() => service.start(win, 42)).toThrow(/bad file id/)
    expect(() => service.start(win, { id: 'x' })).toThrow(/bad file id/)
    expect(() => service.start(win, 'x'.repeat(10_000))).toThrow(/bad file id/)
    expect(() => service.cancel(win, 'all')).toThrow(/bad decode job/)
    expect(children).toHaveLength(0)
  })

  it('reports a crash to the window that asked, in words', async () => {
    const { service, granted, children } = await harness()
    const win = new FakeWindow()
    const { job } = service.start(win, granted.id)
    children[0]!.emit('exit', 134)
    await settle()
    expect(win.sent).toEqual([{ channel: 'decoder:ended', args: [{ job, kind: 'crashed', message: 'the decoder ran out of memory and was stopped' }] }])
  })

  it('cancels by killing the process, only for the window that started it', async () => {
    const { service, granted, children } = await harness()
    const a = new FakeWindow()
    const b = new FakeWindow()
    const { job } = service.start(a, granted.id)
    expect(service.cancel(b, job)).toBe(false)
    expect(children[0]!.killed).toBe(false)
    expect(service.cancel(a, job)).toBe(true)
    await settle()
    expect(children[0]!.killed).toBe(true)
    expect(a.sent).toEqual([{ channel: 'decoder:ended', args: [{ job, kind: 'cancelled' }] }])
    expect(service.cancel(a, job)).toBe(false)
  })

  it('kills the decodes of a window that closes, and sends nothing to it', async () => {
    const { service, granted, children } = await harness()
    const a = new FakeWindow()
    const b = new FakeWindow()
    service.start(a, granted.id)
    service.start(a, granted.id)
    service.start(b, granted.id)
    a.destroy()
    await settle()
    expect(children.map((c) => c.killed)).toEqual([true, true, false])
    expect(a.sent).toEqual([])
    expect(service.running).toBe(1)
    expect(() => service.start(a, granted.id)).toThrow(/window is gone/)
  })

  it('is reachable over IPC only from our own page', async () => {
    const { service, granted } = await harness()
    const registered = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>()
    const noop = () => null as never
    registerHandlers(
      { handle: (ch, fn) => void registered.set(ch, fn) },
      {
        'app:version': noop,
        'file:open-dialog': noop,
        'file:adopt-path': noop,
        'file:read-chunk': noop,
        'file:save': noop,
        'recent:list': noop,
        'recent:forget': noop,
        'decoder:start': (event, id) => service.start(senderOf(event), id),
        'decoder:cancel': (event, job) => service.cancel(senderOf(event), job),
      },
    )
    const start = registered.get('decoder:start')!
    const win = new FakeWindow()
    expect(() => start({ senderFrame: { url: 'https://evil.example/' }, sender: win }, granted.id)).toThrow(/untrusted frame/)
    expect(() => start({ senderFrame: { url: 'app://lifeline/index.html' } }, granted.id)).toThrow(/no window/)
    expect(start({ senderFrame: { url: 'app://lifeline/index.html' }, sender: win }, granted.id)).toEqual({ job: 1 })
    expect(registered.get('decoder:cancel')!({ senderFrame: { url: 'app://lifeline/index.html' }, sender: win }, 1)).toBe(true)
  })
})

/** Electron's MessagePortMain shape (on('message', e => e.data)) over a Node port. */
function portMain(p: MessagePort): DecoderPort & { close(): void } {
  return {
    postMessage: (m) => p.postMessage(m),
    on: ((event: 'message' | 'close', listener: (e?: { data: unknown }) => void) => {
      if (event === 'message') p.on('message', (data: unknown) => listener({ data }))
      else p.on('close', () => listener())
      return undefined
    }) as DecoderPort['on'],
    start: () => p.start(),
    close: () => p.close(),
  }
}

class FakeParent extends EventEmitter implements ParentPortLike {
  send(data: unknown, ports: DecoderPort[]) {
    this.emit('message', { data, ports })
  }
}

function host(exits: number[]): DecoderHost {
  return {
    read: (path) => createReadStream(path, { highWaterMark: 8192 }) as AsyncIterable<Uint8Array>,
    size: async (path) => (await stat(path)).size,
    exit: (code) => void exits.push(code),
    lingerMs: 5_000,
  }
}

const dumpOf = (events: { count: number }, store: Parameters<typeof eventString>[0]) => Array.from({ length: events.count }, (_, i) => eventString(store, i)).join('\n')

describe('the decoder process', () => {
  it.each([tracePath, legacyPath])('decodes %s from disk onto its port and exits when the window closes its end', async (path) => {
    const exits: number[] = []
    const parent = new FakeParent()
    runDecoderProcess(parent, host(exits))
    const { port1, port2 } = new MessageChannel()
    parent.send({ type: 'decode', path }, [portMain(port1)])
    const progress: number[] = []
    const got = await receiveDecode(port2 as unknown as ReceiverPort, { onProgress: (b) => progress.push(b) }).result
    const want = await decodeEvents([readFileSync(path)])
    expect(got.events.count).toBe(want.events.count)
    expect(dumpOf(got.events, got.events) === dumpOf(want.events, want.events)).toBe(true)
    expect(progress.at(-1)).toBe(readFileSync(path).byteLength)
    // receiveDecode closed the window's end: the process exits.
    await new Promise((r) => setTimeout(r, 50))
    expect(exits).toEqual([0])
  })

  it('tells the window, by file name only, when the file cannot be read; and refuses requests it does not know', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeline-decoder-'))
    const cases: [unknown, RegExp][] = [
      [{ type: 'decode', path: join(dir, 'gone.trace') }, /^cannot read gone\.trace$/],
      [{ type: 'decode', path: dir }, /^cannot read lifeline-decoder-\w+ \(EISDIR\)$/],
      [{ type: 'evaluate', code: '1' }, /does not understand/],
    ]
    for (const [request, message] of cases) {
      const parent = new FakeParent()
      runDecoderProcess(parent, host([]))
      const { port1, port2 } = new MessageChannel()
      parent.send(request, [portMain(port1)])
      const failure = await receiveDecode(port2 as unknown as ReceiverPort).result.catch((e: Error) => e.message)
      expect(failure).toMatch(message)
      expect(failure).not.toContain(tmpdir())
    }
    const noPort = new FakeParent()
    const exits: number[] = []
    runDecoderProcess(noPort, host(exits))
    noPort.send({ type: 'decode', path: tracePath }, [])
    expect(exits).toEqual([2])
  })

  it('as a spare, decodes the sample until a request comes, then the request after the round under way', async () => {
    const sample = join(root, 'annotated/annotated.go125.trace')
    expect(warmPathOf(['/x/electron', '/app/decoder.js', WARM_ARG, sample])).toBe(sample)
    expect(warmPathOf(['/x/electron', '/app/decoder.js'])).toBeNull()
    for (const waitMs of [0, 30, 2000]) {
      const reads: string[] = []
      const parent = new FakeParent()
      const base = host([])
      runDecoderProcess(parent, { ...base, warmWith: sample, read: (path) => (reads.push(path), base.read(path)) })
      await new Promise((r) => setTimeout(r, waitMs))
      const { port1, port2 } = new MessageChannel()
      parent.send({ type: 'decode', path: tracePath }, [portMain(port1)])
      const got = await receiveDecode(port2 as unknown as ReceiverPort).result
      const want = await decodeEvents([readFileSync(tracePath)])
      expect(dumpOf(got.events, got.events) === dumpOf(want.events, want.events)).toBe(true)
      // Warm-up rounds: none when the request came before the first could start, at most WARM_ROUNDS, all of them
      // before the request's read.
      const rounds = reads.filter((p) => p === sample).length
      if (waitMs >= 30) expect(rounds).toBeGreaterThanOrEqual(1)
      expect(rounds).toBeLessThanOrEqual(WARM_ROUNDS)
      if (waitMs === 2000) expect(rounds).toBe(WARM_ROUNDS)
      expect(reads.at(-1)).toBe(tracePath)
      expect(reads.indexOf(tracePath)).toBe(rounds)
    }
  })

  it('as a spare, lets a request wait for the warm-up round under way (the two would share the helper thread)', async () => {
    const sample = join(root, 'annotated/annotated.go125.trace')
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    const reads: string[] = []
    const parent = new FakeParent()
    const base = host([])
    const read = (path: string): AsyncIterable<Uint8Array> => {
      reads.push(path)
      if (path !== sample) return base.read(path)
      // The round's input holds until the gate opens.
      return (async function* () {
        await gate
        yield* base.read(path)
      })()
    }
    runDecoderProcess(parent, { ...base, warmWith: sample, read })
    await new Promise((r) => setTimeout(r, 30))
    expect(reads).toEqual([sample])
    const { port1, port2 } = new MessageChannel()
    parent.send({ type: 'decode', path: tracePath }, [portMain(port1)])
    await new Promise((r) => setTimeout(r, 50))
    expect(reads).toEqual([sample])
    open()
    const got = await receiveDecode(port2 as unknown as ReceiverPort).result
    expect(reads).toEqual([sample, tracePath])
    expect(got.events.count).toBe((await decodeEvents([readFileSync(tracePath)])).events.count)
  })

  it('as a spare whose sample cannot be read, still serves its request', async () => {
    const parent = new FakeParent()
    runDecoderProcess(parent, { ...host([]), warmWith: join(tmpdir(), 'no-such-sample.trace') })
    const { port1, port2 } = new MessageChannel()
    parent.send({ type: 'decode', path: tracePath }, [portMain(port1)])
    const got = await receiveDecode(port2 as unknown as ReceiverPort).result
    expect(got.events.count).toBe((await decodeEvents([readFileSync(tracePath)])).events.count)
  })

  it('stops decoding and exits when the window lets go early (Cancel in the page)', async () => {
    const exits: number[] = []
    const parent = new FakeParent()
    runDecoderProcess(parent, host(exits))
    const { port1, port2 } = new MessageChannel()
    parent.send({ type: 'decode', path: join(root, 'annotated/annotated.go125.trace') }, [portMain(port1)])
    const first = await new Promise<FromDecoder>((resolve) => port2.once('message', resolve))
    expect(['progress', 'events']).toContain(first.type)
    port2.close()
    await new Promise((r) => setTimeout(r, 50))
    expect(exits).toEqual([0])
  })
})

describe('main + decoder process + window, wired in one process', () => {
  it('opens a granted file: the window gets the port from main and the events from the decoder', async () => {
    const files = new FileRegistry()
    const granted = await files.grant(tracePath)
    const exits: number[] = []
    // fork: a decoder "process" in this process, whose exit is the child's exit.
    const fork: Fork<FakeChild> = () => {
      const child = new FakeChild()
      const parent = new FakeParent()
      runDecoderProcess(parent, { ...host(exits), exit: (code) => (exits.push(code), child.emit('exit', code)) })
      child.postMessage = (message, transfer) => parent.send(message, transfer as DecoderPort[])
      return child
    }
    const service = new DecodeService({
      supervisor: new DecoderSupervisor(fork, 'decoder.js'),
      files,
      channel: () => {
        const { port1, port2 } = new MessageChannel()
        return { port1: portMain(port1), port2 }
      },
    })
    const win = new FakeWindow()
    const { job } = service.start(win, granted.id)
    const port = win.posted[0]!.transfer![0] as unknown as ReceiverPort
    const got = await receiveDecode(port).result
    const want = await decodeEvents([readFileSync(tracePath)])
    expect(dumpOf(got.events, got.events) === dumpOf(want.events, want.events)).toBe(true)
    await new Promise((r) => setTimeout(r, 50))
    expect(win.sent).toEqual([{ channel: 'decoder:ended', args: [{ job, kind: 'finished' }] }])
  })
})

describe("the data worker's side", () => {
  it('refuses a trace with nothing after its header, in words, instead of showing an empty trace', async () => {
    const header = readFileSync(tracePath).subarray(0, 16)
    const err = await loadTrace('h', 16, new Blob([header]).stream(), new AbortController().signal, () => undefined).catch((e: Error) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toMatch(/no events after its header/)
  })

  it('builds the same trace from a decoder process as from the bytes', async () => {
    const bytes = readFileSync(tracePath)
    const local = await loadTrace('t', bytes.byteLength, new Blob([bytes]).stream(), new AbortController().signal, () => undefined)
    const parent = new FakeParent()
    runDecoderProcess(parent, host([]))
    const { port1, port2 } = new MessageChannel()
    parent.send({ type: 'decode', path: tracePath }, [portMain(port1)])
    const phases: string[] = []
    let receiving: Receiving | null = null
    const remote = await loadDecoded('t', port2 as unknown as PagePort, new AbortController().signal, (_b, phase) => phases.push(phase), (r) => (receiving = r))
    expect(receiving).not.toBeNull()
    expect(phases).toContain('decoding')
    expect(phases).toContain('building the model')
    expect(JSON.stringify(remote.summary)).toBe(JSON.stringify(local.summary))
    expect(remote.report()).toBe(local.report())
  })

  it('fails the open with the words main reported when the decoder process crashed', async () => {
    const { port2 } = new MessageChannel()
    let receiving: Receiving | null = null
    const open = loadDecoded('t', port2 as unknown as PagePort, new AbortController().signal, () => undefined, (r) => (receiving = r))
    receiving!.fail('the decoder ran out of memory and was stopped')
    await expect(open).rejects.toThrow('the decoder ran out of memory and was stopped')
  })
})
