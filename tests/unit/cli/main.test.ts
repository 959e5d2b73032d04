import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { main } from '../../../src-cli/main'

function run(argv: string[]) {
  let out = ''
  let err = ''
  const code = main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) })
  return code.then((c) => ({ code: c, out, err }))
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
    if (!existsSync('out/cli/lifeline.js')) execFileSync('npm', ['run', 'build:cli'], { stdio: 'ignore' })
    const r = spawnSync(process.execPath, ['bin/lifeline.js', '--help'], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^lifeline \d+\.\d+\.\d+/)
    const bad = spawnSync(process.execPath, ['bin/lifeline.js', 'nope'], { encoding: 'utf8' })
    expect(bad.status).toBe(2)
  })
})
