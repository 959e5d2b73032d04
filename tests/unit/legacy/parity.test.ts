// `lifeline dump` of legacy (Go 1.11-1.21) traces against `go tool trace -d=parsed` (Go 1.26 converts them with its
// own v1 reader): GOROOT's recorded v1 traces, every Go 1.19/1.21 trace of our corpus, and the legacy inputs of Go's
// fuzz corpus (where Go rejects a file, we reject it too). Event for event identical, except the order of events
// with equal timestamps on different Ps, which Go itself randomises (see tie-compare.ts).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { goParsed, referenceGo } from '../corpus/go-parsed'
import { goUnquote, ourDump } from '../decoder/dump-text'
import { compareDumps } from './tie-compare'

const go = referenceGo()
const root = join(import.meta.dirname, '../../../traces')
const corpus = existsSync(root)
  ? readdirSync(root)
      .filter((d) => statSync(join(root, d)).isDirectory() && d !== 'big')
      .flatMap((d) => readdirSync(join(root, d)).filter((f) => /\.go1(19|21)(\.[\w-]+)?\.trace$/.test(f)).map((f) => join(root, d, f)))
  : []

describe.skipIf(!go.ok)('legacy dump parity with go tool trace -d=parsed', () => {
  if (!go.ok) return
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim()
  const testdata = join(goroot, 'src/internal/trace/internal/tracev1/testdata')
  const gorootTraces = readdirSync(testdata).map((f) => join(testdata, f))

  it('finds the traces it promises to check', () => {
    expect(gorootTraces.length).toBeGreaterThanOrEqual(12)
    expect(gorootTraces.some((f) => f.includes('1_11'))).toBe(true)
  })

  const check = async (path: string) => {
    const [ours, theirs] = await Promise.all([ourDump(path), goParsed(path, true)])
    if (theirs.code !== 0) {
      // Go rejects the whole file: we must reject it too, and print nothing either.
      expect(ours.error, `Go rejects it (${theirs.stderr.trim()}) but we accept it`).not.toBeNull()
      expect(ours.stdout).toBe(theirs.stdout)
      return
    }
    expect(ours.error).toBeNull()
    const r = compareDumps(ours.stdout, theirs.stdout)
    expect(r.equal, r.firstDiff).toBe(true)
    // Ties are rare (Go's own runs differ in a handful of places): many windows would mean a wrong merge order.
    expect(r.tieWindows).toBeLessThanOrEqual(5)
  }

  it.each(gorootTraces.map((p) => [p.slice(testdata.length + 1), p]))('GOROOT v1 testdata %s', async (_n, p) => check(p), 60_000)
  it.each(corpus.map((p) => [p.slice(root.length + 1), p]))('corpus %s', async (_n, p) => check(p), 60_000)

  const fuzzDir = join(goroot, 'src/internal/trace/testdata/fuzz/FuzzReader')
  const legacyFuzz = readdirSync(fuzzDir)
    .map((name) => {
      const m = /\[\]byte\("((?:[^"\\]|\\.)*)"\)/.exec(readFileSync(join(fuzzDir, name), 'utf8'))
      return { name, bytes: goUnquote(m![1]!) }
    })
    .filter((f) => /^go 1\.(11|19|21) trace/.test(new TextDecoder('latin1').decode(f.bytes.subarray(0, 16))))
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-legacy-'))
  it.each(legacyFuzz.map((f) => [f.name, f.bytes] as const))('GOROOT fuzz input %s', async (name, bytes) => {
    const file = join(dir, name)
    writeFileSync(file, bytes)
    const [ours, theirs] = await Promise.all([ourDump(bytes), goParsed(file, true)])
    expect(ours.error !== null, `Go ${theirs.code === 0 ? 'accepts' : 'rejects'} it (${theirs.stderr.trim()}); we said ${ours.error}`).toBe(theirs.code !== 0)
    expect(ours.stdout).toBe(theirs.stdout)
  })
})

if (!go.ok) describe('legacy dump parity', () => it.skip(go.reason, () => undefined))
