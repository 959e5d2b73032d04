// `lifeline dump <trace>`: the ordered events, in exactly the text form of `go tool trace -d=parsed` (Go 1.26).
import { decodeEvents } from '../../src-shared/trace/decode'
import { eventString } from '../../src-shared/trace/dump'
import { TraceFormatError } from '../../src-shared/trace/errors'
import { utf8 } from '../../src-shared/trace/text'
import { parse, positionals } from '../args'
import { CliError, type Command } from '../command'
import { cliOrderThread } from '../load'
import { openTrace } from '../source'

export const dump: Command = {
  name: 'dump',
  summary: 'print the ordered events exactly as `go tool trace -d=parsed` does',
  usage: 'lifeline dump <trace>\n\nPrints every event in order, in the text form of `go tool trace -d=parsed` (Go 1.26).\nOn a damaged trace, prints what could be read, then the error on stderr (exit 2).',
  async run(args, io) {
    const { positionals: pos } = parse(args, {})
    const [path] = positionals(pos, 1, 1, 'one trace file')
    const { chunks, size } = await openTrace(path!)
    let trace
    try {
      trace = await decodeEvents(chunks, { totalBytes: size, orderThread: cliOrderThread })
    } catch (err) {
      if (err instanceof TraceFormatError) throw new CliError(`${path}: ${err.message}`)
      throw err
    }
    const store = trace.events
    // eventString gives byte strings (trace strings are bytes, possibly invalid UTF-8): write them as bytes.
    const write = (text: string) => (io.stdoutBytes ? io.stdoutBytes(Buffer.from(text, 'latin1')) : io.stdout(utf8(text)))
    let buf = ''
    for (let i = 0; i < store.count; i++) {
      buf += eventString(store, i) + '\n'
      if (buf.length > 1 << 16) {
        write(buf)
        buf = ''
        await io.drained?.()
        if (io.stdoutClosed?.()) return 0
      }
    }
    write(buf)
    if (trace.error) throw new CliError(`${path}: ${trace.error.message}`)
    return 0
  },
}
