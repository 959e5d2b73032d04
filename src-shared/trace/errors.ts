// Every problem with trace bytes is a TraceFormatError: it names what was wrong and the byte offset where it was
// found, and says whether the data read before it was kept. Nothing else escapes the decoder.

export type TraceErrorKind =
  | 'header' // not a trace, or a version we do not read
  | 'truncated' // the file ends inside a generation, batch or event
  | 'corrupt' // bytes that cannot be what the format says
  | 'inconsistent' // well-formed events that contradict each other (Go: "broken trace")
  | 'cancelled'

export class TraceFormatError extends Error {
  constructor(
    readonly kind: TraceErrorKind,
    message: string,
    /** Byte offset in the file where the problem was found; -1 when it is not tied to one place. */
    readonly offset: number,
  ) {
    // (A message that names the offset already, as "truncated at byte N: kept K of M generations" does, is not told
    // twice. The offset goes on the first line: one-line reports, as the CLI's, keep only that.)
    super(offset >= 0 && !message.includes(`at byte ${offset}`) ? message.replace(/:?(\n|$)/, ` (at byte ${offset})$&`) : message)
    this.name = 'TraceFormatError'
  }
}

/** A TraceFormatError as plain data, to cross a thread boundary. */
export interface TraceFormatErrorData {
  kind: TraceErrorKind
  message: string
  offset: number
}

export function errorData(err: TraceFormatError): TraceFormatErrorData {
  return { kind: err.kind, message: err.message, offset: err.offset }
}

const KINDS = new Set<TraceErrorKind>(['header', 'truncated', 'corrupt', 'inconsistent', 'cancelled'])

/**
 * The error errorData described; its message already names the offset, so it is kept as it was. The data comes from
 * another thread or process: an unknown kind reads as corrupt, an offset that is not one as -1.
 */
export function reviveError(data: TraceFormatErrorData): TraceFormatError {
  const kind = KINDS.has(data.kind) ? data.kind : 'corrupt'
  const err = new TraceFormatError(kind, '', Number.isSafeInteger(data.offset) ? data.offset : -1)
  err.message = String(data.message)
  return err
}

/** Runs `fn`, turning any stray exception into a TraceFormatError at `offset` (defence in depth for fuzzed input). */
export function guard<T>(offset: () => number, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof TraceFormatError) throw err
    throw new TraceFormatError('corrupt', `malformed trace data: ${(err as Error).message}`, offset())
  }
}
