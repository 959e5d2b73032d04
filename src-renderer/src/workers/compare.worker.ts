// One comparison per worker: two streams in, a CompareResult (plain data) out, then the page ends the worker.
import { compareTraces } from './compare'

self.onmessage = async (event: MessageEvent<{ before: { name: string; stream: ReadableStream<Uint8Array> }; after: { name: string; stream: ReadableStream<Uint8Array> } }>) => {
  try {
    const result = await compareTraces(event.data.before, event.data.after)
    ;(self as unknown as Worker).postMessage({ ok: true, result })
  } catch (e) {
    ;(self as unknown as Worker).postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) })
  }
}
