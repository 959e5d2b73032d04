// Runs a comparison in its own worker (the open trace's data worker is left alone).
import type { CompareResult } from '../workers/compare'

export function compareInWorker(
  before: { name: string; stream: ReadableStream<Uint8Array> },
  after: { name: string; stream: ReadableStream<Uint8Array> },
): Promise<CompareResult> {
  const worker = new Worker(new URL('../workers/compare.worker.ts', import.meta.url), { type: 'module' })
  return new Promise<CompareResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ ok: true; result: CompareResult } | { ok: false; message: string }>) => {
      worker.terminate()
      if (event.data.ok) resolve(event.data.result)
      else reject(new Error(event.data.message))
    }
    worker.onerror = (event) => {
      worker.terminate()
      reject(new Error(event.message || 'the comparison failed'))
    }
    worker.postMessage({ before, after }, [before.stream as unknown as Transferable, after.stream as unknown as Transferable])
  })
}
