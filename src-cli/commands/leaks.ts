// `lifeline leaks <trace>`: never-ending goroutines grouped by creation site, explained and ranked; with
// --baseline, what is new, grown or fixed; --fail-on makes it a CI gate (exit 1).
import { readFile } from 'node:fs/promises'
import { categoryWithReason } from '../../src-shared/analysis/categories'
import { isUserFrame } from '../../src-shared/analysis/frames'
import { analyzeLeaks, blockShown, createdAt, fmtNs, onCpu, site, woken, type LeakGroup } from '../../src-shared/analysis/leaks'
import { readLeakProfile } from '../../src-shared/analysis/leakprofile'
import { emptySuppressions, IgnoreFileError, parseIgnoreFile } from '../../src-shared/analysis/suppress'
import { compareGroups, type GroupChange } from '../../src-shared/compare/match'
import { parse, positionals } from '../args'
import { CliError, type Command } from '../command'
import { loadTraceFile } from '../load'

const USAGE = `lifeline leaks <trace> [options]

  --json                     machine-readable output (every group, benign ones too)
  --all                      also list benign groups (runtime, accept loops, idle workers)
  --min-count N              only groups with at least N goroutines
  --baseline <trace>         compare with an older trace: status new / grown / shrunk / unchanged / fixed
  --fail-on any|new          exit 1 when any leak group exists (any) or a leak group is new or grown (new)
  --ignore-created-by F      ignore goroutines created by function F (repeatable; "pkg.*" matches a prefix)
  --ignore-blocked-in F      ignore goroutines blocked in function F (repeatable)
  --ignore-file PATH         suppressions file (default: ./.lifelineignore if present)
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
      'ignore-created-by': { type: 'string', multiple: true },
      'ignore-blocked-in': { type: 'string', multiple: true },
      'ignore-file': { type: 'string' },
      'leak-profile': { type: 'string' },
    })
    const [path] = positionals(pos, 1, 1, 'one trace file')
    const failOn = values['fail-on']
    if (failOn !== undefined && failOn !== 'any' && failOn !== 'new') throw new CliError('--fail-on takes "any" or "new"')
    if (failOn === 'new' && !values.baseline) throw new CliError('--fail-on new needs --baseline <older trace>')
    const minCount = values['min-count'] === undefined ? undefined : Number(values['min-count'])
    if (minCount !== undefined && !(Number.isInteger(minCount) && minCount > 0)) throw new CliError('--min-count takes a positive whole number')

    const suppress = emptySuppressions()
    suppress.createdBy.push(...(values['ignore-created-by'] ?? []))
    suppress.blockedIn.push(...(values['ignore-blocked-in'] ?? []))
    const ignorePath = values['ignore-file'] ?? '.lifelineignore'
    const ignoreText = await readFile(ignorePath, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (values['ignore-file'] || err.code !== 'ENOENT') throw new CliError(`${ignorePath}: cannot read (${err.code ?? err.message})`)
      return ''
    })
    try {
      parseIgnoreFile(ignoreText, suppress, ignorePath)
    } catch (err) {
      if (err instanceof IgnoreFileError) throw new CliError(err.message)
      throw err
    }
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
    const analysis = analyzeLeaks(model, { suppress, leakedIds, minCount })
    const shown = analysis.groups.filter((g) => values.all || values.json || g.verdict !== 'benign')
    let changes: Map<string, GroupChange> | null = null
    let fixed: GroupChange[] = []
    if (values.baseline) {
      const base = await loadTraceFile(values.baseline, io)
      const baseAnalysis = analyzeLeaks(base.model, { suppress, minCount })
      const all = compareGroups(analysis.groups, model.info.durationNs, baseAnalysis.groups, base.model.info.durationNs)
      changes = new Map(all.filter((c) => c.status !== 'fixed').map((c) => [c.key, c]))
      fixed = all.filter((c) => c.status === 'fixed' && c.group.verdict !== 'benign')
    }
    const leakGroups = analysis.groups.filter((g) => g.verdict === 'leak')
    const failed =
      failOn === 'any' ? leakGroups.length > 0 :
      failOn === 'new' ? leakGroups.some((g) => ['new', 'grown'].includes(changes?.get(g.key)?.status ?? '')) : false

    if (values.json) {
      const json = {
        trace: { file: path, ...model.info },
        suppressed: analysis.suppressed,
        groups: shown.map((g) => toJson(g, changes?.get(g.key))),
        ...(changes ? { fixed: fixed.map((c) => ({ key: c.key, status: c.status, baselineCount: c.baselineCount, creationSite: c.group.creationSite, category: c.group.category })) } : {}),
      }
      io.stdout(JSON.stringify(json, null, 2) + '\n')
    } else {
      io.stdout(textReport(path!, model.info.durationNs, shown, changes, fixed, analysis.suppressed, analysis.groups.length - shown.length))
    }
    return failed ? 1 : 0
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
    blockedNs: g.blockedNs,
    wakeups: g.wakeups,
    cpuShare: Math.round(g.cpuShare * 1000) / 1000,
    provenLeaked: g.provenLeaked,
    goroutines: g.goroutines,
    stacks: g.stacks,
    ...(change ? { status: change.status, baselineCount: change.baselineCount, rate: change.rate, baselineRate: change.baselineRate } : {}),
  }
}

function textReport(path: string, durationNs: number, groups: LeakGroup[], changes: Map<string, GroupChange> | null, fixed: GroupChange[], suppressed: number, hiddenBenign: number): string {
  const lines: string[] = []
  const leaks = groups.filter((g) => g.verdict === 'leak').length
  const hidden = hiddenBenign ? `, ${hiddenBenign} benign hidden (--all shows them)` : ''
  lines.push(`${path}: ${fmtNs(durationNs)}, ${leaks} leak group${leaks === 1 ? '' : 's'}, ${groups.length - leaks} other${hidden}${suppressed ? `, ${suppressed} suppressed` : ''}`)
  for (const g of groups) {
    const c = changes?.get(g.key)
    lines.push('')
    lines.push(`${g.verdict.toUpperCase()} ${g.count}× ${c ? `[${c.status}, was ${c.baselineCount}] ` : ''}(confidence ${Math.round(g.confidence * 100)}%)  key ${g.key}`)
    lines.push(`  created at  ${origin(g)}`)
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
