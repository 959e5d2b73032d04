// A decoder helper "thread" for tests: serveOrdering on the far end of a worker_threads MessageChannel, in this
// thread (structured cloning and transfers as between threads, without a built worker file).
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { serveOrdering, type PipeMessage, type PipePort } from '../../../src-shared/trace/v2/pipeline'

/** A port over one end of a MessageChannel. */
function wrap(port: MessagePort): PipePort {
  return {
    post: (m, transfer) => port.postMessage(m, transfer ?? []),
    listen: (handler) => void port.on('message', (m: PipeMessage) => handler(m)),
    close: () => port.close(),
  }
}

/** An ordering "thread" on the far end of a fresh channel; counts how many were made. */
export function channelThread(): { make: () => PipePort; made: () => number } {
  let n = 0
  return {
    make: () => {
      n++
      const { port1, port2 } = new MessageChannel()
      serveOrdering(wrap(port2), () => new Promise((resolve) => setImmediate(resolve)))
      return wrap(port1)
    },
    made: () => n,
  }
}

