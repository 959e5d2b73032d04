// A small, strict argument parser on top of node:util parseArgs: unknown options are usage errors (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { CliError } from './command'

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (err) {
    throw new CliError((err as Error).message)
  }
}

/** Exactly `min`..`max` positional arguments, or a usage error naming what is expected. */
export function positionals(list: string[], min: number, max: number, what: string): string[] {
  if (list.length < min || list.length > max) throw new CliError(`expected ${what}; see --help`)
  return list
}
