// Supervises decoder processes: one per decode, with its own memory limit, so that a crash or an out-of-memory in
// the decoder is reported to the window and never takes the app down. The process factory is injected so that the
// supervision logic runs in unit tests without Electron (Electron passes utilityProcess.fork).

/** The slice of Electron's UtilityProcess the supervisor uses. */
export interface ChildLike {
  pid?: number
  kill(): boolean
  on(event: 'exit', listener: (code: number) => void): this
  on(event: 'spawn', listener: () => void): this
}

export type Fork<C extends ChildLike = ChildLike> = (modulePath: string, args: string[], options: { serviceName: string; execArgv: string[] }) => C

export type DecodeOutcome =
  | { kind: 'finished' }
  | { kind: 'cancelled' }
  | { kind: 'crashed'; message: string }

export interface DecodeJob<C extends ChildLike = ChildLike> {
  id: number
  child: C
  /** Settles when the process ends, with how it ended. */
  done: Promise<DecodeOutcome>
  cancel(): void
}

/** Heap limit for one decoder process (MB): big traces need room, but one decode must not eat the machine. */
export const DECODER_HEAP_MB = 6144

export class DecoderSupervisor<C extends ChildLike = ChildLike> {
  private nextId = 1
  private readonly jobs = new Map<number, DecodeJob<C>>()

  constructor(
    private readonly fork: Fork<C>,
    private readonly modulePath: string,
  ) {}

  start(): DecodeJob<C> {
    const id = this.nextId++
    const child = this.fork(this.modulePath, [], {
      serviceName: `Lifeline decoder ${id}`,
      execArgv: [`--max-old-space-size=${DECODER_HEAP_MB}`],
    })
    let cancelled = false
    const done = new Promise<DecodeOutcome>((resolve) => {
      child.on('exit', (code) => {
        this.jobs.delete(id)
        if (cancelled) resolve({ kind: 'cancelled' })
        else if (code === 0) resolve({ kind: 'finished' })
        else resolve({ kind: 'crashed', message: describeExit(code) })
      })
    })
    const job: DecodeJob<C> = {
      id,
      child,
      done,
      cancel: () => {
        cancelled = true
        child.kill()
      },
    }
    this.jobs.set(id, job)
    return job
  }

  /** Stops every running decode (window closed, app quitting). */
  cancelAll(): void {
    for (const job of [...this.jobs.values()]) job.cancel()
  }

  get running(): number {
    return this.jobs.size
  }
}

export function describeExit(code: number): string {
  // V8 aborts on heap exhaustion; signals show as 128+n on POSIX or as large codes on Windows.
  if (code === 134 || code === 3221226505 || code === -1073740791) return 'the decoder ran out of memory and was stopped'
  if (code === 137 || code === 9) return 'the decoder was killed by the system (out of memory?)'
  return `the decoder stopped unexpectedly (exit code ${code})`
}
