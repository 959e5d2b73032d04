import { CliError, type Command } from '../command'

export const dump: Command = {
  name: 'dump',
  summary: 'not built yet',
  usage: 'lifeline dump <trace>',
  async run() {
    throw new CliError('the dump command is not built yet')
  },
}
