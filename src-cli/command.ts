// What every `lifeline` subcommand looks like. Commands write through `io` so tests can run them in-process.

export interface CliIo {
  stdout(text: string): void
  /** Raw bytes to stdout (the dump prints trace strings byte for byte, as Go does); defaults to UTF-8 text. */
  stdoutBytes?(bytes: Uint8Array): void
  stderr(text: string): void
  /** True once stdout's reader has gone (`lifeline dump t | head`): long outputs stop early. */
  stdoutClosed?(): boolean
  /** Resolves when stdout has taken what was written (a slow reader holds a long output back, not memory). */
  drained?(): Promise<void>
}

/** Thrown for usage or input errors: printed as one line on stderr, exit code 2. */
export class CliError extends Error {}

export interface Command {
  name: string
  /** One line for `lifeline --help`. */
  summary: string
  /** Full usage text for `lifeline <name> --help`. */
  usage: string
  /** Returns the exit code: 0 ok, 1 findings (where the command defines them). Throws CliError for code 2. */
  run(args: string[], io: CliIo): Promise<number>
}
