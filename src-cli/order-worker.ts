// Entry of the decoder's helper thread under Node (see order-thread.ts): orders events for the thread that made it.
import { parentPort } from 'node:worker_threads'
import { serveOrdering, type PipeMessage } from '../src-shared/trace/v2/pipeline'

const port = parentPort!
serveOrdering({
  post: (m, transfer) => port.postMessage(m, transfer ?? []),
  listen: (h) => void port.on('message', (m: PipeMessage) => h(m)),
  close: () => port.close(),
}, () => new Promise((resolve) => setImmediate(resolve)))
