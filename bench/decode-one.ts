// One measurement in a fresh process (so peak RSS is this decode's): Lifeline decodes a trace file into the model.
// Prints one JSON line. Run by bench/decode.ts with --expose-gc, so that the model's size is measured after a full
// collection: the bytes it holds (JS heap + typed arrays) over the events it holds. With --next it decodes the file
// twice and prints only the second decode's time: the next trace of a session, on code V8 has optimized by then, and
// on the helper thread the first one left when it was kept (a trace of up to 64 MiB: see keptHelper in
// src-shared/trace/v2/pipeline.ts; a bigger one gets a new helper, and only this thread's code is warm).
import { createReadStream, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { nodeOrderThread, ONE_THREAD_BELOW } from '../src-cli/order-thread'
import { analyzeLeaks } from '../src-shared/analysis/leaks'
import { buildModel } from '../src-shared/model/build'
import { decodeEvents } from '../src-shared/trace/decode'
import { WARM_ROUNDS } from '../src-main/decoder/supervisor'

const path = process.argv[2]!
const size = statSync(path).size
const gc = (globalThis as { gc?: () => void }).gc
const used = () => {
  gc?.()
  gc?.()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}
// As the CLI and the desktop decoder do: ordering on a helper thread when there are two cores or more.
const threads = availableParallelism() >= 2 && process.env.LIFELINE_ONE_THREAD !== '1' ? 2 : 1
// --after-sample: the bundled sample decoded WARM_ROUNDS times first, as the desktop's spare decoder process does
// before a request comes (src-main/decoder/process.ts), then the trace: the first trace a user opens on the desktop.
const afterSample = process.argv.includes('--after-sample')
// The CLI's choice (one thread below ONE_THREAD_BELOW); the desktop's spare starts its helper on the sample and keeps
// it, whatever the size, as src-main/decoder/process.ts does. LIFELINE_ONE_THREAD_BELOW=<bytes> tries another threshold.
const below = afterSample ? 0 : Number(process.env.LIFELINE_ONE_THREAD_BELOW ?? ONE_THREAD_BELOW)
const orderThread = nodeOrderThread(import.meta.url, threads, undefined, below)
const decode = () => decodeEvents(createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>, { totalBytes: size, orderThread })
if (process.argv.includes('--next') || afterSample) {
  if (afterSample) {
    const sample = new URL('../../src-renderer/public/samples/leaky-fetch.go126.trace', import.meta.url)
    const sampleSize = statSync(sample).size
    for (let round = 0; round < WARM_ROUNDS; round++) await decodeEvents(createReadStream(sample) as AsyncIterable<Uint8Array>, { totalBytes: sampleSize, orderThread })
  } else await decode()
  gc?.()
  const t = performance.now()
  const next = await decode()
  process.stdout.write(JSON.stringify({ events: next.events.count, decodeMs: performance.now() - t, threads: next.threads }) + '\n')
  process.exit(0)
}
const base = used()
const started = performance.now()
const decoded = await decode()
const decodedAt = performance.now()
// The high-water mark so far: decoding alone (the events), before the model is built on them.
const decodePeakRssKB = process.resourceUsage().maxRSS
const model = buildModel(decoded)
const builtAt = performance.now()
// The high-water mark with the model built (the leak analysis after it has transients of its own).
const modelPeakRssKB = process.resourceUsage().maxRSS
const modelBytes = gc ? used() - base : null
const analysisStart = performance.now()
const analysis = analyzeLeaks(model)
const analyzedAt = performance.now()
process.stdout.write(JSON.stringify({
  bytes: size,
  threads: decoded.threads,
  events: decoded.events.count,
  goroutines: model.goroutines.length,
  spans: model.goroutineSpans.length,
  decodeMs: decodedAt - started,
  modelMs: builtAt - decodedAt,
  analysisMs: analyzedAt - analysisStart,
  groups: analysis.groups.length,
  eventBytes: decoded.events.columnBytes,
  spanBytes: model.goroutineSpans.bytes + model.procSpans.bytes + model.threadSpans.bytes + model.unblocks.bytes + model.goroutineCounts.bytes,
  modelBytes,
  decodePeakRssKB,
  modelPeakRssKB,
  peakRssKB: process.resourceUsage().maxRSS,
  error: decoded.error?.message ?? null,
}) + '\n')
