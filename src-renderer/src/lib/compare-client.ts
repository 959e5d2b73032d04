// Runs a comparison in its own worker (the open trace's data worker is left alone). Each side is a byte stream the
// worker decodes, or (desktop) a decoder process's port: the worker receives its events, and the page passes on how
// that process ended, since a crashed process sends nothing more.
import type { TraceInput } from '@shared/platform/api'
import type { CompareResult } from '../workers/compare'
import type { CompareSideMessage, ToCompareWorker } from '../workers/compare.worker'

export interface CompareSide {
  name: string
  input: ReadableStream<Uint8Array> | TraceInput
}

export function compareInWorker(before: CompareSide, after: CompareSide): Promise<CompareResult> {
  const worker = new Worker(new URL('../workers/compare.worker.ts', import.meta.url), { type: 'module' })
  const cleanups: (() => void)[] = []
  const transfer: Transferable[] = []
  const message = (side: CompareSide): CompareSideMessage => {
    const input: TraceInput = side.input instanceof ReadableStream ? { kind: 'bytes', stream: side.input } : side.input
    if (input.kind === 'bytes') {
      transfer.push(input.stream as unknown as Transferable)
      return { name: side.name, stream: input.stream }
    }
    transfer.push(input.port as unknown as Transferable)
    cleanups.push(input.onEnded((ended) => worker.postMessage({ type: 'decoder-ended', ended } satisfies ToCompareWorker)))
    cleanups.push(() => input.cancel())
    return { name: side.name, job: input.job, port: input.port }
  }
  const done = () => {
    worker.terminate()
    for (const c of cleanups) c()
  }
  return new Promise<CompareResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ ok: true; result: CompareResult } | { ok: false; message: string }>) => {
      done()
      if (event.data.ok) resolve(event.data.result)
      else reject(new Error(event.data.message))
    }
    worker.onerror = (event) => {
      done()
      reject(new Error(event.message || 'the comparison failed'))
    }
    const msg: ToCompareWorker = { type: 'compare', before: message(before), after: message(after) }
    worker.postMessage(msg, transfer)
  })
}
