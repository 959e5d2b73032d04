// `lifeline leaks <trace>`: never-ending goroutines grouped by creation site, explained and ranked; with
// --baseline, what is new, grown or fixed; --fail-on makes it a CI gate (exit 1).
import { readFile } from 'node:fs/promises'
import { categoryWithReason } from '../../src-shared/analysis/categories'
import { isUserFrame } from '../../src-shared/analysis/frames'
import { analyzeLeaks, blockShown, createdAt, fmtNs, onCpu, sameWorkNote, site, woken, type LeakAnalysis, type LeakGroup } from '../../src-shared/analysis/leaks'
import { readLeakProfile } from '../../src-shared/analysis/leakprofile'
import { backwards, compareGroups, sameProcess, statusText, type GroupChange } from '../../src-shared/compare/match'
import { parse, positionals } from '../args'
import { CliError, type Command } from '../command'
import { loadTraceFile } from '../load'
import { refuseStdinTwice } from '../source'
import { loadSuppressions, SUPPRESSION_OPTIONS, SUPPRESSION_USAGE, warnUnusedSuppressions } from '../suppressions'

const USAGE = `lifeline leaks <trace> [options]

  --json                     machine-readable output (every group, benign ones too)
  --all                      also list benign groups (runtime, accept loops, idle workers)
  --min-count N              only groups with at least N goroutines (listed, and gated on; matched before filtering)
  --baseline <trace>         compare with an older trace: status new / grown / shrunk / unchanged / fixed
  --fail-on any|new          exit 1 when any leak group exists (any) or a leak group is new or grown (new)
${SUPPRESSION_USAGE}
  --leak-profile PATH        a goroutineleak profile (debug=2) from the same process: marks proven leaks

Exit codes: 0 ok, 1 --fail-on matched, 2 usage or input error.`

export const leaks: Command = {
  name: 'leaks',
  summary: 'goroutines that never end, grouped by the go statement that created them, with verdicts',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals: pos } = parse(args, {
      json: { type: 'boolean' },
      all: { type: 'boolean' },
      'min-count': { type: 'string' },
      baseline: { type: 'string' },
      'fail-on': { type: 'string' },
      ...SUPPRESSION_OPTIONS,
      'leak-profile': { type: 'string' },
    })
    const [path] = positionals(pos, 1, 1, 'one trace file')
    const failOn = values['fail-on']
    if (failOn !== undefined && failOn !== 'any' && failOn !== 'new') throw new CliError('--fail-on takes "any" or "new"')
    if (failOn === 'new' && !values.baseline) throw new CliError('--fail-on new needs --baseline <older trace>')
    refuseStdinTwice([path, values.baseline])
    const minCount = values['min-count'] === undefined ? undefined : Number(values['min-count'])
    if (minCount !== undefined && !(Number.isInteger(minCount) && minCount > 0)) throw new CliError('--min-count takes a positive whole number')

    const suppress = await loadSuppressions(values)
    const profilePath = values['leak-profile']
    const profile = profilePath
      ? readLeakProfile(await readFile(profilePath, 'utf8').catch(() => {
          throw new CliError(`${profilePath}: cannot read the leak profile`)
        }))
      : undefined
    if (profile && profile.goroutines === 0) throw new CliError(`${profilePath}: not a goroutine profile in its debug=2 form (no "goroutine N [...]:" lines)`)
    const leakedIds = profile?.leaked

    const { model } = await loadTraceFile(path!, io)
    if (profile && profile.leaked.size > 0 && ![...profile.leaked].some((id) => model.goroutines.indexOf(id) >= 0)) {
      io.stderr(`lifeline: warning: ${profilePath}: none of the ${profile.leaked.size} goroutines it marks leaked is in ${path}: is it from the same process as the trace?\n`)
    }
    // --min-count filters after the comparison: a group that shrank below it is not "fixed", nor one that grew past it "new".
    const analysis = analyzeLeaks(model, { suppress, leakedIds })
    let baseAnalysis: LeakAnalysis | undefined
    const counted = analysis.groups.filter((g) => !minCount || g.count >= minCount)
    const shown = counted.filter((g) => values.all || values.json || g.verdict !== 'benign')
    let changes: Map<string, GroupChange> | null = null
    let fixed: GroupChange[] = []
    if (values.baseline) {
      const base = await loadTraceFile(values.baseline, io)
      // A baseline read in part would call the same leak grown, or new: no gate against it.
      if (failOn === 'new' && base.model.info.error) throw new CliError(`${values.baseline}: the baseline was read only in part (${base.model.info.error.split('\n')[0]}): a gate against it could call unchanged leaks new or grown; record it again`)
      baseAnalysis = analyzeLeaks(base.model, { suppress })
      const order = backwards({ name: path!, info: model.info }, { name: values.baseline, info: base.model.info })
      if (order) io.stderr(`lifeline: warning: ${order}\n`)
      const all = compareGroups(analysis.groups, model.info.durationNs, baseAnalysis.groups, base.model.info.durationNs, sameProcess(model.info, base.model.info))
      changes = new Map(all.filter((c) => c.status !== 'fixed').map((c) => [c.key, c]))
      fixed = all.filter((c) => c.status === 'fixed' && c.group.verdict !== 'benign' && (!minCount || c.baselineCount >= minCount))
    }
    const unused = warnUnusedSuppressions(io, path!, analysis, baseAnalysis)
    const leakGroups = counted.filter((g) => g.verdict === 'leak')
    const failing =
      failOn === 'any' ? leakGroups :
      failOn === 'new' ? leakGroups.filter((g) => ['new', 'grown'].includes(changes?.get(g.key)?.status ?? '')) : []
    const belowMin = analysis.groups.length - counted.length

    if (values.json) {
      const json = {
        // 2: gate, minCount and belowMinCount added; fixed entries carry entry and blockSite.
        // 3: sameWorkAs, together and stillThere added, trace.wallStartNs and trace.threadIds; a group's status may be decided on the leak it is part
        // of (together), not on its own counts; rates are null for goroutines found running when the trace began.
        schemaVersion: 3,
        trace: { file: path, ...model.info },
        suppressed: analysis.suppressed,
        unusedSuppressions: unused,
        minCount: minCount ?? null,
        belowMinCount: belowMin,
        gate: failOn ? { failOn, failed: failing.length > 0, keys: failing.map((g) => g.key) } : null,
        groups: shown.map((g) => toJson(g, changes?.get(g.key))),
        fixed: changes ? fixed.map((c) => ({ key: c.key, status: c.status, baselineCount: c.baselineCount, creationSite: c.group.creationSite, entry: c.group.entry, blockSite: blockShown(c.group), preexisting: c.group.preexisting, category: c.group.category })) : null,
      }
      io.stdout(JSON.stringify(json, null, 2) + '\n')
    } else {
      io.stdout(textReport(path!, model.info.durationNs, shown, changes, fixed, analysis.suppressed, counted.length - shown.length, belowMin, minCount))
    }
    if (failing.length > 0) {
      const groups = `leak group${failing.length === 1 ? '' : 's'}`
      io.stderr(`lifeline: --fail-on ${failOn}: ${failing.length} ${failOn === 'any' ? groups : `${groups} new or grown`} (${failing.map((g) => g.key).join(', ')})\n`)
    }
    return failing.length > 0 ? 1 : 0
  },
}

function toJson(g: LeakGroup, change?: GroupChange) {
  return {
    key: g.key,
    verdict: g.verdict,
    confidence: Math.round(g.confidence * 100) / 100,
    category: g.category,
    reason: g.reason,
    blockReason: g.blockReason,
    pattern: g.pattern,
    hint: g.hint,
    count: g.count,
    created: g.created,
    ended: g.ended,
    creationSite: g.creationSite,
    createdVia: g.createdVia,
    entry: g.entry,
    // Where it blocks as shown (the top user frame, else the innermost frame outside the runtime); the key uses the user frame.
    blockSite: blockShown(g),
    preexisting: g.preexisting,
    // The key of the group of this trace doing the same work from the other side of its start (found running / seen
    // created), or null.
    sameWorkAs: g.sameWorkAs,
    blockedNs: g.blockedNs,
    wakeups: g.wakeups,
    cpuShare: Math.round(g.cpuShare * 1000) / 1000,
    provenLeaked: g.provenLeaked,
    goroutines: g.goroutines,
    stacks: g.stacks,
    // Against a baseline (null without one): the status, and both counts per second of trace (live goroutines over
    // the trace's length, so that traces of different lengths compare).
    status: change?.status ?? null,
    baselineCount: change?.baselineCount ?? null,
    // Goroutines from before the trace accumulated outside it: a count, not a rate over the trace (null).
    rate: change && !g.preexisting ? change.rate : null,
    baselineRate: change && !g.preexisting ? change.baselineRate : null,
    // A leak of groups doing the same work is compared as one: its groups (keys) and goroutines on each side.
    together: change?.together ?? null,
    // Two traces of one process (they share OS threads): the baseline's goroutines still there, by ID.
    stillThere: change?.stillThere ?? null,
  }
}

function textReport(path: string, durationNs: number, groups: LeakGroup[], changes: Map<string, GroupChange> | null, fixed: GroupChange[], suppressed: number, hiddenBenign: number, belowMin: number, minCount: number | undefined): string {
  const lines: string[] = []
  const leaks = groups.filter((g) => g.verdict === 'leak').length
  const hidden = hiddenBenign ? `, ${hiddenBenign} benign hidden (--all shows them)` : ''
  const small = belowMin ? `, ${belowMin} below --min-count ${minCount}` : ''
  lines.push(`${path}: ${fmtNs(durationNs)}, ${leaks} leak group${leaks === 1 ? '' : 's'}, ${groups.length - leaks} other${hidden}${small}${suppressed ? `, ${suppressed} suppressed` : ''}`)
  for (const g of groups) {
    const c = changes?.get(g.key)
    lines.push('')
    lines.push(`${g.verdict.toUpperCase()} ${g.count}× ${c ? `[${statusText(c)}] ` : ''}(confidence ${Math.round(g.confidence * 100)}%)  key ${g.key}`)
    lines.push(`  created at  ${origin(g)}`)
    const same = sameWorkNote(g, groups)
    if (same) lines.push(`  same work   ${same}`)
    const running = g.category === 'running'
    lines.push(`  ${running ? 'running in' : 'blocked in'}  ${site(blockShown(g))}  [${categoryWithReason(g.category, g.blockReason)}]`)
    if (running) lines.push(`  on a CPU    ${onCpu(g)}; ${woken(g.wakeups, g.count)}`)
    // Since they last blocked: for goroutines that keep waking, that is since their last wake-up.
    else lines.push(`  for         at least ${fmtNs(g.blockedNs.min)}${g.wakeups > 0 ? ' since the last wake-up' : ''} (median ${fmtNs(g.blockedNs.median)}); ${woken(g.wakeups, g.count)}`)
    lines.push(`  why         ${g.reason}`)
    if (g.pattern) lines.push(`  pattern     ${g.pattern}: ${g.hint}`)
    // The innermost frames, down to the user's where it blocks (a mutex's lockSlow sits a few frames above it).
    const shown = Math.min(g.stacks.block.length, Math.max(5, g.stacks.block.findIndex(isUserFrame) + 2))
    for (const f of g.stacks.block.slice(0, shown)) lines.push(`      ${f.func}\n          ${f.file}:${f.line}`)
    if (g.stacks.block.length > shown) lines.push(`      … ${g.stacks.block.length - shown} more`)
  }
  for (const c of fixed) lines.push('', `FIXED (was ${c.baselineCount}×)  ${origin(c.group)}  [${c.group.category}]  key ${c.key}`)
  return lines.join('\n') + '\n'
}

/** Where a group's goroutines come from: their `go` statement, or their entry for goroutines from before the trace. */
function origin(g: LeakGroup): string {
  return g.preexisting ? `before the trace started (entry ${site(g.entry)})` : createdAt(g)
}
