import { CliError, type Command } from '../command'

export const report: Command = {
  name: 'report',
  summary: 'not built yet',
  usage: 'lifeline report <trace>',
  async run() {
    throw new CliError('the report command is not built yet')
  },
}
