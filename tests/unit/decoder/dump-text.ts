// Our dump of a trace file, in-process, as `lifeline dump` prints it: stdout text and the error (if any).
import { createReadStream, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodeEvents, type DecodeOptions } from '../../../src-shared/trace/decode'
import { eventString } from '../../../src-shared/trace/dump'
import type { ChunkSource } from '../../../src-shared/trace/input'
import { goUnquoteBytes } from '../../../src-shared/trace/text/raw'

export async function ourDump(source: string | Uint8Array, opts: DecodeOptions = {}): Promise<{ stdout: string; error: string | null }> {
  const chunks: ChunkSource = typeof source === 'string' ? (createReadStream(source) as AsyncIterable<Uint8Array>) : [source]
  try {
    const t = await decodeEvents(chunks, opts)
    let out = ''
    for (let i = 0; i < t.events.count; i++) out += eventString(t.events, i) + '\n'
    return { stdout: out, error: t.error ? t.error.message : null }
  } catch (err) {
    return { stdout: '', error: (err as Error).message }
  }
}

/** Go's FuzzReader seed inputs in GOROOT (`go test fuzz v1` files), by file name. */
export function goFuzzInputs(goroot: string): { name: string; bytes: Uint8Array }[] {
  const dir = join(goroot, 'src/internal/trace/testdata/fuzz/FuzzReader')
  return readdirSync(dir).map((name) => {
    const m = /\[\]byte\("((?:[^"\\]|\\.)*)"\)/.exec(readFileSync(join(dir, name), 'utf8'))
    return { name, bytes: goUnquote(m![1]!) }
  })
}

/** Decodes a Go-quoted string literal body (as in `go test fuzz v1` files) to bytes. */
export function goUnquote(lit: string): Uint8Array {
  return Uint8Array.from(goUnquoteBytes(`"${lit}"`))
}
