import { CliError, type Command } from '../command'

export const leaks: Command = {
  name: 'leaks',
  summary: 'not built yet',
  usage: 'lifeline leaks <trace>',
  async run() {
    throw new CliError('the leaks command is not built yet')
  },
}
