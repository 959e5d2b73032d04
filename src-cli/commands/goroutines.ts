// `lifeline goroutines <trace> [--json]`: one record per goroutine.
import { creationFrame, recordEntry } from '../../src-shared/analysis/frames'
import { parse, positionals } from '../args'
import type { Command } from '../command'
import { loadTraceFile } from '../load'
import { formatNs } from './info'

export const goroutines: Command = {
  name: 'goroutines',
  summary: 'one record per goroutine: creation site, entry, parent, final state and reason, wake-ups',
  usage: 'lifeline goroutines <trace> [--json]',
  async run(args, io) {
    const { values, positionals: pos } = parse(args, { json: { type: 'boolean' } })
    const [path] = positionals(pos, 1, 1, 'one trace file')
    const { model } = await loadTraceFile(path!, io)
    const rows = model.goroutines.map((g) => ({
      id: g.id,
      createdNs: g.createdNs,
      endedNs: g.endedNs,
      creationSite: g.createdNs === null ? null : creationFrame(g.creationStack) ?? g.creationStack[0] ?? null,
      entry: recordEntry(g),
      parent: g.parent,
      finalState: g.finalState,
      finalReason: g.finalReason,
      lastBlockNs: g.lastBlockNs,
      wakeups: g.wakeups,
    }))
    if (values.json) {
      io.stdout(JSON.stringify(rows, null, 2) + '\n')
      return 0
    }
    const site = (f: { func: string; file: string; line: number } | null) => (f ? `${f.func} ${f.file.split('/').pop()}:${f.line}` : '-')
    // As wide as the longest reason (Go's are short phrases: "GC background sweeper wait" is 26), within reason.
    // (A loop, not a spread: a trace may hold hundreds of thousands of goroutines, more arguments than a call takes.)
    const width = Math.min(32, rows.reduce((w, r) => Math.max(w, r.finalReason.length), 6))
    const reason = (text: string) => (text.length > width ? text.slice(0, width - 1) + '…' : text).padEnd(width)
    io.stdout(`${'id'.padStart(7)}  ${'state'.padEnd(8)}  ${reason('reason')}  ${'wake-ups'.padStart(8)}  ${'ended'.padEnd(12)}  entry / created at\n`)
    for (const r of rows) {
      const ended = r.endedNs === null ? 'never' : formatNs(r.endedNs)
      io.stdout(`${String(r.id).padStart(7)}  ${r.finalState.padEnd(8)}  ${reason(r.finalReason)}  ${String(r.wakeups).padStart(8)}  ${ended.padEnd(12)}  ${site(r.entry)}  <- ${r.createdNs === null ? 'before the trace' : site(r.creationSite)}\n`)
    }
    return 0
  },
}
