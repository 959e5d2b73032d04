// The CLI end to end, in-process: info, goroutines, leaks (JSON shape, exit codes, baselines, suppressions), report.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../../src-cli/main'

async function run(...argv: string[]) {
  let out = ''
  let err = ''
  const code = await main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) })
  return { code, out, err }
}
const T = (p: string) => join('traces', p)
const tmp = mkdtempSync(join(tmpdir(), 'lifeline-cli-'))

describe('lifeline info / goroutines', () => {
  it('describes a trace', async () => {
    const r = await run('info', T('multigen/multigen.go126.trace'), '--json')
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out)
    expect(j).toMatchObject({ format: 'go 1.26', legacy: false, error: null })
    expect(j.generations).toBeGreaterThan(3)
    expect(j.events).toBeGreaterThan(1000)
    expect(j.procs).toBe(4)
    // The decode (what compares with Go's reader) and the model's build are timed apart.
    expect(j.decodeMs).toBeGreaterThan(0)
    expect(j.modelMs).toBeGreaterThan(0)
    const text = (await run('info', T('multigen/multigen.go126.trace'))).out
    expect(text).toMatch(/^decode time +[\d.]+ ms on [12] threads?$/m)
    expect(text).toMatch(/^model build +[\d.]+ ms/m)
    // Ps idle the whole trace count too: n-senders ran with GOMAXPROCS 4 and used two of them.
    expect(JSON.parse((await run('info', T('n-senders/n-senders.go126.trace'), '--json')).out).procs).toBe(4)
  })
  it('lists goroutines with creation site, entry, parent and fate', async () => {
    const r = await run('goroutines', T('timeout-leak/timeout-leak.go126.trace'), '--json')
    const rows = JSON.parse(r.out) as { id: number; createdNs: number | null; endedNs: number | null; creationSite: { func: string; line: number } | null; entry: { func: string } | null; parent: number | null; finalState: string; finalReason: string; wakeups: number }[]
    const leaked = rows.filter((g) => g.creationSite?.func === 'main.query' && g.endedNs === null)
    expect(leaked).toHaveLength(8)
    for (const g of leaked) expect(g).toMatchObject({ creationSite: { line: 21 }, entry: { func: 'main.query.func1' }, finalState: 'Waiting', finalReason: 'chan send' })
    expect(rows.filter((g) => g.createdNs === null).length).toBeGreaterThan(0)
    // The text form: one line per goroutine, columns apart (the longest reason does not run into the next column).
    const text = (await run('goroutines', T('http-handler/http-handler.go126.trace'))).out.trimEnd().split('\n')
    expect(text[0]).toMatch(/^\s+id\s+state\s+reason\s+wake-ups\s+ended\s+entry \/ created at$/)
    expect(text.find((l) => l.includes('system goroutine wait'))).toMatch(/system goroutine wait {2,}\d+ {2}never/)
    expect(text.find((l) => /^\s+1 /.test(l))).toMatch(/Running\s+\d+ {2}never\s+main\.main /)
  })
  it('exits 2 with one line for a missing or damaged file', async () => {
    const missing = await run('info', T('nope.trace'))
    expect(missing.code).toBe(2)
    expect(missing.err.trim().split('\n')).toHaveLength(1)
    const bad = join(tmp, 'bad.trace')
    writeFileSync(bad, 'go 1.99 trace\0\0\0xxxx')
    const r = await run('leaks', bad)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/unsupported trace version go 1\.99/)
  })
})

describe('lifeline leaks', () => {
  it('prints the JSON shape of the issue, one group per leaking go statement', async () => {
    const r = await run('leaks', T('timeout-leak/timeout-leak.go126.trace'), '--json')
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out)
    const leaks = j.groups.filter((g: { verdict: string }) => g.verdict === 'leak')
    expect(leaks).toHaveLength(1)
    expect(Object.keys(leaks[0]).sort()).toEqual(expect.arrayContaining(['key', 'verdict', 'confidence', 'category', 'reason', 'pattern', 'hint', 'count', 'created', 'ended', 'creationSite', 'entry', 'blockSite', 'preexisting', 'blockedNs', 'wakeups', 'goroutines', 'stacks']))
    expect(leaks[0]).toMatchObject({ count: 8, category: 'chan-send', pattern: 'timeout-leak', preexisting: false, creationSite: { func: 'main.query', line: 21 } })
    expect(j.trace.format).toBe('go 1.26')
  })
  it('a damaged trace: input error when it stops before any goroutine, a warning and the part read when it stops later', async () => {
    const whole = readFileSync(T('timeout-leak/timeout-leak.go126.trace'))
    const cut = join(tmp, 'cut-early.trace')
    writeFileSync(cut, whole.subarray(0, whole.length - 80))
    const early = await run('leaks', cut, '--fail-on', 'any')
    expect(early.code).toBe(2)
    expect(early.err).toMatch(/cut-early\.trace: .*truncated at byte \d+: kept 0 of 1 generations$/m)
    expect(early.err).not.toMatch(/at byte (\d+).*at byte \1/)
    const multi = readFileSync(T('multigen/multigen.go126.trace'))
    const late = join(tmp, 'cut-late.trace')
    writeFileSync(late, multi.subarray(0, multi.length - 2000))
    const r = await run('leaks', late, '--json')
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/^lifeline: warning: .*cut-late\.trace: .*truncated at byte \d+: kept \d+ of \d+ generations; what follows covers the part read before it\n$/)
    const j = JSON.parse(r.out)
    expect(j.trace.error).toMatch(/truncated/)
    expect(j.trace.generations).toBeGreaterThan(10)
    // One sequence number changed (a GoStart's, in generation 15): no thread's next event can happen. Said in words,
    // with Go's phrase, then each thread's next event as Go prints it.
    const broken = join(tmp, 'broken-order.trace')
    const bytes = Buffer.from(multi)
    bytes[49502] ^= 0x5a
    writeFileSync(broken, bytes)
    const b = await run('leaks', broken)
    expect(b.code).toBe(0)
    expect(b.err).toMatch(/^lifeline: warning: .*broken-order\.trace: the events of generation 15 cannot be put in order: no thread's next event can happen after what came before \(Go's reader: "broken trace: failed to advance"\) \(at byte \d+\); what follows covers the part read before it\n  each thread's next event:\n(  M \d+ \[\w+ time=\d+( \w+=-?\d+)*\]\n){2,}$/)
  })
  it('a trace with nothing after its header is an input error, never a trace with no leaks', async () => {
    for (const v of ['go126', 'go122', 'go121']) {
      const header = join(tmp, `header-only.${v}.trace`)
      writeFileSync(header, readFileSync(T(`timeout-leak/timeout-leak.${v}.trace`)).subarray(0, 16))
      for (const args of [['leaks', header, '--fail-on', 'any'], ['report', header, '-o', join(tmp, 'h.html')], ['goroutines', header]]) {
        const r = await run(...args)
        expect(r.code, `${v} ${args[0]}`).toBe(2)
        expect(r.err).toMatch(/header-only\.go12\d\.trace: .*(no goroutines|frequency|EvFrequency)/)
      }
    }
  })
  it('--fail-on any exits 1 only when there is a leak', async () => {
    expect((await run('leaks', T('timeout-leak/timeout-leak.go126.trace'), '--fail-on', 'any')).code).toBe(1)
    expect((await run('leaks', T('control-fanout/control-fanout.go126.trace'), '--fail-on', 'any')).code).toBe(0)
  })
  it('compares with a baseline: new, grown, shrunk, unchanged, fixed; --fail-on new gates on new or grown', async () => {
    const status = async (current: string, baseline: string) => {
      const r = await run('leaks', T(current), '--baseline', T(baseline), '--json', '--fail-on', 'new')
      const j = JSON.parse(r.out)
      const g = j.groups.find((x: { creationSite: { func: string } | null }) => x.creationSite?.func === 'main.query')
      const fixed = (j.fixed as { creationSite: { func: string } | null }[]).some((x) => x.creationSite?.func === 'main.query')
      return { code: r.code, status: g?.status ?? (fixed ? 'fixed' : 'absent'), count: g?.count, baselineCount: g?.baselineCount }
    }
    expect(await status('compare/timeout-leak.x1.go126.trace', 'compare/timeout-leak.fixed.go126.trace')).toEqual({ code: 1, status: 'new', count: 8, baselineCount: 0 })
    expect(await status('compare/timeout-leak.x3.go126.trace', 'compare/timeout-leak.x1.go126.trace')).toEqual({ code: 1, status: 'grown', count: 24, baselineCount: 8 })
    expect(await status('compare/timeout-leak.x1.go126.trace', 'compare/timeout-leak.x3.go126.trace')).toEqual({ code: 0, status: 'shrunk', count: 8, baselineCount: 24 })
    expect(await status('compare/timeout-leak.fixed.go126.trace', 'compare/timeout-leak.x1.go126.trace')).toMatchObject({ code: 0, status: 'fixed' })
    // Across Go versions and formats (a Go 1.22 trace as the baseline).
    expect(await status('compare/timeout-leak.x1.go126.trace', 'timeout-leak/timeout-leak.go122.trace')).toEqual({ code: 0, status: 'unchanged', count: 8, baselineCount: 8 })
  })
  it('says why the gate failed: which groups, in the JSON and on stderr', async () => {
    const r = await run('leaks', T('compare/timeout-leak.x3.go126.trace'), '--baseline', T('compare/timeout-leak.x1.go126.trace'), '--json', '--fail-on', 'new')
    const j = JSON.parse(r.out)
    const grown = j.groups.find((g: { status: string }) => g.status === 'grown')
    expect(r.code).toBe(1)
    expect(j.gate).toEqual({ failOn: 'new', failed: true, keys: [grown.key] })
    expect(r.err).toBe(`lifeline: --fail-on new: 1 leak group new or grown (${grown.key})\n`)
    // Without a baseline, the comparison's fields are there, and null.
    const plain = JSON.parse((await run('leaks', T('compare/timeout-leak.x1.go126.trace'), '--json')).out)
    expect(plain.gate).toBeNull()
    expect(plain.fixed).toBeNull()
    expect(plain.groups[0].status).toBeNull()
  })
  it('applies --min-count after matching: a group that shrank below it is neither fixed nor new the other way', async () => {
    const out = async (current: string, baseline: string) => JSON.parse((await run('leaks', T(current), '--baseline', T(baseline), '--json', '--min-count', '10')).out)
    // 8 now, 24 before: shrunk, and hidden by --min-count; not "fixed".
    const shrunk = await out('compare/timeout-leak.x1.go126.trace', 'compare/timeout-leak.x3.go126.trace')
    expect(shrunk.fixed).toEqual([])
    expect(shrunk.belowMinCount).toBeGreaterThan(0)
    // 24 now, 8 before: grown, not new.
    const grown = await out('compare/timeout-leak.x3.go126.trace', 'compare/timeout-leak.x1.go126.trace')
    expect(grown.groups.filter((g: { verdict: string }) => g.verdict === 'leak').map((g: { status: string; count: number }) => [g.status, g.count])).toEqual([['grown', 24]])
  })
  it('refuses to gate on a baseline read only in part (exit 2), and only warns without --fail-on new', async () => {
    const cut = join(tmp, 'base-cut.trace')
    const whole = readFileSync(T('multigen/multigen.go126.trace'))
    writeFileSync(cut, whole.subarray(0, 40_000))
    const gate = await run('leaks', T('multigen/multigen.go126.trace'), '--baseline', cut, '--fail-on', 'new')
    expect(gate.code).toBe(2)
    expect(gate.err).toMatch(/the baseline was read only in part \(.*truncated at byte 40000.*\): a gate against it could call unchanged leaks new or grown/)
    const plain = await run('leaks', T('multigen/multigen.go126.trace'), '--baseline', cut)
    expect(plain.code).toBe(0)
    expect(plain.err).toContain('truncated at byte 40000')
  })
  it('refuses a trace damaged before its first generation ended (its fragment would make findings up)', async () => {
    // Eight bytes flipped in the first (and only) generation: its events were being ordered when the damage was found.
    const flipped = join(tmp, 'first-gen-flipped.trace')
    const bytes = new Uint8Array(readFileSync(T('timeout-leak/timeout-leak.go126.trace')))
    for (let i = 1600; i < 1608; i++) bytes[i]! ^= 0xff
    writeFileSync(flipped, bytes)
    const r = await run('leaks', flipped)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/damaged before its first generation ended, so no part of it can be analysed: invalid status for goroutine 4: 0 \(at byte 1596\)/)
  })
  it('suppresses by creator, by blocker and from a .lifelineignore file', async () => {
    const leaksOf = async (...extra: string[]) => JSON.parse((await run('leaks', T('deadlock-cond/deadlock-cond.go126.trace'), '--json', ...extra)).out).groups.filter((g: { verdict: string }) => g.verdict === 'leak').length
    expect(await leaksOf()).toBe(3)
    expect(await leaksOf('--ignore-blocked-in', 'main.transfer')).toBe(1)
    expect(await leaksOf('--ignore-created-by', 'main.main.func1')).toBe(0)
    // Created by: the function with the go statement, not any frame below it (main.main is below every one here).
    expect(await leaksOf('--ignore-created-by', 'main.main')).toBe(3)
    const hidden = JSON.parse((await run('leaks', T('deadlock-cond/deadlock-cond.go126.trace'), '--json', '--ignore-created-by', 'main.main.func1')).out)
    expect(hidden.suppressed).toBe(3)
    // `main.*` hides the groups created in package main, not the main goroutine (whose entry is main.main).
    const mainGoroutine = async (...extra: string[]) =>
      JSON.parse((await run('leaks', T('deadlock-cond/deadlock-cond.go126.trace'), '--json', '--all', ...extra)).out).groups.filter((g: { goroutines: number[] }) => g.goroutines.includes(1)).length
    expect(await mainGoroutine()).toBe(1)
    expect(await mainGoroutine('--ignore-created-by', 'main.*')).toBe(1)
    const ignore = join(tmp, '.lifelineignore')
    writeFileSync(ignore, '# known\nblocked-in main.(*Queue).Pop\n')
    expect(await leaksOf('--ignore-file', ignore)).toBe(2)
    // A rule that hides nothing (misspelt) is said on stderr, and listed in the JSON.
    const typo = await run('leaks', T('deadlock-cond/deadlock-cond.go126.trace'), '--json', '--ignore-file', ignore, '--ignore-created-by', 'main.trasnfer')
    expect(typo.err).toBe(`lifeline: warning: suppression "created-by main.trasnfer" hides nothing in ${T('deadlock-cond/deadlock-cond.go126.trace')} (misspelt, or from another build?)\n`)
    expect(JSON.parse(typo.out).unusedSuppressions).toEqual(['created-by main.trasnfer'])
    // A rule that hides only a baseline group does something (it decides what shows as fixed): no warning.
    const fixedOnly = await run('leaks', T('compare/timeout-leak.fixed.go126.trace'), '--baseline', T('compare/timeout-leak.x1.go126.trace'), '--ignore-created-by', 'main.query')
    expect(fixedOnly.err).toBe('')
    // Standard input cannot be both traces.
    const twice = await run('leaks', '-', '--baseline', '-')
    expect(twice.code).toBe(2)
    expect(twice.err).toMatch(/standard input \("-"\) can be read only once/)
    writeFileSync(ignore, 'ignore everything\n')
    const bad = await run('leaks', T('deadlock-cond/deadlock-cond.go126.trace'), '--ignore-file', ignore)
    expect(bad.code).toBe(2)
    expect(bad.err).toContain(`${ignore} line 1`)
    rmSync(ignore)
  })
  it('rejects bad options with exit 2', async () => {
    expect((await run('leaks', T('deadlock-cond/deadlock-cond.go126.trace'), '--fail-on', 'sometimes')).code).toBe(2)
    expect((await run('leaks', T('deadlock-cond/deadlock-cond.go126.trace'), '--fail-on', 'new')).code).toBe(2)
    const bogus = await run('leaks', T('deadlock-cond/deadlock-cond.go126.trace'), '--bogus')
    expect(bogus.code).toBe(2)
    expect(bogus.err).toBe('lifeline leaks: unknown option --bogus; see --help\n')
    expect((await run('leaks', T('deadlock-cond/deadlock-cond.go126.trace'), '--min-count', '-3')).err).toMatch(/--min-count needs a value/)
    // A leak profile that is not one is refused; one from another process is used, with a warning.
    const notProfile = await run('leaks', T('deadlock-cond/deadlock-cond.go126.trace'), '--leak-profile', 'README.md')
    expect(notProfile.code).toBe(2)
    expect(notProfile.err).toMatch(/README\.md: not a goroutine profile/)
    const other = await run('leaks', T('deadlock-cond/deadlock-cond.go126.trace'), '--leak-profile', T('leakprofile/leakprofile.goroutineleak.txt'))
    expect(other.err).toMatch(/warning: .*none of the \d+ goroutines it marks leaked is in/)
  })
})

describe('lifeline report', () => {
  it('writes one HTML file, comparing before -> after with two traces', async () => {
    const out = join(tmp, 'r.html')
    const r = await run('report', T('compare/timeout-leak.x1.go126.trace'), T('compare/timeout-leak.x3.go126.trace'), '-o', out)
    expect(r.code).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(text).toContain('Compared with timeout-leak.x1.go126.trace')
    expect(text).toMatch(/<span class="status grown">grown, was 8<\/span>/)
    // Suppressions, as `leaks` takes them: the report shows what the gate counts.
    const quiet = await run('report', T('compare/timeout-leak.x3.go126.trace'), '-o', join(tmp, 'quiet.html'), '--ignore-created-by', 'main.query')
    expect(quiet.code).toBe(0)
    expect(quiet.err).toMatch(/: 0 leak groups\n$/)
    // Without -o: <trace name>.leaks.html in the current folder.
    const cwd = process.cwd()
    process.chdir(tmp)
    try {
      const d = await run('report', join(cwd, T('compare/timeout-leak.x1.go126.trace')))
      expect(d.code).toBe(0)
      expect(d.err).toMatch(/^wrote timeout-leak\.x1\.go126\.leaks\.html \(/)
      expect(readFileSync(join(tmp, 'timeout-leak.x1.go126.leaks.html'), 'utf8')).toContain('<!doctype html>')
    } finally {
      process.chdir(cwd)
    }
  })
  it('says in the report when the baseline could be read only in part', async () => {
    const cut = join(tmp, 'cut.trace')
    writeFileSync(cut, readFileSync(T('multigen/multigen.go126.trace')).subarray(0, 40_000))
    const out = join(tmp, 'cut.html')
    const r = await run('report', cut, T('multigen/multigen.go126.trace'), '-o', out)
    expect(r.code).toBe(0)
    expect(r.err).toContain('truncated at byte 40000')
    expect(readFileSync(out, 'utf8')).toMatch(/<p class="warn">The baseline is damaged: [^<]*truncated at byte 40000/)
  })
})
