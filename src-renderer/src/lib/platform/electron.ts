// PlatformApi over the preload's bridge. A trace is opened by starting a decoder process in main and handing its
// message port to the data worker (the events arrive decoded; the page never reads the file). Other reads (the
// comparison) pull file bytes in bounded chunks through typed IPC.
import type { ElectronBridge, PlatformApi, TraceInput } from '@shared/platform/api'
import type { DecoderEnded, DecoderPortMessage } from '@shared/platform/ipc'

const CHUNK_BYTES = 4 << 20
/** Main posts the port as it starts the process: it arrives with the job number or moments later. */
const PORT_TIMEOUT_MS = 30_000

/** Decoder ports the preload forwarded, by job, until the open that started the job takes them. */
function decoderPorts(): (job: number) => Promise<MessagePort> {
  const arrived = new Map<number, MessagePort>()
  const waiting = new Map<number, (port: MessagePort) => void>()
  window.addEventListener('message', (event: MessageEvent<Partial<DecoderPortMessage> | null>) => {
    // Only the preload, posting to this very window, sends these.
    if (event.source !== window || event.data?.lifeline !== 'decoder-port') return
    const job = event.data.job
    const port = event.ports[0]
    if (!port || typeof job !== 'number') return
    const wake = waiting.get(job)
    if (wake) {
      waiting.delete(job)
      wake(port)
    } else arrived.set(job, port)
  })
  return (job) => {
    const port = arrived.get(job)
    if (port) {
      arrived.delete(job)
      return Promise.resolve(port)
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(job)
        reject(new Error('the decoder did not start'))
      }, PORT_TIMEOUT_MS)
      waiting.set(job, (p) => {
        clearTimeout(timer)
        resolve(p)
      })
    })
  }
}

/** How decoder processes ended, remembered so that a listener that subscribes late still hears of a crash. */
function decoderEnds(bridge: ElectronBridge): (job: number, listener: (ended: DecoderEnded) => void) => () => void {
  const ended = new Map<number, DecoderEnded>()
  const listeners = new Map<number, (ended: DecoderEnded) => void>()
  bridge.onDecoderEnded((e) => {
    const l = listeners.get(e.job)
    if (l) l(e)
    else ended.set(e.job, e)
    // Keep only a few; a job's end matters only while it is being opened.
    if (ended.size > 32) ended.delete(ended.keys().next().value!)
  })
  return (job, listener) => {
    const already = ended.get(job)
    if (already) {
      ended.delete(job)
      queueMicrotask(() => listener(already))
      return () => undefined
    }
    listeners.set(job, listener)
    return () => void listeners.delete(job)
  }
}

export function electronPlatform(bridge: ElectronBridge): PlatformApi {
  const portOf = decoderPorts()
  const onEnded = decoderEnds(bridge)
  return {
    kind: 'electron',
    appVersion: () => bridge.appVersion(),
    openFile: () => bridge.openFile(),
    adoptFile: (file) => bridge.adoptFile(file),
    readFile: async (id) => {
      let offset = 0
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = await bridge.readChunk(id, offset, CHUNK_BYTES)
          if (chunk.byteLength === 0) controller.close()
          else {
            offset += chunk.byteLength
            controller.enqueue(chunk)
          }
        },
      })
    },
    openTrace: async (id): Promise<TraceInput> => {
      const job = await bridge.startDecode(id)
      const port = await portOf(job)
      return {
        kind: 'events',
        job,
        port,
        cancel: () => void bridge.cancelDecode(job).catch(() => undefined),
        onEnded: (listener) => onEnded(job, listener),
      }
    },
    saveFile: (name, contents, mime) => bridge.saveFile(name, contents, mime),
    recentFiles: () => bridge.recentFiles(),
    forgetRecent: (id) => bridge.forgetRecent(id),
    onOpenRequest: (listener) => bridge.onOpenRequest(listener),
    onCommand: (listener) => bridge.onCommand(listener),
  }
}
