// A decoder helper "thread" for tests: serveOrdering on the far end of a worker_threads MessageChannel, in this
// thread (structured cloning and transfers as between threads, without a built worker file).
import { MessageChannel } from 'node:worker_threads'
import { messagePortPipe } from '../../../src-cli/order-thread'
import { serveOrdering, type PipePort } from '../../../src-shared/trace/v2/pipeline'

/** An ordering "thread" on the far end of a fresh channel; counts how many were made. */
export function channelThread(): { make: () => PipePort; made: () => number } {
  let n = 0
  return {
    make: () => {
      n++
      const { port1, port2 } = new MessageChannel()
      serveOrdering(messagePortPipe(port2), () => new Promise((resolve) => setImmediate(resolve)))
      return messagePortPipe(port1)
    },
    made: () => n,
  }
}

