// One comparison per worker: two traces in (byte streams it decodes, or on the desktop the ports of two decoder
// processes whose events it receives), progress while it works, a CompareResult (plain data) out, then the page ends
// the worker (also to cancel it).
import type { DecoderEnded } from '@shared/platform/ipc'
import type { PagePort } from '@shared/platform/api'
import { buildModel } from '@shared/model/build'
import { receiveDecode, type ReceiverPort, type Receiving } from '@shared/trace/remote'
import { compareTraces, modelOfStream, refuseEmpty, type CompareInput, type CompareProgress, type CompareResult } from './compare'

/** A side: a byte stream (`size`: its length when known, else 0), or a decoder process's port. */
export type CompareSideMessage = { name: string; size: number; stream: ReadableStream<Uint8Array> } | { name: string; job: number; port: PagePort }

export type FromCompareWorker =
  | { type: 'progress'; progress: CompareProgress }
  | { type: 'result'; result: CompareResult }
  | { type: 'failed'; message: string }

export type ToCompareWorker =
  | { type: 'compare'; before: CompareSideMessage; after: CompareSideMessage }
  /** A decoder process of one side ended (reported by main): a crash fails that side. */
  | { type: 'decoder-ended'; ended: DecoderEnded }

/** Grace for a cleanly exited decoder's last messages, as in the data worker. */
const EXIT_GRACE_MS = 10_000
const receiving = new Map<number, Receiving>()

function inputOf(side: CompareSideMessage): CompareInput {
  if ('stream' in side) return { name: side.name, load: (progress) => modelOfStream(side.stream, side.size, progress) }
  return {
    name: side.name,
    load: async (progress) => {
      const r = receiveDecode(side.port as unknown as ReceiverPort, { onProgress: (bytes, total) => progress('reading', bytes, total) })
      receiving.set(side.job, r)
      const decoded = await r.result
      refuseEmpty(decoded)
      progress('building the model', decoded.bytesRead, decoded.bytesRead)
      return buildModel(decoded)
    },
  }
}

self.onmessage = async (event: MessageEvent<ToCompareWorker>) => {
  const m = event.data
  if (m.type === 'decoder-ended') {
    const r = receiving.get(m.ended.job)
    if (!r || m.ended.kind === 'cancelled') return
    if (m.ended.kind === 'crashed') r.fail(m.ended.message)
    else setTimeout(() => r.fail('the decoder stopped before it finished'), EXIT_GRACE_MS)
    return
  }
  const post = (message: FromCompareWorker) => (self as unknown as Worker).postMessage(message)
  try {
    const result = await compareTraces(inputOf(m.before), inputOf(m.after), (progress) => post({ type: 'progress', progress }))
    post({ type: 'result', result })
  } catch (e) {
    post({ type: 'failed', message: e instanceof Error ? e.message : String(e) })
  }
}
