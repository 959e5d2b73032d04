import { CliError, type Command } from '../command'

export const goroutines: Command = {
  name: 'goroutines',
  summary: 'not built yet',
  usage: 'lifeline goroutines <trace>',
  async run() {
    throw new CliError('the goroutines command is not built yet')
  },
}
