// `lifeline info <trace> [--json]`: what the trace is and how big.
import { parse, positionals } from '../args'
import type { Command } from '../command'
import { loadTraceFile } from '../load'

export const info: Command = {
  name: 'info',
  summary: 'format version, generations, events, duration, goroutines, Ps, Ms, decode and model build times',
  usage: 'lifeline info <trace> [--json]',
  async run(args, io) {
    const { values, positionals: pos } = parse(args, { json: { type: 'boolean' } })
    const [path] = positionals(pos, 1, 1, 'one trace file')
    const { model, decodeMs, modelMs, size } = await loadTraceFile(path!, io)
    const i = model.info
    const facts = {
      file: path,
      bytes: size,
      format: i.format,
      legacy: i.legacy,
      generations: i.generations,
      events: i.events,
      durationNs: i.durationNs,
      // Go's clock at the first event, and the wall clock then (Go 1.25 and later record it; else null).
      originNs: i.originNs,
      wallStartNs: i.wallStartNs,
      goroutines: i.goroutines,
      procs: i.procs,
      threads: i.threads,
      gcCount: i.gcCount,
      decodeMs: Math.round(decodeMs * 10) / 10,
      modelMs: Math.round(modelMs * 10) / 10,
      decodeThreads: i.decodeThreads,
      error: i.error,
    }
    if (values.json) io.stdout(JSON.stringify(facts, null, 2) + '\n')
    else {
      const rows: [string, string][] = [
        ['file', `${path} (${size} bytes)`],
        ['format', `${i.format}${i.legacy ? ' (legacy)' : ''}`],
        ['generations', String(i.generations)],
        ['events', String(i.events)],
        ['duration', formatNs(i.durationNs)],
        ...(i.wallStartNs !== null ? [['started', `${new Date(i.wallStartNs / 1e6).toISOString()} (wall clock)`] as [string, string]] : []),
        ['goroutines', String(i.goroutines)],
        ['Ps', String(i.procs)],
        ['Ms', String(i.threads)],
        ['GC cycles', String(i.gcCount)],
        ['decode time', `${facts.decodeMs} ms on ${i.decodeThreads} thread${i.decodeThreads === 1 ? '' : 's'}`],
        ['model build', `${facts.modelMs} ms (lifelines, spans, counts)`],
      ]
      if (i.error) rows.push(['problem', i.error])
      io.stdout(rows.map(([k, v]) => `${k.padEnd(12)} ${v}`).join('\n') + '\n')
    }
    return 0
  },
}

export function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(3)} µs`
  return `${ns} ns`
}
