// Starts decodes for windows: a granted file id in, a decoder process (see process.ts) that reads the file itself and
// a message port straight from it to the window out. Main only wires the two ends together (one channel per
// decode) and watches the process: it never touches the trace's bytes or events. A crash is reported to the window
// that asked; a cancel, a closed window or a reload kills the process. Electron's objects are injected so that this
// runs in unit tests without the Electron binary (index.ts passes utilityProcess.fork and MessageChannelMain).
import { DECODER_PORT, type DecoderEnded } from '../../src-shared/platform/ipc'
import type { ChildLike, DecoderSupervisor, DecodeJob } from './supervisor'
import type { DecoderRequest } from './process'

/** The slice of Electron's MessagePortMain main handles (it only passes ports on). */
export type PortLike = object

/** The slice of Electron's UtilityProcess the service needs beyond the supervisor's. */
export interface DecoderChild extends ChildLike {
  postMessage(message: unknown, transfer?: PortLike[]): void
}

/** The slice of Electron's WebContents a decode is started for. */
export interface WindowLike {
  readonly id: number
  postMessage(channel: string, message: unknown, transfer?: PortLike[]): void
  send(channel: string, ...args: unknown[]): void
  isDestroyed(): boolean
  once(event: 'destroyed', listener: () => void): unknown
}

export interface GrantedFiles {
  pathOf(id: string): string | undefined
}

export interface DecodeServiceDeps {
  supervisor: DecoderSupervisor<DecoderChild>
  files: GrantedFiles
  /** new MessageChannelMain() */
  channel(): { port1: PortLike; port2: PortLike }
}

export class DecodeAccessError extends Error {}


export class DecodeService {
  /** Running decodes by job id, with the window they belong to. */
  private readonly jobs = new Map<number, { job: DecodeJob<DecoderChild>; window: WindowLike }>()
  private readonly watched = new Set<number>()

  constructor(private readonly deps: DecodeServiceDeps) {}

  /**
   * Starts decoding a file the user granted, for `window`. The window gets the port (channel 'decoder:port',
   * message { job }) and, when the process ends, 'decoder:ended' with how it ended.
   */
  start(window: WindowLike, fileId: unknown): { job: number } {
    if (typeof fileId !== 'string' || fileId.length > 200) throw new DecodeAccessError('bad file id')
    const path = this.deps.files.pathOf(fileId)
    if (!path) throw new DecodeAccessError('that file was not opened by the user')
    if (window.isDestroyed()) throw new DecodeAccessError('the window is gone')
    this.watch(window)
    const job = this.deps.supervisor.start()
    const { port1, port2 } = this.deps.channel()
    const request: DecoderRequest = { type: 'decode', path }
    job.child.postMessage(request, [port1])
    window.postMessage(DECODER_PORT, { job: job.id }, [port2])
    this.jobs.set(job.id, { job, window })
    void job.done.then((outcome) => {
      this.jobs.delete(job.id)
      if (window.isDestroyed()) return
      const ended: DecoderEnded = outcome.kind === 'crashed' ? { job: job.id, kind: 'crashed', message: outcome.message } : { job: job.id, kind: outcome.kind }
      window.send('decoder:ended', ended)
    })
    return { job: job.id }
  }

  /** Kills a decode this window started (Cancel); false when there is no such decode (finished, or not its own). */
  cancel(window: WindowLike, jobId: unknown): boolean {
    if (!Number.isSafeInteger(jobId)) throw new DecodeAccessError('bad decode job')
    const entry = this.jobs.get(jobId as number)
    if (!entry || entry.window.id !== window.id) return false
    entry.job.cancel()
    return true
  }

  /** Kills every decode of a window (closed). A reload needs nothing: the page's port closes and the process ends. */
  cancelWindow(window: WindowLike): void {
    for (const { job, window: w } of [...this.jobs.values()]) if (w.id === window.id) job.cancel()
  }

  get running(): number {
    return this.jobs.size
  }

  private watch(window: WindowLike): void {
    if (this.watched.has(window.id)) return
    this.watched.add(window.id)
    window.once('destroyed', () => {
      this.watched.delete(window.id)
      this.cancelWindow(window)
    })
  }
}
