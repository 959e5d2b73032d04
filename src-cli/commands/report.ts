// `lifeline report <trace> [<later trace>] [-o report.html]`: the leak report as one self-contained HTML file. With
// two traces, the first is the baseline (before) and the report is about the second, compared with it.
import { writeFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { analyzeLeaks, type LeakAnalysis } from '../../src-shared/analysis/leaks'
import { backwards, compareGroups, sameProcess } from '../../src-shared/compare/match'
import { renderReport } from '../../src-shared/report/report'
import { parse, positionals } from '../args'
import { CliError, type Command } from '../command'
import { loadTraceFile } from '../load'
import { refuseStdinTwice } from '../source'
import { loadSuppressions, SUPPRESSION_OPTIONS, SUPPRESSION_USAGE, warnUnusedSuppressions } from '../suppressions'

export const report: Command = {
  name: 'report',
  summary: 'write the leak report as one self-contained HTML file (two traces: compare before -> after)',
  usage:
    'lifeline report <trace> [<later trace>] [-o report.html] [suppressions]\n\nWith two traces, the first is the baseline and the report is about the second.\n' +
    'Without -o, the report is <trace name>.leaks.html in the current folder (the later trace\'s name with two).\n' +
    `Suppressions, as \`lifeline leaks\` takes them (so the report shows what the gate counts):\n${SUPPRESSION_USAGE}`,
  async run(args, io) {
    const { values, positionals: pos } = parse(args, { output: { type: 'string', short: 'o' }, ...SUPPRESSION_OPTIONS })
    const suppress = await loadSuppressions(values)
    const paths = positionals(pos, 1, 2, 'one or two trace files')
    refuseStdinTwice(paths)
    const current = paths[paths.length - 1]!
    const name = (p: string) => (p === '-' ? 'stdin' : basename(p))
    const output = values.output || `${name(current).replace(/\.(trace|out)$/, '')}.leaks.html`
    const { model } = await loadTraceFile(current, io)
    const analysis = analyzeLeaks(model, { suppress })
    let baseAnalysis: LeakAnalysis | undefined
    let comparison
    if (paths.length === 2) {
      const base = await loadTraceFile(paths[0]!, io)
      baseAnalysis = analyzeLeaks(base.model, { suppress })
      const order = backwards({ name: current, info: model.info }, { name: paths[0]!, info: base.model.info })
      if (order) io.stderr(`lifeline: warning: ${order}\n`)
      comparison = {
        baselineName: name(paths[0]!),
        baselineFormat: base.model.info.format,
        baselineDurationNs: base.model.info.durationNs,
        baselineError: base.model.info.error,
        changes: compareGroups(analysis.groups, model.info.durationNs, baseAnalysis.groups, base.model.info.durationNs, sameProcess(model.info, base.model.info)),
      }
    }
    warnUnusedSuppressions(io, current, analysis, baseAnalysis)
    const text = renderReport({ name: name(current), model, analysis, comparison })
    try {
      await writeFile(output, text)
    } catch (err) {
      throw new CliError(`${output}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
    }
    const leakGroups = analysis.groups.filter((g) => g.verdict === 'leak').length
    io.stderr(`wrote ${output} (${(text.length / 1024).toFixed(1)} KB): ${leakGroups} leak group${leakGroups === 1 ? '' : 's'}\n`)
    return 0
  },
}
