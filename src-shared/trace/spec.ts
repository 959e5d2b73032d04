// The current format's event table (IDs are stable across Go 1.22-1.27): argument names after the timestamp, which
// arguments are stack IDs and string IDs (the first stack listed is the event's own), and the experiment they
// belong to. Built from the format description in go-trace-format.md §1.6.

export interface EventSpec {
  name: string
  /** Argument names after `dt` (timed events) or all arguments (structural ones). */
  args: string[]
  stackArgs: number[]
  stringArgs: number[]
  timed: boolean
  experimental?: boolean
}

const s = (name: string, args: string[], stackArgs: number[] = [], stringArgs: number[] = [], timed = true): EventSpec => ({
  name, args, stackArgs, stringArgs, timed,
})

export const EV = {
  EventBatch: 1, Stacks: 2, Stack: 3, Strings: 4, String: 5, CPUSamples: 6, CPUSample: 7, Frequency: 8,
  ProcsChange: 9, ProcStart: 10, ProcStop: 11, ProcSteal: 12, ProcStatus: 13,
  GoCreate: 14, GoCreateSyscall: 15, GoStart: 16, GoDestroy: 17, GoDestroySyscall: 18, GoStop: 19, GoBlock: 20,
  GoUnblock: 21, GoSyscallBegin: 22, GoSyscallEnd: 23, GoSyscallEndBlocked: 24, GoStatus: 25,
  STWBegin: 26, STWEnd: 27, GCActive: 28, GCBegin: 29, GCEnd: 30, GCSweepActive: 31, GCSweepBegin: 32, GCSweepEnd: 33,
  GCMarkAssistActive: 34, GCMarkAssistBegin: 35, GCMarkAssistEnd: 36, HeapAlloc: 37, HeapGoal: 38, GoLabel: 39,
  UserTaskBegin: 40, UserTaskEnd: 41, UserRegionBegin: 42, UserRegionEnd: 43, UserLog: 44,
  GoSwitch: 45, GoSwitchDestroy: 46, GoCreateBlocked: 47, GoStatusStack: 48, ExperimentalBatch: 49,
  Sync: 50, ClockSnapshot: 51, EndOfGeneration: 52,
} as const

/** Our code for Go's synthetic Sync event (evSync); 0 is never a wire event. */
export const EV_SYNC = 0

export const SPECS: (EventSpec | undefined)[] = []
const def = (id: number, spec: EventSpec) => void (SPECS[id] = spec)
def(1, s('EventBatch', ['gen', 'm', 'time', 'size'], [], [], false))
def(2, s('Stacks', [], [], [], false))
def(3, s('Stack', ['id', 'nframes'], [], [], false))
def(4, s('Strings', [], [], [], false))
def(5, s('String', ['id'], [], [], false))
def(6, s('CPUSamples', [], [], [], false))
def(7, s('CPUSample', ['time', 'm', 'p', 'g', 'stack'], [4], [], false))
def(8, s('Frequency', ['freq'], [], [], false))
def(9, s('ProcsChange', ['procs_value', 'stack'], [1]))
def(10, s('ProcStart', ['p', 'p_seq']))
def(11, s('ProcStop', []))
def(12, s('ProcSteal', ['p', 'p_seq', 'm']))
def(13, s('ProcStatus', ['p', 'pstatus']))
def(14, s('GoCreate', ['new_g', 'new_stack', 'stack'], [2, 1]))
def(15, s('GoCreateSyscall', ['new_g']))
def(16, s('GoStart', ['g', 'g_seq']))
def(17, s('GoDestroy', []))
def(18, s('GoDestroySyscall', []))
def(19, s('GoStop', ['reason_string', 'stack'], [1], [0]))
def(20, s('GoBlock', ['reason_string', 'stack'], [1], [0]))
def(21, s('GoUnblock', ['g', 'g_seq', 'stack'], [2]))
def(22, s('GoSyscallBegin', ['p_seq', 'stack'], [1]))
def(23, s('GoSyscallEnd', []))
def(24, s('GoSyscallEndBlocked', []))
def(25, s('GoStatus', ['g', 'm', 'gstatus']))
def(26, s('STWBegin', ['kind_string', 'stack'], [1], [0]))
def(27, s('STWEnd', []))
def(28, s('GCActive', ['gc_seq']))
def(29, s('GCBegin', ['gc_seq', 'stack'], [1]))
def(30, s('GCEnd', ['gc_seq']))
def(31, s('GCSweepActive', ['p']))
def(32, s('GCSweepBegin', ['stack'], [0]))
def(33, s('GCSweepEnd', ['swept_value', 'reclaimed_value']))
def(34, s('GCMarkAssistActive', ['g']))
def(35, s('GCMarkAssistBegin', ['stack'], [0]))
def(36, s('GCMarkAssistEnd', []))
def(37, s('HeapAlloc', ['heapalloc_value']))
def(38, s('HeapGoal', ['heapgoal_value']))
def(39, s('GoLabel', ['label_string'], [], [0]))
def(40, s('UserTaskBegin', ['task', 'parent_task', 'name_string', 'stack'], [3], [2]))
def(41, s('UserTaskEnd', ['task', 'stack'], [1]))
def(42, s('UserRegionBegin', ['task', 'name_string', 'stack'], [2], [1]))
def(43, s('UserRegionEnd', ['task', 'name_string', 'stack'], [2], [1]))
def(44, s('UserLog', ['task', 'key_string', 'value_string', 'stack'], [3], [1, 2]))
def(45, s('GoSwitch', ['g', 'g_seq']))
def(46, s('GoSwitchDestroy', ['g', 'g_seq']))
def(47, s('GoCreateBlocked', ['new_g', 'new_stack', 'stack'], [2, 1]))
def(48, s('GoStatusStack', ['g', 'm', 'gstatus', 'stack'], [3]))
def(49, s('ExperimentalBatch', ['exp', 'gen', 'm', 'time'], [], [], false))
def(50, s('Sync', [], [], [], false))
def(51, s('ClockSnapshot', ['mono', 'sec', 'nsec']))
def(52, s('EndOfGeneration', [], [], [], false))
const exp = (id: number, name: string, args: string[]) => def(id, { ...s(name, args), experimental: true })
exp(128, 'Span', ['id', 'npages_value', 'kindclass'])
exp(129, 'SpanAlloc', ['id', 'npages_value', 'kindclass'])
exp(130, 'SpanFree', ['id'])
exp(131, 'HeapObject', ['id', 'type'])
exp(132, 'HeapObjectAlloc', ['id', 'type'])
exp(133, 'HeapObjectFree', ['id'])
exp(134, 'GoroutineStack', ['id', 'order'])
exp(135, 'GoroutineStackAlloc', ['id', 'order'])
exp(136, 'GoroutineStackFree', ['id'])

/** Go's wire statuses. */
export const GoStatus = { Bad: 0, Runnable: 1, Running: 2, Syscall: 3, Waiting: 4 } as const
export const ProcStatus = { Bad: 0, Running: 1, Idle: 2, Syscall: 3, SyscallAbandoned: 4 } as const

/** High-level states, as Go's reader names and numbers them. */
export const GoState = { Undetermined: 0, NotExist: 1, Runnable: 2, Running: 3, Waiting: 4, Syscall: 5 } as const
export const GO_STATE_NAMES = ['Undetermined', 'NotExist', 'Runnable', 'Running', 'Waiting', 'Syscall'] as const
export const ProcState = { Undetermined: 0, NotExist: 1, Running: 2, Idle: 3 } as const
export const PROC_STATE_NAMES = ['Undetermined', 'NotExist', 'Running', 'Idle'] as const

export const goStatusToState = [-1, GoState.Runnable, GoState.Running, GoState.Syscall, GoState.Waiting]
export const procStatusToState = [-1, ProcState.Running, ProcState.Idle, ProcState.Running, ProcState.Idle]
