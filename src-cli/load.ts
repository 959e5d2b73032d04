// Opens and decodes a trace for a CLI command; decoding problems become one-line usage/input errors (exit 2).
import { loadModel } from '../src-shared/model/load'
import type { TraceModel } from '../src-shared/model/model'
import { TraceFormatError } from '../src-shared/trace/errors'
import { availableParallelism } from 'node:os'
import { CliError } from './command'
import { nodeOrderThread } from './order-thread'
import { openTrace } from './source'

/** Decodes on two threads when the built CLI runs on two or more cores (see order-thread.ts). */
export const cliOrderThread = nodeOrderThread(import.meta.url, availableParallelism())

export async function loadTraceFile(path: string): Promise<{ model: TraceModel; decodeMs: number; size: number }> {
  const { chunks, size } = await openTrace(path)
  const started = performance.now()
  try {
    const model = await loadModel(chunks, { totalBytes: size, orderThread: cliOrderThread })
    return { model, decodeMs: performance.now() - started, size }
  } catch (err) {
    if (err instanceof TraceFormatError) throw new CliError(`${path}: ${err.message}`)
    throw err
  }
}
