import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../../traces')

describe('trace corpus manifest', () => {
  it('is exactly what the // expect: markers in the sources say, and lists every recorded trace', () => {
    const r = spawnSync(process.execPath, [join(root, 'manifest.mjs'), '--check'], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })
  it('covers the fifteen leak patterns and the five controls, each with expectations', () => {
    const m = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as {
      scenarios: { name: string; kind: string; expect: { kind: string; pattern: string | null }[] }[]
    }
    const scenarios = m.scenarios.filter((s) => s.kind === 'scenario')
    const controls = m.scenarios.filter((s) => s.kind === 'control')
    expect(scenarios.length).toBeGreaterThanOrEqual(15)
    expect(controls.length).toBeGreaterThanOrEqual(5)
    for (const s of scenarios) expect(s.expect.some((e) => e.kind === 'leak'), s.name).toBe(true)
    for (const c of controls) expect(c.expect.every((e) => e.kind !== 'leak'), c.name).toBe(true)
    const patterns = new Set(scenarios.flatMap((s) => s.expect.map((e) => e.pattern)))
    for (const p of ['timeout-leak', 'n-senders-one-receiver', 'range-unclosed-channel', 'context-never-cancelled',
      'waitgroup-misuse', 'lock-order-deadlock', 'lock-never-released', 'cond-never-signalled', 'ticker-never-stopped', 'endless-retry',
      'select-no-way-out', 'other-end-exited', 'wait-on-stuck'])
      expect(patterns, p).toContain(p)
  })
  it('keeps every committed trace under 1 MB', () => {
    const big: string[] = []
    for (const dir of readdirSync(root)) {
      const full = join(root, dir)
      if (!statSync(full).isDirectory() || dir === 'big') continue
      for (const f of readdirSync(full)) if (f.endsWith('.trace') && statSync(join(full, f)).size > 1 << 20) big.push(`${dir}/${f}`)
    }
    expect(big).toEqual([])
  })
  it('records its own markers with a parser that rejects markers off a go statement', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e',
      `import { parseMarker } from ${JSON.stringify(join(root, 'manifest.mjs'))}; console.log(JSON.stringify(parseMarker('go f() // expect: leak count=3 reason="chan send" category=chan-send verdict=leak')))`],
    { encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ kind: 'leak', count: '3', reason: 'chan send', category: 'chan-send', verdict: 'leak' })
  })
})
