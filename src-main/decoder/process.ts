// The decoder process (an Electron utilityProcess, forked by DecodeService through DecoderSupervisor): main sends it
// one request, { type: 'decode', path }, with a message port whose other end is in the window's data worker. It
// streams the file from disk, decodes it with the shared decoder and sends the events over the port in columnar
// chunks (src-shared/trace/remote.ts); main never sees them. It has its own heap, so an out-of-memory here ends this
// process only. It exits when the window closes its end of the port: after the last message, on Cancel, or when
// the window goes away.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { basename } from 'node:path'
import { nodeOrderThread } from '../../src-cli/order-thread'
import { serveDecode, type FromDecoder, type Serving } from '../../src-shared/trace/remote'

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
}

/** How long the process waits for the window to close its port after the last message, before it exits anyway. */
export const LINGER_MS = 60_000

/**
 * Orders events on a worker thread (out/main/order-worker.js, built beside this file) when there are two cores. The
 * process decodes one trace: its helper is not kept after it.
 */
const orderThread = nodeOrderThread(import.meta.url, availableParallelism(), 0)

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
  parent.once('message', (event) => {
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
  })
}
