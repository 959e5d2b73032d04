// Every subcommand, in the order `lifeline --help` lists them. Each lives in a file named for it.
import type { Command } from '../command'
import { info } from './info'
import { dump } from './dump'
import { goroutines } from './goroutines'
import { leaks } from './leaks'
import { report } from './report'

export const commands: Command[] = [info, dump, goroutines, leaks, report]
