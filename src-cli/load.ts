// Opens and decodes a trace for a CLI command; decoding problems become one-line usage/input errors (exit 2).
import { buildModel } from '../src-shared/model/build'
import type { TraceModel } from '../src-shared/model/model'
import { decodeEvents } from '../src-shared/trace/decode'
import { TraceFormatError } from '../src-shared/trace/errors'
import { availableParallelism } from 'node:os'
import { CliError, type CliIo } from './command'
import { nodeOrderThread, ONE_THREAD_BELOW } from './order-thread'
import { openTrace } from './source'

/**
 * Decodes on two threads when the built CLI runs on two or more cores and the trace is big enough to pay for the
 * helper's start (see order-thread.ts).
 */
export const cliOrderThread = nodeOrderThread(import.meta.url, availableParallelism(), undefined, ONE_THREAD_BELOW)

/**
 * Decodes a trace file into the model. A trace that stops early (truncated, corrupt after some point) is still read up
 * to there, with a warning on stderr that says so; one with no goroutine (stopped before any, or nothing after its
 * header) is an input error, so that a CI gate (`leaks --fail-on`) never passes on an empty reading of a file.
 */
export async function loadTraceFile(path: string, io: Pick<CliIo, 'stderr'>): Promise<{ model: TraceModel; decodeMs: number; modelMs: number; size: number }> {
  const source = await openTrace(path)
  const { chunks, size } = source
  const started = performance.now()
  let model: TraceModel
  // The decode and the model's build timed apart: the decode is what compares with Go's reader.
  let decodedAt = started
  try {
    const decoded = await decodeEvents(chunks, { totalBytes: size, orderThread: cliOrderThread })
    decodedAt = performance.now()
    model = buildModel(decoded)
  } catch (err) {
    if (err instanceof TraceFormatError) throw new CliError(`${path}: ${err.message}`)
    throw err
  }
  const problem = model.info.error
  // Every Go program has a goroutine (main): a trace without one recorded nothing after its header (a program that
  // stopped right after trace.Start), and must not pass a gate as a trace with no leaks.
  if (model.goroutines.length === 0) {
    // A legacy trace cannot be read in part: its stacks and strings come at its end.
    const why = !problem
      ? 'no goroutines: the trace holds nothing after its header'
      : model.info.legacy
        ? `a ${model.info.format} trace is read whole (its stack and string tables come at its end), and this one is damaged: ${problem}`
        : `the trace stops before any goroutine: ${problem}`
    throw new CliError(`${path}: ${why}`)
  }
  // A current-format trace damaged before its first generation ended: what was read of that generation is a fragment
  // (events without the rest of their story), and findings made from it would be made up.
  if (problem && !model.info.legacy && model.info.generations === 0) throw new CliError(`${path}: damaged before its first generation ended, so no part of it can be analysed: ${problem.split('\n')[0]}`)
  if (problem) {
    // The problem's first line, then any detail it carries (a broken trace's frontier).
    const [first, ...detail] = problem.split('\n')
    io.stderr(`lifeline: warning: ${path}: ${first!.replace(/:$/, '')}; what follows covers the part read before it\n${detail.map((l) => `  ${l}\n`).join('')}`)
  }
  return { model, decodeMs: decodedAt - started, modelMs: performance.now() - decodedAt, size: source.bytesRead() }
}
