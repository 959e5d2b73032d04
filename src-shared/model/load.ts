// Bytes to model in one call: the shared entry for the worker, the CLI and tests.
import { decodeEvents, type DecodeOptions } from '../trace/decode'
import type { ChunkSource } from '../trace/input'
import { buildModel } from './build'
import type { TraceModel } from './model'

export async function loadModel(source: ChunkSource, opts: DecodeOptions = {}): Promise<TraceModel> {
  return buildModel(await decodeEvents(source, opts))
}
