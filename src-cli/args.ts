// A small, strict argument parser on top of node:util parseArgs: unknown options are usage errors (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { CliError } from './command'

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (err) {
    throw new CliError(argsMessage(err as Error & { code?: string }))
  }
}

/** node:util's messages, said in one line (they run to three, with advice about `--` that does not apply here). */
function argsMessage(err: Error & { code?: string }): string {
  // "Option '-o, --output <value>' ...": the long name where there is one.
  const names = /'(-[^']*?)(?: <value>)?'/.exec(err.message)?.[1] ?? ''
  const option = names.split(', ').at(-1) ?? names
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}; see --help`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(err.message)) return `${option} takes no value`
      return `${option} needs a value (one that starts with "-" is written ${option}=-…)`
    default:
      return err.message.split('\n')[0]!
  }
}

/** Exactly `min`..`max` positional arguments, or a usage error naming what is expected. */
export function positionals(list: string[], min: number, max: number, what: string): string[] {
  if (list.length < min || list.length > max) throw new CliError(`expected ${what}; see --help`)
  return list
}
