// Decoder adapter: turns the shared decoder's model into a TimelineSource. The decoder (src-shared/trace) has not
// landed yet; until it does, opening a trace reports that plainly instead of pretending.
import type { LoadedTrace } from './load-trace'

export async function buildTimeline(name: string, _chunks: AsyncIterable<Uint8Array>, _signal: AbortSignal, _phase: (p: string) => void): Promise<LoadedTrace> {
  throw new Error(`${name}: this build has no trace decoder yet (src-shared/trace is pending)`)
}
