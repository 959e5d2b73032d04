// A stand-in for the Electron preload, for the web project: it gives the page a `window.lifelineBridge`, so the
// renderer takes its desktop path (src-renderer/src/lib/platform/electron.ts) in plain Chromium. Its decoder runs
// the same serveDecode as the desktop decoder process (here on the page's thread, fed by fetch) and hands the page
// its port the way the preload does (a window message with the port transferred); it can also play a decoder that
// crashes or never answers. Built by stand-in/vite.config.ts into out/e2e/stand-in-bridge.js (an init script).
import type { AppCommand, ElectronBridge, OpenedFile } from '../../../src-shared/platform/api'
import type { DecoderEnded, DecoderPortMessage } from '../../../src-shared/platform/ipc'
import { serveDecode } from '../../../src-shared/trace/remote'

type Mode = 'decode' | 'crash' | 'hang'

const urls = new Map<string, string>()
const files = new Map<string, File>()
const openListeners = new Set<(file: OpenedFile) => void>()
const endListeners = new Set<(ended: DecoderEnded) => void>()
const log = { started: [] as string[], cancelled: [] as number[], chunkReads: 0, sent: 0 }
let mode: Mode = 'decode'
let nextJob = 1

const emitEnded = (ended: DecoderEnded) => endListeners.forEach((l) => l(ended))

async function* bytesOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    yield value
  }
}

const bridge: ElectronBridge = {
  appVersion: async () => 'stand-in',
  openFile: async () => null,
  // As main does for a dropped file (its path from webUtils.getPathForFile): grant it; here the File stands for it.
  adoptFile: async (file) => {
    const id = `file-${urls.size + files.size + 1}`
    files.set(id, file)
    return { id, name: file.name, size: file.size }
  },
  readChunk: async () => {
    log.chunkReads++
    throw new Error('the stand-in reads no chunks: opens go through its decoder')
  },
  startDecode: async (id) => {
    const url = urls.get(id)
    const file = files.get(id)
    if (!url && !file) throw new Error('that file was not opened by the user')
    log.started.push(id)
    const job = nextJob++
    const { port1, port2 } = new MessageChannel()
    window.postMessage({ lifeline: 'decoder-port', job } satisfies DecoderPortMessage, '*', [port2])
    if (mode === 'crash') setTimeout(() => emitEnded({ job, kind: 'crashed', message: 'the decoder ran out of memory and was stopped' }), 20)
    if (mode === 'decode') {
      let body: ReadableStream<Uint8Array>
      let total: number
      if (file) {
        body = file.stream()
        total = file.size
      } else {
        const response = await fetch(url!)
        total = Number(response.headers.get('content-length') ?? 0)
        body = response.body!
      }
      const serving = serveDecode(bytesOf(body), { postMessage: (m) => (log.sent++, port1.postMessage(m)) }, { totalBytes: total, chunkEvents: 4096 })
      port1.onmessage = (e: MessageEvent<{ type?: string }>) => e.data?.type === 'ack' && serving.ack()
      void serving.done.then(() => emitEnded({ job, kind: 'finished' }))
    }
    return job
  },
  cancelDecode: async (job) => {
    log.cancelled.push(job)
    emitEnded({ job, kind: 'cancelled' })
    return true
  },
  onDecoderEnded: (listener) => {
    endListeners.add(listener)
    return () => void endListeners.delete(listener)
  },
  saveFile: async () => null,
  recentFiles: async () => [],
  forgetRecent: async () => undefined,
  onOpenRequest: (listener) => {
    openListeners.add(listener)
    return () => void openListeners.delete(listener)
  },
  onCommand: (_listener: (c: AppCommand) => void) => () => undefined,
}

const standIn = {
  log,
  setMode: (m: Mode) => void (mode = m),
  /** As main does for a file named on the command line: grant it, then ask the page to open it. */
  open: (url: string, name: string, size: number) => {
    const id = `file-${urls.size + files.size + 1}`
    urls.set(id, url)
    openListeners.forEach((l) => l({ id, name, size }))
  },
}

Object.assign(window, { lifelineBridge: bridge, __standIn: standIn })
