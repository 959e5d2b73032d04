// One measurement in a fresh process (so peak RSS is this decode's): Lifeline decodes a trace file into the model.
// Prints one JSON line. Run by bench/decode.ts.
import { createReadStream, statSync } from 'node:fs'
import { analyzeLeaks } from '../src-shared/analysis/leaks'
import { buildModel } from '../src-shared/model/build'
import { decodeEvents } from '../src-shared/trace/decode'

const path = process.argv[2]!
const size = statSync(path).size
const started = performance.now()
const decoded = await decodeEvents(createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>, { totalBytes: size })
const decodedAt = performance.now()
const model = buildModel(decoded)
const builtAt = performance.now()
const analysis = analyzeLeaks(model)
const analyzedAt = performance.now()
const spans = model.goroutineSpans.bytes + model.procSpans.bytes + model.threadSpans.bytes + model.unblocks.bytes
process.stdout.write(JSON.stringify({
  bytes: size,
  events: decoded.events.count,
  decodeMs: decodedAt - started,
  modelMs: builtAt - decodedAt,
  analysisMs: analyzedAt - builtAt,
  groups: analysis.groups.length,
  eventBytes: decoded.events.columnBytes,
  spanBytes: spans,
  peakRssKB: process.resourceUsage().maxRSS,
  error: decoded.error?.message ?? null,
}) + '\n')
