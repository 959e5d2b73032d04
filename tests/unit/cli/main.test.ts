import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main } from '../../../src-cli/main'
import { nodeOrderThread, ONE_THREAD_BELOW } from '../../../src-cli/order-thread'
import type { PipeMessage } from '../../../src-shared/trace/v2/pipeline'
import { ourDump } from '../decoder/dump-text'

function run(argv: string[]) {
  let out = ''
  let err = ''
  const code = main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) })
  return code.then((c) => ({ code: c, out, err }))
}

/** Newest modification time under a folder (of .ts files). */
function newest(dir: string): number {
  let t = 0
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) if (f.endsWith('.ts')) t = Math.max(t, statSync(join(dir, f)).mtimeMs)
  return t
}

/** The CLI as `prepare` builds it (built here when missing, or older than its sources: a stale helper thread would
 * not speak the decoder's current protocol). */
function built(): void {
  const out = ['out/cli/lifeline.js', 'out/cli/order-worker.js']
  const stale = out.some((f) => !existsSync(f)) || Math.min(...out.map((f) => statSync(f).mtimeMs)) < Math.max(newest('src-cli'), newest('src-shared'))
  if (stale) execFileSync('npm', ['run', 'build:cli'], { stdio: 'ignore' })
}

describe('lifeline CLI entry', () => {
  it('lists every subcommand in --help and exits 0', async () => {
    const r = await run(['--help'])
    expect(r.code).toBe(0)
    for (const name of ['info', 'dump', 'goroutines', 'leaks', 'report']) expect(r.out).toMatch(new RegExp(`^  ${name} `, 'm'))
  })
  it('exits 2 with one line on stderr for usage errors', async () => {
    const none = await run([])
    expect(none.code).toBe(2)
    const unknown = await run(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.err.trim().split('\n')).toHaveLength(1)
    expect(unknown.err).toMatch(/unknown command "frobnicate"/)
  })
  it('is installed as a bin that runs after the prepare build', () => {
    built()
    const r = spawnSync(process.execPath, ['bin/lifeline.js', '--help'], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^lifeline \d+\.\d+\.\d+/)
    const bad = spawnSync(process.execPath, ['bin/lifeline.js', 'nope'], { encoding: 'utf8' })
    expect(bad.status).toBe(2)
    // A small trace decodes on one thread (a helper's start would cost more than it saves), and it says so.
    const info = spawnSync(process.execPath, ['bin/lifeline.js', 'info', '--json', 'traces/timeout-leak/timeout-leak.go126.trace'], { encoding: 'utf8' })
    expect(info.status, info.stderr).toBe(0)
    expect(JSON.parse(info.stdout).decodeThreads).toBe(1)
  })

  it.skipIf(spawnSync('go', ['version']).status !== 0)('decodes a trace of ONE_THREAD_BELOW or more on two threads where there are two cores (skipped without go: the trace is recorded)', () => {
    built()
    // The benchmarks' generator (traces/stress), as `npm run traces:big` runs it: a trace just over the threshold.
    const mb = Math.ceil(ONE_THREAD_BELOW / 2 ** 20) + 1
    const trace = `traces/big/big-${mb}mb.trace`
    if (!existsSync(trace)) execFileSync(process.execPath, ['traces/big.mjs', '--mb', String(mb)], { stdio: 'ignore' })
    expect(statSync(trace).size).toBeGreaterThanOrEqual(ONE_THREAD_BELOW)
    const info = spawnSync(process.execPath, ['bin/lifeline.js', 'info', '--json', trace], { encoding: 'utf8' })
    expect(info.status, info.stderr).toBe(0)
    expect(JSON.parse(info.stdout).decodeThreads).toBe(availableParallelism() >= 2 ? 2 : 1)
  }, 120_000)

  it.skipIf(spawnSync('go', ['version']).status !== 0)('handles a leak of 150 000 goroutines from one go statement (more than a call takes as arguments; skipped without go: the trace is recorded)', () => {
    built()
    const dir = mkdtempSync(join(tmpdir(), 'lifeline-many-'))
    writeFileSync(join(dir, 'go.mod'), 'module many\n\ngo 1.22\n')
    writeFileSync(join(dir, 'main.go'), `package main

import (
\t"os"
\t"runtime/trace"
\t"time"
)

func main() {
\tf, _ := os.Create(os.Args[1])
\ttrace.Start(f)
\tch := make(chan int)
\tfor i := 0; i < 150000; i++ {
\t\tgo func() { <-ch }()
\t}
\ttime.Sleep(100 * time.Millisecond)
\ttrace.Stop()
}
`)
    const trace = join(dir, 'many.trace')
    execFileSync('go', ['run', '.', trace], { cwd: dir, stdio: 'ignore', env: { ...process.env, GOFLAGS: '-mod=mod' } })
    const leaks = spawnSync(process.execPath, ['bin/lifeline.js', 'leaks', trace, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 })
    expect(leaks.status, leaks.stderr).toBe(0)
    expect((JSON.parse(leaks.stdout) as { groups: { verdict: string; count: number }[] }).groups.filter((g) => g.verdict === 'leak').map((g) => g.count)).toEqual([150000])
    const list = spawnSync(process.execPath, ['bin/lifeline.js', 'goroutines', trace], { encoding: 'utf8', maxBuffer: 1 << 28 })
    expect(list.status, list.stderr).toBe(0)
    rmSync(dir, { recursive: true, force: true })
  }, 180_000)

  it('reads a trace from standard input when the file is "-" (a trace piped in from a live server)', () => {
    built()
    const input = readFileSync('traces/timeout-leak/timeout-leak.go126.trace')
    const piped = spawnSync(process.execPath, ['bin/lifeline.js', 'leaks', '-', '--json'], { input, encoding: 'utf8' })
    const file = spawnSync(process.execPath, ['bin/lifeline.js', 'leaks', 'traces/timeout-leak/timeout-leak.go126.trace', '--json'], { encoding: 'utf8' })
    expect(piped.status, piped.stderr).toBe(0)
    const groups = (out: string) => (JSON.parse(out) as { groups: unknown[] }).groups
    expect(groups(piped.stdout)).toEqual(groups(file.stdout))
    const info = spawnSync(process.execPath, ['bin/lifeline.js', 'info', '-', '--json'], { input, encoding: 'utf8' })
    expect(JSON.parse(info.stdout).bytes).toBe(input.length)
  })

  it('stops quietly when its reader goes away (dump | head), and holds a long output back for a slow reader', async () => {
    built()
    const trace = 'traces/annotated/annotated.go125.trace' // about 11 MB of dump
    const whole = spawnSync(process.execPath, ['bin/lifeline.js', 'dump', trace], { maxBuffer: 64 << 20 })
    expect(whole.status).toBe(0)
    expect(whole.stdout.length).toBeGreaterThan(4 << 20)
    // A reader that takes one chunk and leaves: exit 0, nothing on stderr (no EPIPE stack trace).
    const early = spawn(process.execPath, ['bin/lifeline.js', 'dump', trace], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    early.stderr.on('data', (d: Buffer) => (err += d))
    early.stdout.once('data', () => early.stdout.destroy())
    const code = await new Promise<number | null>((resolve) => early.on('close', resolve))
    expect(err).toBe('')
    expect(code).toBe(0)
    // A reader that pauses gets every byte, in order.
    const slow = spawn(process.execPath, ['bin/lifeline.js', 'dump', trace], { stdio: ['ignore', 'pipe', 'inherit'] })
    const parts: Buffer[] = []
    slow.stdout.on('data', (d: Buffer) => {
      parts.push(d)
      if (parts.length % 20 === 1) {
        slow.stdout.pause()
        setTimeout(() => slow.stdout.resume(), 20)
      }
    })
    expect(await new Promise<number | null>((resolve) => slow.on('close', resolve))).toBe(0)
    expect(Buffer.concat(parts).equals(whole.stdout)).toBe(true)
  })

  it('decodes on the built helper thread event for event as on one thread', async () => {
    built()
    const make = nodeOrderThread(pathToFileURL(join(process.cwd(), 'out/cli/lifeline.js')), 2)
    const heard = new Set<string>()
    const orderThread = () => {
      const port = make()
      expect(port, 'out/cli/order-worker.js is found').not.toBeNull()
      return { ...port!, listen: (h: (m: PipeMessage) => void) => port!.listen((m) => (heard.add(m.k), h(m))) }
    }
    for (const trace of ['traces/timeout-leak/timeout-leak.go126.trace', 'traces/annotated/annotated.go123.trace']) {
      const bytes = new Uint8Array(readFileSync(trace))
      heard.clear()
      const [one, two] = await Promise.all([ourDump(bytes), ourDump(bytes, { orderThread })])
      expect([...heard].sort()).toEqual(['ack', 'end', 'events', 'ready'])
      expect(two.error).toBe(one.error)
      expect(two.stdout === one.stdout, `${trace}: the two-thread dump differs`).toBe(true)
    }
  }, 120_000)
})
