// Decodes a Blob's stream as the app's data worker decodes a File's (src-renderer/src/workers/model-to-timeline.ts):
// the shared decoder with the browser's helper thread, a nested Worker (webOrderThread). Keeps the first decode, to
// build its model when asked (the app's next step); a decode `again` is a later trace in the same worker, on the code
// V8 has optimized by then and on the kept helper.
import { buildModel } from '@shared/model/build'
import { decodeEvents, type DecodedTrace } from '@shared/trace/decode'
import { webOrderThread } from '../../src-renderer/src/workers/order-thread'

export type Step = { k: 'decode'; blob: Blob; again?: boolean } | { k: 'model' }
export interface StepResult {
  ms: number
  events: number
  threads: number
  error: string | null
}

let kept: DecodedTrace | null = null

async function* chunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    yield value
  }
}

self.onmessage = async (e: MessageEvent<Step>) => {
  const step = e.data
  const started = performance.now()
  if (step.k === 'model') {
    buildModel(kept!)
    postMessage({ ms: performance.now() - started, events: kept!.events.count, threads: kept!.threads, error: null } satisfies StepResult)
    return
  }
  const decoded = await decodeEvents(chunks(step.blob.stream()), { totalBytes: step.blob.size, orderThread: webOrderThread })
  const ms = performance.now() - started
  if (!step.again) kept = decoded
  postMessage({ ms, events: decoded.events.count, threads: decoded.threads, error: decoded.error?.message ?? null } satisfies StepResult)
}
