// The decoder's helper thread in the browser (see order-thread.ts): orders events for the worker that made it.
import { serveOrdering, type PipeMessage } from '@shared/trace/v2/pipeline'

const scope = self as unknown as Worker
// A turn of the event loop: a message to ourselves is a task, queued behind the messages already waiting.
const channel = new MessageChannel()
const turns: (() => void)[] = []
channel.port1.onmessage = () => turns.shift()?.()
const turn = () => new Promise<void>((resolve) => {
  turns.push(resolve)
  channel.port2.postMessage(null)
})
serveOrdering({
  post: (m, transfer) => scope.postMessage(m, transfer ?? []),
  listen: (h) => void (scope.onmessage = (e: MessageEvent<PipeMessage>) => h(e.data)),
  close: () => (self as unknown as { close(): void }).close(),
}, turn)
