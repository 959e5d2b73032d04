// The decoder's helper thread in the browser (see order-thread.ts): orders events for the worker that made it.
import { serveOrdering, type PipeMessage } from '@shared/trace/v2/pipeline'

const scope = self as unknown as Worker
serveOrdering({
  post: (m, transfer) => scope.postMessage(m, transfer ?? []),
  listen: (h) => void (scope.onmessage = (e: MessageEvent<PipeMessage>) => h(e.data)),
  close: () => (self as unknown as { close(): void }).close(),
})
