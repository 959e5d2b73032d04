// Our dump of a trace file, in-process, as `lifeline dump` prints it: stdout text and the error (if any).
import { createReadStream } from 'node:fs'
import { decodeEvents } from '../../../src-shared/trace/decode'
import { eventString } from '../../../src-shared/trace/dump'
import type { ChunkSource } from '../../../src-shared/trace/input'

export async function ourDump(source: string | Uint8Array): Promise<{ stdout: string; error: string | null }> {
  const chunks: ChunkSource = typeof source === 'string' ? (createReadStream(source) as AsyncIterable<Uint8Array>) : [source]
  try {
    const t = await decodeEvents(chunks)
    let out = ''
    for (let i = 0; i < t.events.count; i++) out += eventString(t.events, i) + '\n'
    return { stdout: out, error: t.error ? t.error.message : null }
  } catch (err) {
    return { stdout: '', error: (err as Error).message }
  }
}

/** Decodes a Go-quoted string literal body (as in `go test fuzz v1` files) to bytes. */
export function goUnquote(lit: string): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < lit.length; i++) {
    const c = lit[i]!
    if (c !== '\\') {
      for (const b of new TextEncoder().encode(c)) out.push(b)
      continue
    }
    const n = lit[++i]!
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 }
    if (n in simple) out.push(simple[n]!)
    else if (n === 'x') {
      out.push(parseInt(lit.slice(i + 1, i + 3), 16))
      i += 2
    } else if (n >= '0' && n <= '7') {
      out.push(parseInt(lit.slice(i, i + 3), 8))
      i += 2
    } else if (n === 'u' || n === 'U') {
      const len = n === 'u' ? 4 : 8
      for (const b of new TextEncoder().encode(String.fromCodePoint(parseInt(lit.slice(i + 1, i + 1 + len), 16)))) out.push(b)
      i += len
    } else throw new Error(`bad escape \\${n}`)
  }
  return Uint8Array.from(out)
}
