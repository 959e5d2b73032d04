// Node host: a trace file as a stream of chunks (bounded memory), with its size for progress.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { CliError } from './command'

export async function openTrace(path: string): Promise<{ chunks: AsyncIterable<Uint8Array>; size: number }> {
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new CliError(`${path}: not a regular file`)
    size = info.size
  } catch (err) {
    if (err instanceof CliError) throw err
    throw new CliError(`${path}: no such file`)
  }
  const stream = createReadStream(path, { highWaterMark: 1 << 20 })
  return { chunks: stream as AsyncIterable<Uint8Array>, size }
}
