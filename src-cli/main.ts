// The `lifeline` CLI: the same decoder, model and analysis as the app, for terminals and CI pipelines.
import { CliError, type CliIo, type Command } from './command'
import { commands } from './commands/index'

declare const __LIFELINE_VERSION__: string
const version = typeof __LIFELINE_VERSION__ === 'string' ? __LIFELINE_VERSION__ : 'dev'

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return [
    `lifeline ${version}: find goroutine leaks in Go execution traces`,
    '',
    'Usage: lifeline <command> [options] <trace>',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `lifeline <command> --help` for a command\'s options.',
    'Exit codes: 0 ok, 1 findings (where a command defines them), 2 usage or input error.',
    '',
  ].join('\n')
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v') {
    io.stdout(version + '\n')
    return 0
  }
  const command: Command | undefined = commands.find((c) => c.name === name)
  if (!command) {
    io.stderr(`lifeline: unknown command "${name}" (try lifeline --help)\n`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : command.usage + '\n')
    return 0
  }
  try {
    return await command.run(rest, io)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    io.stderr(`lifeline ${name}: ${message.split('\n')[0]}\n`)
    if (!(err instanceof CliError) && process.env.LIFELINE_DEBUG) io.stderr(String((err as Error).stack) + '\n')
    return 2
  }
}

/** Process entry used by bin/lifeline.js. */
export async function runProcess(): Promise<void> {
  // A reader that stops early (`| head`, also `2>&1 | head`) is not an error: stop writing and exit quietly, as other
  // tools do.
  let closed = false
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err
    closed = true
    process.exit(process.exitCode ?? 0)
  }
  process.stdout.on('error', onError)
  process.stderr.on('error', onError)
  const gone = () => closed || process.stdout.destroyed
  // Node writes to a pipe asynchronously: without waiting, a dump into a slow reader would queue up in memory. Settles
  // on whichever comes first: drained, closed or failed.
  const drained = () =>
    new Promise<void>((resolve) => {
      const out = process.stdout
      if (gone() || !out.writableNeedDrain) return resolve()
      const done = () => {
        out.off('drain', done)
        out.off('close', done)
        out.off('error', done)
        resolve()
      }
      out.on('drain', done)
      out.on('close', done)
      out.on('error', done)
    })
  const io: CliIo = {
    stdout: (t) => void (gone() || process.stdout.write(t)),
    stdoutBytes: (b) => void (gone() || process.stdout.write(b)),
    stderr: (t) => void process.stderr.write(t),
    stdoutClosed: gone,
    drained,
  }
  process.exitCode = await main(process.argv.slice(2), io)
}
