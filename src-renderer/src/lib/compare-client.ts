// Runs a comparison in its own worker (the open trace's data worker is left alone). Each side is a byte stream the
// worker decodes, or (desktop) a decoder process's port: the worker receives its events, and the page passes on how
// that process ended, since a crashed process sends nothing more. Cancel ends the worker, and with it the decoder
// processes of its sides.
import type { TraceInput } from '@shared/platform/api'
import type { CompareProgress, CompareResult } from '../workers/compare'
import type { CompareSideMessage, FromCompareWorker, ToCompareWorker } from '../workers/compare.worker'

export interface CompareSide {
  name: string
  /** The trace's size in bytes when known (0 if not): the progress of a byte stream is measured against it. */
  size: number
  input: ReadableStream<Uint8Array> | TraceInput
}

export interface Comparing {
  result: Promise<CompareResult>
  /** Stops the comparison: `result` rejects with an AbortError. */
  cancel(): void
}

export function compareInWorker(before: CompareSide, after: CompareSide, onProgress: (p: CompareProgress) => void = () => {}): Comparing {
  const worker = new Worker(new URL('../workers/compare.worker.ts', import.meta.url), { type: 'module' })
  const cleanups: (() => void)[] = []
  const transfer: Transferable[] = []
  const message = (side: CompareSide): CompareSideMessage => {
    const input: TraceInput = side.input instanceof ReadableStream ? { kind: 'bytes', stream: side.input } : side.input
    if (input.kind === 'bytes') {
      transfer.push(input.stream as unknown as Transferable)
      return { name: side.name, size: side.size, stream: input.stream }
    }
    transfer.push(input.port as unknown as Transferable)
    cleanups.push(input.onEnded((ended) => worker.postMessage({ type: 'decoder-ended', ended } satisfies ToCompareWorker)))
    cleanups.push(() => input.cancel())
    return { name: side.name, job: input.job, port: input.port }
  }
  let over = false
  const done = () => {
    over = true
    worker.terminate()
    for (const c of cleanups) c()
  }
  let cancel = () => {}
  const result = new Promise<CompareResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<FromCompareWorker>) => {
      const m = event.data
      if (m.type === 'progress') return onProgress(m.progress)
      done()
      if (m.type === 'result') resolve(m.result)
      else reject(new Error(m.message))
    }
    worker.onerror = (event) => {
      done()
      reject(new Error(event.message || 'the comparison failed'))
    }
    cancel = () => {
      if (over) return
      done()
      reject(new DOMException('the comparison was cancelled', 'AbortError'))
    }
    const msg: ToCompareWorker = { type: 'compare', before: message(before), after: message(after) }
    worker.postMessage(msg, transfer)
  })
  return { result, cancel: () => cancel() }
}
