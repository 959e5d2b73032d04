// The decoder's helper thread in the browser (and the desktop renderer): a nested Worker running order.worker.ts,
// made by the worker that decodes. See src-shared/trace/v2/pipeline.ts for what it does. (Typed by hand: this file is
// also compiled, never run, under the Node test config, which has no DOM types.)
import { keptHelper, ONE_THREAD_BELOW, type PipeMessage, type PipePort } from '@shared/trace/v2/pipeline'

interface NestedWorker {
  onmessage: ((e: { data: PipeMessage }) => void) | null
  onerror: ((e: { message?: string; preventDefault(): void }) => void) | null
  postMessage(m: unknown, transfer: ArrayBuffer[]): void
  terminate(): void
}
// The global Worker, as this file uses it (vite bundles the nested worker only for a literal `new Worker(new URL(...))`).
declare const Worker: new (url: URL, opts: { type: 'module'; name: string }) => NestedWorker

/**
 * A DecodeOptions.orderThread for workers: null (one thread) where nested workers are missing or one core is all, or
 * for a trace smaller than ONE_THREAD_BELOW when no helper is up. A helper that ended cleanly orders the next trace
 * too (see keptHelper).
 */
export const webOrderThread = keptHelper(newHelper, undefined, ONE_THREAD_BELOW)

function newHelper(): PipePort | null {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1
  if (typeof Worker === 'undefined' || cores < 2) return null
  const worker = new Worker(new URL('./order.worker.ts', import.meta.url), { type: 'module', name: 'lifeline-order' })
  let handler: (m: PipeMessage) => void = () => {}
  worker.onmessage = (e) => handler(e.data)
  worker.onerror = (e) => {
    e.preventDefault()
    handler({ k: 'crash', message: e.message || 'the ordering worker failed to start' })
  }
  return {
    post: (m, transfer) => worker.postMessage(m, transfer ?? []),
    listen: (h) => void (handler = h),
    close: () => worker.terminate(),
  }
}
