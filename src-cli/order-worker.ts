// Entry of the decoder's helper thread under Node (see order-thread.ts): orders events for the thread that made it.
import { parentPort } from 'node:worker_threads'
import { serveOrdering } from '../src-shared/trace/v2/pipeline'
import { messagePortPipe } from './order-thread'

serveOrdering(messagePortPipe(parentPort!), () => new Promise((resolve) => setImmediate(resolve)))
