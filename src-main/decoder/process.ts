// The decoder process (an Electron utilityProcess, forked by DecodeService through DecoderSupervisor): main sends it
// one request, { type: 'decode', path }, with a message port whose other end is in the window's data worker. It
// streams the file from disk, decodes it with the shared decoder and sends the events over the port in columnar
// chunks (src-shared/trace/remote.ts); main never sees them. It has its own heap, so an out-of-memory here ends this
// process only. It exits when the window closes its end of the port: after the last message, on Cancel, or when
// the window goes away. A spare (see supervisor.ts) is started before there is a request, with WARM_ARG and the
// bundled sample: until the request comes it decodes the sample a few times, for nothing but V8's warm-up, so that
// the user's trace is decoded by compiled code on a helper thread that is already up.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { basename } from 'node:path'
import { nodeOrderThread, ONE_THREAD_BELOW } from '../../src-cli/order-thread'
import { serveDecode, type FromDecoder, type Serving } from '../../src-shared/trace/remote'
import { WARM_ARG, WARM_ROUNDS } from './supervisor'

export interface DecoderRequest {
  type: 'decode'
  path: string
}

/** The slice of Electron's MessagePortMain the decoder uses. */
export interface DecoderPort {
  postMessage(message: FromDecoder): void
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
  on(event: 'close', listener: () => void): unknown
  start(): void
}

/** The slice of Electron's process.parentPort. */
export interface ParentPortLike {
  once(event: 'message', listener: (event: { data: unknown; ports: DecoderPort[] }) => void): unknown
}

export interface DecoderHost {
  /** The file's bytes as a stream (bounded memory, whatever the size). */
  read(path: string): AsyncIterable<Uint8Array>
  size(path: string): Promise<number>
  exit(code: number): void
  /** LINGER_MS unless a test says otherwise. */
  lingerMs?: number
  /** A spare's trace to decode, WARM_ROUNDS times, until a request comes (see supervisor.ts). */
  warmWith?: string | null
}

/** How long the process waits for the window to close its port after the last message, before it exits anyway. */
export const LINGER_MS = 60_000

/** The trace a spare warms itself with: the argument after WARM_ARG. */
export function warmPathOf(argv: string[]): string | null {
  const at = argv.indexOf(WARM_ARG)
  return at >= 0 && at + 1 < argv.length ? argv[at + 1]! : null
}

/**
 * Orders events on a worker thread (out/main/order-worker.js, built beside this file) when there are two cores. The
 * process decodes one trace: its helper is not kept after it, except by a spare, whose warm-up decodes are there to
 * leave a warm helper to the trace it is started for (whatever its size); without one, a trace smaller than
 * ONE_THREAD_BELOW decodes in one thread.
 */
const spare = warmPathOf(process.argv) !== null
const orderThread = nodeOrderThread(import.meta.url, availableParallelism(), spare ? undefined : 0, spare ? 0 : ONE_THREAD_BELOW)

/**
 * A spare's warm-up: decodes `path` up to WARM_ROUNDS times, its events sent nowhere, until `requested()`. Never
 * fails: a sample that cannot be read leaves a spare that is merely started.
 */
async function warmUp(path: string, host: DecoderHost, requested: () => boolean): Promise<void> {
  try {
    const size = await host.size(path)
    for (let round = 0; round < WARM_ROUNDS && !requested(); round++) {
      let serving: Serving | null = null
      // Every chunk acknowledged at once, as a window that keeps up would.
      serving = serveDecode(host.read(path), { postMessage: (m) => void (m.type === 'events' && queueMicrotask(() => serving?.ack())) }, { totalBytes: size, orderThread })
      await serving.done
      // A turn of the event loop between rounds, for the request to come in.
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
  } catch {
    // Not warm, still a process that is up.
  }
}

/** Read errors name the file, never its full path (the page only ever knows names). */
async function* readable(path: string, host: DecoderHost): AsyncGenerator<Uint8Array> {
  try {
    yield* host.read(path)
  } catch (e) {
    const code = (e as { code?: string }).code
    throw new Error(`cannot read ${basename(path)}${code ? ` (${code})` : ''}`)
  }
}

export function runDecoderProcess(parent: ParentPortLike, host: DecoderHost): void {
  let requested = false
  const warming = host.warmWith ? warmUp(host.warmWith, host, () => requested) : Promise.resolve()
  parent.once('message', (event) => {
    requested = true
    const port = event.ports?.[0]
    const request = event.data as Partial<DecoderRequest> | null
    if (!port) return host.exit(2)
    let serving: Serving | null = null
    port.on('close', () => {
      serving?.stop()
      host.exit(0)
    })
    port.on('message', (m) => {
      if ((m.data as { type?: string } | null)?.type === 'ack') serving?.ack()
    })
    port.start()
    if (request?.type !== 'decode' || typeof request.path !== 'string') {
      port.postMessage({ type: 'failed', message: 'the decoder got a request it does not understand' })
      return
    }
    const path = request.path
    void (async () => {
      // The warm-up's round under way ends first (the two would share the helper and the cores).
      await warming
      let size = 0
      try {
        size = await host.size(path)
      } catch {
        port.postMessage({ type: 'failed', message: `cannot read ${basename(path)}` })
        return
      }
      serving = serveDecode(readable(path, host), port, { totalBytes: size, orderThread })
      await serving.done
      setTimeout(() => host.exit(0), host.lingerMs ?? LINGER_MS)
    })()
  })
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort
if (parentPort) {
  runDecoderProcess(parentPort, {
    read: (path) => createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
    size: async (path) => (await stat(path)).size,
    exit: (code) => process.exit(code),
    warmWith: warmPathOf(process.argv),
  })
}
