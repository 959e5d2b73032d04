// The suppression options `leaks` and `report` share: --ignore-created-by, --ignore-blocked-in and the ignore file
// (./.lifelineignore when present), so that a report shows what the gate counts.
import { readFile } from 'node:fs/promises'
import type { LeakAnalysis } from '../src-shared/analysis/leaks'
import { emptySuppressions, IgnoreFileError, parseIgnoreFile, type Suppressions } from '../src-shared/analysis/suppress'
import { CliError, type CliIo } from './command'

export const SUPPRESSION_OPTIONS = {
  'ignore-created-by': { type: 'string', multiple: true },
  'ignore-blocked-in': { type: 'string', multiple: true },
  'ignore-file': { type: 'string' },
} as const

export const SUPPRESSION_USAGE = `  --ignore-created-by F      ignore goroutines created by function F (repeatable; "pkg.*" matches a prefix)
  --ignore-blocked-in F      ignore goroutines with function F anywhere in their blocking stack (repeatable)
  --ignore-file PATH         suppressions file (default: ./.lifelineignore if present)`

export async function loadSuppressions(values: { 'ignore-created-by'?: string[]; 'ignore-blocked-in'?: string[]; 'ignore-file'?: string }): Promise<Suppressions> {
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
  return suppress
}

/**
 * The rules that hid nothing in the trace, nor in its baseline when there is one (a rule that hides a baseline group
 * decides what shows as fixed), each warned about on stderr: a misspelt function would otherwise hide nothing, silently.
 */
export function warnUnusedSuppressions(io: Pick<CliIo, 'stderr'>, path: string, analysis: LeakAnalysis, baseline?: LeakAnalysis): string[] {
  const unused = analysis.unusedSuppressions.filter((rule) => !baseline || baseline.unusedSuppressions.includes(rule))
  for (const rule of unused) io.stderr(`lifeline: warning: suppression "${rule}" hides nothing in ${path}${baseline ? ' or its baseline' : ''} (misspelt, or from another build?)\n`)
  return unused
}
