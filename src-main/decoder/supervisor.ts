// Supervises decoder processes: one per decode, with its own memory limit, so that a crash or an out-of-memory in
// the decoder is reported to the window and never takes the app down. The process factory is injected so that the
// supervision logic runs in unit tests without Electron (Electron passes utilityProcess.fork).
//
// A spare: while no decode runs, one process is started ahead, and warms itself by decoding the bundled sample trace
// (see process.ts), so that the next open takes a process that is up, with its helper thread started and its code
// compiled by V8 (a fresh process decodes a 10 MB trace about a third slower; see bench/README.md). It is made a
// while after the app starts and after each decode, never during one (the two would share the cores), and is killed
// with the rest when the app quits.

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

export interface SpareOptions {
  /** The trace a spare decodes to warm itself (the bundled sample); null: a spare only starts, it does not warm. */
  warmWith: string | null
  /** How long after the app starts, or a decode ends, the spare is made. */
  delayMs: number
}

/** Spares in a row that may die while waiting before no more are made (a broken build would fork one after another). */
const MAX_SPARE_DEATHS = 3

/** Passed to a spare decoder process, followed by the trace to warm with. */
export const WARM_ARG = '--warm-with'

/**
 * Decodes of the sample a spare makes before a request (process.ts): each one is a few ms, and a request waits for the
 * one under way. Ten took a fresh 10 MB decode from about 330 to 230-260 ms under Node 20 (bench/README.md, tenth
 * session). Here, not in process.ts, so that the benchmarks can read it without loading the decoder process.
 */
export const WARM_ROUNDS = 10

export class DecoderSupervisor<C extends ChildLike = ChildLike> {
  private nextId = 1
  private readonly jobs = new Map<number, DecodeJob<C>>()
  private spare: C | null = null
  private spareTimer: ReturnType<typeof setTimeout> | null = null
  /** Spares in a row that died before a decode took them. */
  private spareDeaths = 0
  private stopped = false

  /** `spare`: keep a warm process ready for the next decode (the app does; without it, each decode forks its own). */
  constructor(
    private readonly fork: Fork<C>,
    private readonly modulePath: string,
    private readonly spareOptions: SpareOptions | null = null,
  ) {}

  private forkDecoder(id: number, args: string[]): C {
    return this.fork(this.modulePath, args, {
      serviceName: `Lifeline decoder ${id}`,
      execArgv: [`--max-old-space-size=${DECODER_HEAP_MB}`],
    })
  }

  /** Makes the spare `delayMs` from now, unless one is there, a decode is running then, or the app is quitting. */
  scheduleSpare(): void {
    const options = this.spareOptions
    if (!options || this.stopped || this.spare || this.spareTimer) return
    this.spareTimer = setTimeout(() => {
      this.spareTimer = null
      // A decode running now makes another spare when it ends.
      if (this.stopped || this.spare || this.jobs.size > 0) return
      const child = this.forkDecoder(this.nextId++, options.warmWith ? [WARM_ARG, options.warmWith] : [])
      child.on('exit', () => {
        if (this.spare !== child) return
        // Died while waiting (killed by the system, say): another, unless spares keep dying.
        this.spare = null
        if (++this.spareDeaths < MAX_SPARE_DEATHS) this.scheduleSpare()
      })
      this.spare = child
    }, options.delayMs)
  }

  /** Whether a spare is ready for the next decode. */
  get hasSpare(): boolean {
    return this.spare !== null
  }

  start(): DecodeJob<C> {
    const id = this.nextId++
    // The spare if there is one (a spare that exited has left the slot already), else a new process.
    const child = this.spare ?? this.forkDecoder(id, [])
    if (this.spare) this.spareDeaths = 0
    this.spare = null
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
    void done.then(() => this.scheduleSpare())
    return job
  }

  /** Stops every running decode (window closed, app quitting). */
  cancelAll(): void {
    for (const job of [...this.jobs.values()]) job.cancel()
  }

  /** The app is quitting: every decode and the spare are stopped, and no spare is made again. */
  stopAll(): void {
    this.stopped = true
    if (this.spareTimer) clearTimeout(this.spareTimer)
    this.spareTimer = null
    this.spare?.kill()
    this.spare = null
    this.cancelAll()
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
