// Leak patterns Lifeline names, with the fix each one usually needs.
export type PatternId =
  | 'timeout-leak' | 'n-senders-one-receiver' | 'range-unclosed-channel' | 'context-never-cancelled' | 'waitgroup-misuse'
  | 'lock-order-deadlock' | 'lock-never-released' | 'cond-never-signalled' | 'response-body-not-closed' | 'ticker-never-stopped' | 'endless-retry' | 'select-no-way-out'
  | 'other-end-exited' | 'wait-on-stuck' | 'semaphore-never-released' | 'grpc-stream-abandoned'

export const PATTERNS: Record<PatternId, { title: string; hint: string }> = {
  'timeout-leak': { title: 'timeout leak', hint: 'The caller gave up (timeout) and nobody receives the result: make the result channel buffered (make(chan T, 1)) or select on ctx.Done() when sending.' },
  'n-senders-one-receiver': { title: 'N senders, one receiver', hint: 'Fewer answers are received than are sent (often only the first): give the channel a buffer of N, or cancel the other senders with a context.' },
  'range-unclosed-channel': { title: 'range over an unclosed channel', hint: 'The producer never closes the channel: close it when the last value has been sent (defer close(ch) in the producer).' },
  'context-never-cancelled': { title: 'context never cancelled', hint: 'The context is never cancelled: call the cancel func (defer cancel()) when the owner is done.' },
  'waitgroup-misuse': { title: 'WaitGroup misuse', hint: 'Call wg.Add before the go statement, and wg.Done on every path (defer wg.Done() first thing in the goroutine).' },
  'lock-order-deadlock': { title: 'lock-order deadlock', hint: 'Goroutines take the same locks in different orders: always acquire them in one global order, or use one lock.' },
  'lock-never-released': { title: 'lock never released', hint: 'Whoever holds the lock never releases it: a return path that skips Unlock (lock with defer mu.Unlock() right after Lock), or a holder that is itself blocked.' },
  'response-body-not-closed': { title: 'response body never closed', hint: 'An http.Response body is never closed: its connection waits for it. defer resp.Body.Close() after every successful request (and read the body to the end to reuse the connection).' },
  'cond-never-signalled': { title: 'Cond never signalled', hint: 'Nobody calls Signal/Broadcast after changing the condition: signal under the lock where the state changes, or use a channel.' },
  'ticker-never-stopped': { title: 'ticker never stopped', hint: 'The loop has no exit that is ever taken: select on ctx.Done() (or a quit channel) beside the ticker, cancel it when the owner is done (a ctx.Done() case on a context nobody cancels never fires), and defer ticker.Stop().' },
  'endless-retry': { title: 'endless retry loop', hint: 'The retry loop never gives up: bound the attempts or the total time, and stop on ctx.Done().' },
  'other-end-exited': { title: 'the other end exited', hint: 'The goroutine that used to answer these waits (send the reply or the next job, take the value) has returned, on an error path or a shutdown, and left the channel open: when it stops, close the channel or answer with an error, and have the waiters also select on ctx.Done().' },
  'wait-on-stuck': { title: 'Wait behind stuck goroutines', hint: 'Wait returns only when every goroutine it waits for has called Done, and goroutines in the other groups are stuck: fix those first. If none of them belongs to this WaitGroup (or errgroup), a path skips Done: defer wg.Done() first thing in each goroutine.' },
  'semaphore-never-released': { title: 'semaphore never released', hint: 'The semaphore is not released, or not soon enough, by whoever holds it: release on every path (defer sem.Release(n) right after a successful Acquire), check the error paths that return early, and pass Acquire a context that is cancelled when the caller gives up.' },
  'grpc-stream-abandoned': { title: 'gRPC stream abandoned', hint: "A stream that one side stopped reading without cancelling it: the client's stream goroutine waits for its context, and the server's handler blocks in Send once flow control fills. Cancel the context given to NewStream when you stop reading (defer cancel()), or read until io.EOF; a server handler should also return when stream.Context() is done." },
  'select-no-way-out': { title: 'select with no way out', hint: 'No case can ever become ready: add a ctx.Done() or quit case, and initialise the channels (a nil channel blocks forever). If a case waits on ctx.Done(), that context is never cancelled (context.Background(), or a cancel func never called).' },
}
