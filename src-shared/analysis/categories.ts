// What a goroutine is waiting for, in Lifeline's categories: from Go's block reason, refined by the stack frames
// when the reason is just "sync" (or missing, for goroutines that were parked before the trace started).
import type { Stack } from '../model/goroutine'

export type Category =
  | 'chan-send' | 'chan-receive' | 'select' | 'forever' | 'mutex' | 'rwmutex' | 'waitgroup' | 'cond' | 'sleep'
  | 'network' | 'syscall' | 'running' | 'system' | 'unknown'

const SYSTEM_REASONS = new Set([
  'GC mark assist wait for work', 'GC background sweeper wait', 'system goroutine wait', 'preempted', 'wait for debug call',
  'wait until GC ends', 'GC weak to strong wait', 'synctest',
])

function fromFrames(stack: Stack): Category | null {
  for (const f of stack) {
    const fn = f.func
    if (fn.startsWith('sync.(*RWMutex)')) return 'rwmutex'
    if (fn.startsWith('sync.(*Mutex)') || fn.startsWith('sync.(*Once)') || fn === 'sync.runtime_SemacquireMutex') return 'mutex'
    if (fn.startsWith('sync.(*WaitGroup)')) return 'waitgroup'
    if (fn.startsWith('sync.(*Cond)')) return 'cond'
    if (fn === 'runtime.chanrecv' || fn === 'runtime.chanrecv1' || fn === 'runtime.chanrecv2') return 'chan-receive'
    if (fn === 'runtime.chansend' || fn === 'runtime.chansend1') return 'chan-send'
    if (fn === 'runtime.selectgo') return 'select'
    if (fn === 'runtime.block') return 'forever'
    if (fn === 'time.Sleep') return 'sleep'
    if (fn.startsWith('internal/poll.') || fn === 'runtime.netpollblock') return 'network'
  }
  return null
}

export function categorize(state: string, reason: string, stack: Stack): Category {
  if (state === 'Running' || state === 'Runnable') return 'running'
  if (state === 'Syscall') return 'syscall'
  switch (reason) {
    case 'chan send': return 'chan-send'
    case 'chan receive': return fromFrames(stack) === 'chan-send' ? 'chan-send' : 'chan-receive'
    case 'select': return 'select'
    case 'forever': return 'forever'
    case 'sleep': return 'sleep'
    case 'network': return 'network'
    case 'sync.(*Cond).Wait': return 'cond'
    case 'sync': return fromFrames(stack) ?? 'mutex'
  }
  if (SYSTEM_REASONS.has(reason)) return 'system'
  return fromFrames(stack) ?? 'unknown'
}

/** A category with Go's block reason after it, where the reason says more than the category ("chan receive" next to
 * chan-receive does not; "sync" next to mutex does). */
export function categoryWithReason(category: Category, reason: string): string {
  const plain = (s: string) => s.replace(/\W/g, '')
  return reason && plain(reason) !== plain(category) ? `${category}: ${reason}` : category
}
