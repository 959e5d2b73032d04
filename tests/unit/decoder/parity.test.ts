// `lifeline dump` against `go tool trace -d=parsed` (Go's own parser): byte-identical on every current-format trace
// of the corpus, on fresh traces from Go's own test programs, and on Go's fuzz inputs (where Go fails, we fail too).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { goParsed, referenceGo } from '../corpus/go-parsed'
import { parseTestFile, rawTextToBinary } from '../../../src-shared/trace/text/raw'
import { goFuzzInputs, ourDump } from './dump-text'

const go = referenceGo()
const root = join(import.meta.dirname, '../../../traces')
const corpus = readdirSync(root)
  .filter((d) => statSync(join(root, d)).isDirectory() && d !== 'big')
  .flatMap((d) => readdirSync(join(root, d)).filter((f) => /\.go12[2-9](\.p1)?\.trace$/.test(f)).map((f) => join(root, d, f)))

describe.skipIf(!go.ok)('dump parity with go tool trace -d=parsed', () => {
  if (!go.ok) return
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim()

  it.each(corpus.map((p) => [p.slice(root.length + 1), p]))('%s', async (_name, path) => {
    const [ours, theirs] = await Promise.all([ourDump(path), goParsed(path, true)])
    expect(theirs.code, theirs.stderr).toBe(0)
    expect(ours.error).toBeNull()
    expect(ours.stdout === theirs.stdout, 'dump differs from go tool trace -d=parsed').toBe(true)
  })

  // Go's own test programs exercise what our scenarios do not: coroutine switches (iter.Pull), GC stress, many
  // annotations, cgo callbacks.
  const progs = ['iter-pull', 'gc-stress', 'annotations-stress', 'stress', 'cgo-callback']
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-goprog-'))
  it.each(progs)('GOROOT testprog %s', async (prog) => {
    const src = join(goroot, 'src/internal/trace/testdata/testprog', prog + '.go')
    const out = join(dir, prog + '.trace')
    writeFileSync(out, execFileSync('go', ['run', src], { maxBuffer: 1 << 28, env: { ...process.env, GOMAXPROCS: '4' }, timeout: 120_000 }))
    const [ours, theirs] = await Promise.all([ourDump(out), goParsed(out, true)])
    expect(theirs.code, theirs.stderr).toBe(0)
    expect(ours.error).toBeNull()
    expect(ours.stdout === theirs.stdout, `dump of ${prog} differs`).toBe(true)
  }, 180_000)

  // A trace cut right after its header (a program that died just after trace.Start): Go 1.26's format takes it as an
  // empty trace, the older ones refuse it (no frequency event). Either way, we say the same.
  it.each(['go122', 'go123', 'go125', 'go126'])('a %s trace with only its header', async (v) => {
    const file = join(dir, `header-only.${v}.trace`)
    const bytes = readFileSync(join(root, `timeout-leak/timeout-leak.${v}.trace`)).subarray(0, 16)
    writeFileSync(file, bytes)
    const [ours, theirs] = await Promise.all([ourDump(bytes), goParsed(file, true)])
    expect(ours.error !== null, `Go ${theirs.code === 0 ? 'accepts' : 'rejects'} it (${theirs.stderr.trim()}); we said ${ours.error}`).toBe(theirs.code !== 0)
    if (theirs.code !== 0) expect(theirs.stderr).toContain(ours.error!.replace(/ \(at byte \d+\)$/, ''))
    expect(ours.stdout).toBe(theirs.stdout)
  })

  const fuzzInputs = goFuzzInputs(goroot)
  it.each(fuzzInputs.map((f) => [f.name, f.bytes] as const))('GOROOT fuzz input %s', async (name, bytes) => {
    const file = join(dir, 'fuzz-' + name)
    writeFileSync(file, bytes)
    const [ours, theirs] = await Promise.all([ourDump(bytes), goParsed(file, true)])
    expect(ours.error !== null, `Go ${theirs.code === 0 ? 'accepts' : 'rejects'} it (${theirs.stderr.trim()}); we said ${ours.error}`).toBe(theirs.code !== 0)
    expect(ours.stdout).toBe(theirs.stdout)
  })
})

if (!go.ok) describe('dump parity', () => it.skip(go.reason, () => undefined))

// Go's hand-written ordering tests (.test: raw text), turned into binary by our own encoder, read by both.
describe.skipIf(!go.ok)('dump parity on Go\'s .test traces', () => {
  if (!go.ok) return
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim()
  const testDir = join(goroot, 'src/internal/trace/testdata/tests')
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-gotest-'))
  const files = [
    ...readdirSync(testDir).map((f) => ({ name: f, text: readFileSync(join(testDir, f), 'utf8') })),
    { name: 'cmd/trace go122.test', text: '-- expect --\nSUCCESS\n-- trace --\n' + readFileSync(join(goroot, 'src/cmd/trace/testdata/go122.test'), 'utf8') },
  ]
  it.each(files.map((f) => [f.name, f.text] as const))('%s', async (name, text) => {
    const { expect: want, trace } = parseTestFile(text)
    const bytes = rawTextToBinary(trace)
    const file = join(dir, name.replace(/\W/g, '_') + '.trace')
    writeFileSync(file, bytes)
    const [ours, theirs] = await Promise.all([ourDump(bytes), goParsed(file, true)])
    expect(theirs.code === 0, `Go: ${theirs.stderr}`).toBe(want.ok)
    expect(ours.error === null, `we said: ${ours.error}`).toBe(theirs.code === 0)
    if (!want.ok) expect(ours.error).toMatch(new RegExp(want.pattern))
    expect(ours.stdout === theirs.stdout, 'dump differs from go tool trace -d=parsed').toBe(true)
  })
})

// Function names and paths are printed byte for byte, as Go does: a program under a non-ASCII path.
describe.skipIf(!go.ok)('dump parity with non-ASCII paths', () => {
  if (!go.ok) return
  it('prints UTF-8 file paths exactly as Go does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeline-ünïcødé-路径-'))
    writeFileSync(join(dir, 'go.mod'), 'module example.com/uni\n\ngo 1.22\n')
    writeFileSync(join(dir, 'main.go'), `package main

import (
	"os"
	"runtime/trace"
	"time"
)

func main() {
	f, _ := os.Create(os.Args[1])
	trace.Start(f)
	ch := make(chan int)
	go func() { <-ch }()
	time.Sleep(10 * time.Millisecond)
	trace.Stop()
}
`)
    const out = join(dir, 'out.trace')
    execFileSync('go', ['run', '.', out], { cwd: dir, env: { ...process.env, GOFLAGS: '-mod=mod' }, timeout: 120_000 })
    const [ours, theirs] = await Promise.all([ourDump(out), goParsed(out, true)])
    expect(theirs.code, theirs.stderr).toBe(0)
    expect(theirs.stdout).toContain(Buffer.from('ünïcødé-路径', 'utf8').toString('latin1'))
    expect(ours.stdout === theirs.stdout, 'dump differs from go tool trace -d=parsed').toBe(true)
    // And the CLI writes those bytes unchanged.
    execFileSync('npm', ['run', 'build:cli'], { stdio: 'ignore' })
    const cli = execFileSync(process.execPath, ['bin/lifeline.js', 'dump', out], { encoding: 'latin1', maxBuffer: 1 << 28 })
    expect(cli === theirs.stdout, 'lifeline dump differs from go tool trace -d=parsed').toBe(true)
  }, 180_000)
})
