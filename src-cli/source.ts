// Node host: a trace file (or `-`, standard input) as a stream of chunks (bounded memory), with its size for progress
// when it is known.
import { open, type FileHandle } from 'node:fs/promises'
import { CliError } from './command'

export interface TraceSource {
  chunks: AsyncIterable<Uint8Array>
  /** The file's size, or undefined for standard input. */
  size: number | undefined
  /** Bytes read so far (all of them once the chunks are consumed). */
  bytesRead: () => number
}

export async function openTrace(path: string): Promise<TraceSource> {
  if (path === '-') {
    // A trace piped in (`curl …/debug/pprof/trace | lifeline leaks -`).
    let read = 0
    async function* stdin(): AsyncGenerator<Uint8Array> {
      for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
        read += chunk.length
        yield chunk
      }
    }
    return { chunks: stdin(), size: undefined, bytesRead: () => read }
  }
  // Opened before anything is read, so that a file that cannot be read (no such file, no permission) says so at once.
  let file: FileHandle | undefined
  let size: number
  try {
    file = await open(path, 'r')
    const info = await file.stat()
    if (!info.isFile()) throw new CliError(`${path}: not a regular file`)
    size = info.size
  } catch (err) {
    await file?.close()
    if (err instanceof CliError) throw err
    const code = (err as NodeJS.ErrnoException).code
    throw new CliError(code === 'ENOENT' || code === 'ENOTDIR' ? `${path}: no such file` : code === 'EISDIR' ? `${path}: not a regular file` : `${path}: cannot read (${code ?? (err as Error).message})`)
  }
  const stream = file.createReadStream({ highWaterMark: 1 << 20 })
  return { chunks: stream as AsyncIterable<Uint8Array>, size, bytesRead: () => size }
}

/** Standard input can be one of a command's traces, not two. */
export function refuseStdinTwice(paths: (string | undefined)[]): void {
  if (paths.filter((p) => p === '-').length > 1) throw new CliError('standard input ("-") can be read only once: give the other traces as files')
}
