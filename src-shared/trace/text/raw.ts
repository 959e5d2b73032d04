// Go's raw text trace format (internal/trace/raw, the `.test` files in Go's testdata) to binary, so Go's
// hand-written ordering tests can be decoded by us and by Go alike. One event per line: the event name, then its
// arguments as name=value in wire order; indented `data="..."` lines carry string bytes, indented
// `pc=… func=… file=… line=…` lines a stack's frames.
import { EV, SPECS } from '../spec'

const BY_NAME = new Map<string, number>()
SPECS.forEach((s, id) => s && BY_NAME.set(s.name, id))

export class RawTextError extends Error {}

function uvarint(out: number[], v: bigint): void {
  do {
    let b = Number(v & 0x7fn)
    v >>= 7n
    if (v > 0n) b |= 0x80
    out.push(b)
  } while (v > 0n)
}

/** Unquotes a Go double-quoted string literal into bytes. */
export function goUnquoteBytes(lit: string): number[] {
  if (!lit.startsWith('"') || !lit.endsWith('"')) throw new RawTextError(`not a quoted string: ${lit}`)
  const s = lit.slice(1, -1)
  const out: number[] = []
  const utf8 = (cp: number) => {
    if (cp < 0x80) out.push(cp)
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63))
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63))
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63))
  }
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 }
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (c !== '\\') {
      utf8(s.codePointAt(i)!)
      if (s.codePointAt(i)! > 0xffff) i++
      continue
    }
    const n = s[++i]!
    if (n in simple) out.push(simple[n]!)
    else if (n === 'x') {
      out.push(parseInt(s.slice(i + 1, i + 3), 16))
      i += 2
    } else if (n >= '0' && n <= '7') {
      out.push(parseInt(s.slice(i, i + 3), 8))
      i += 2
    } else if (n === 'u' || n === 'U') {
      const len = n === 'u' ? 4 : 8
      utf8(parseInt(s.slice(i + 1, i + 1 + len), 16))
      i += len
    } else throw new RawTextError(`bad escape \\${n}`)
  }
  return out
}

const pairs = (text: string) => [...text.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!] as const)

export function rawTextToBinary(text: string): Uint8Array {
  const lines = text.split('\n')
  const head = /^Trace Go1\.(\d+)$/.exec(lines[0]!.trim())
  if (!head) throw new RawTextError(`first line must be "Trace Go1.NN", got "${lines[0]}"`)
  const out: number[] = []
  for (const c of `go 1.${head[1]} trace`) out.push(c.charCodeAt(0))
  while (out.length < 16) out.push(0)
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line.trim() === '') continue
    if (/^\s/.test(line)) {
      const t = line.trim()
      if (t.startsWith('data=')) {
        const bytes = goUnquoteBytes(t.slice(5))
        uvarint(out, BigInt(bytes.length))
        out.push(...bytes)
      } else for (const [, v] of pairs(t)) uvarint(out, BigInt(v))
      continue
    }
    const name = line.split(/\s/, 1)[0]!
    const type = BY_NAME.get(name)
    if (type === undefined) throw new RawTextError(`line ${i + 1}: unknown event ${name}`)
    out.push(type)
    for (const [k, v] of pairs(line.slice(name.length))) {
      // The experiment of an ExperimentalBatch is one raw byte; everything else is a uvarint.
      if (type === EV.ExperimentalBatch && k === 'exp') out.push(Number(v))
      else uvarint(out, BigInt(v))
    }
  }
  return Uint8Array.from(out)
}

/** Splits a `.test` txtar file into its expectation and trace text. */
export function parseTestFile(text: string): { expect: { ok: true } | { ok: false; pattern: string }; trace: string } {
  const m = /-- expect --\n([\s\S]*?)\n-- trace --\n([\s\S]*)$/.exec(text)
  if (!m) throw new RawTextError('not a txtar .test file with expect and trace members')
  const exp = m[1]!.trim()
  if (exp === 'SUCCESS') return { expect: { ok: true }, trace: m[2]! }
  const f = /^FAILURE (".*")$/.exec(exp)
  if (!f) throw new RawTextError(`bad expectation: ${exp}`)
  return { expect: { ok: false, pattern: String.fromCharCode(...goUnquoteBytes(f[1]!)) }, trace: m[2]! }
}
