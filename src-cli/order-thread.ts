// The decoder's helper thread under Node (the CLI, the benchmarks, the desktop decoder process): a worker_threads
// Worker running order-worker.ts, built beside the host's own bundle (see the vite configs). See
// src-shared/trace/v2/pipeline.ts for what it does.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker, type MessagePort } from 'node:worker_threads'
import { keptHelper, type PipeMessage, type PipePort } from '../src-shared/trace/v2/pipeline'

/** A worker_threads message port (the helper's parentPort, or a channel's end) as the pipeline's port. */
export function messagePortPipe(port: MessagePort): PipePort {
  let handler: ((m: PipeMessage) => void) | null = null
  return {
    post: (m, transfer) => port.postMessage(m, transfer ?? []),
    // One handler at a time (a kept helper's port is listened to by each decode in turn).
    listen: (h) => {
      if (!handler) port.on('message', (m: PipeMessage) => handler!(m))
      handler = h
    },
    close: () => port.close(),
    // A resting port must not keep the process alive.
    rest: (resting) => (resting ? port.unref() : port.ref()),
  }
}

export { ONE_THREAD_BELOW } from '../src-shared/trace/v2/pipeline'

/** The built worker's file name, next to the bundle that uses it. */
const WORKER_FILE = 'order-worker.js'

/**
 * A DecodeOptions.orderThread for Node: null (decode in one thread) when the worker file is not next to `base` (a run
 * from sources, as in the unit tests) or when there is only one CPU to run on. A helper that ended cleanly is kept for
 * the next decode after a trace of up to `keepBytes` (see keptHelper; 0 for a process that decodes once), resting so
 * that it does not keep the process alive. Without a kept helper, a trace smaller than `minBytes` decodes in one thread.
 */
export function nodeOrderThread(base: string | URL, cpus: number, keepBytes?: number, minBytes?: number): (totalBytes?: number) => PipePort | null {
  const url = new URL(WORKER_FILE, base)
  return keptHelper(() => {
    if (cpus < 2 || url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return null
    const worker = new Worker(url)
    let handler: (m: PipeMessage) => void = () => {}
    let closed = false
    worker.on('message', (m: PipeMessage) => handler(m))
    worker.on('error', (err) => handler({ k: 'crash', message: err.message }))
    worker.on('exit', (code) => {
      if (!closed) handler({ k: 'crash', message: `exited with code ${code}` })
    })
    return {
      post: (m, transfer) => worker.postMessage(m, transfer ?? []),
      listen: (h) => void (handler = h),
      close: () => {
        closed = true
        void worker.terminate()
      },
      rest: (resting) => (resting ? worker.unref() : worker.ref()),
    }
  }, keepBytes, minBytes)
}
