import { CliError, type Command } from '../command'

export const info: Command = {
  name: 'info',
  summary: 'not built yet',
  usage: 'lifeline info <trace>',
  async run() {
    throw new CliError('the info command is not built yet')
  },
}
