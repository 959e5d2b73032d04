// The corpus' ground truth, checked against Go's own parser: for every recorded trace, each `// expect:` marker's
// `go` statement left exactly `count` goroutines alive at the end with the expected last block reason, and the
// `expect: none` lines left none. So the manifest cannot drift from what the traces really show.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { goParsed, goroutineFates, parseEvents, referenceGo, type GoroutineFate, type ParsedFrame } from './go-parsed'

interface Expectation {
  file: string
  line: number
  kind: 'leak' | 'benign' | 'none'
  verdict: string | null
  /** The leak pattern the analysis must name (null: none, or not checked). */
  pattern: string | null
  count: number
  reason: string | null
  preexisting: boolean
  /** Started by a goroutine that a library call on this line started (a few generations up at most). */
  viaAncestor?: boolean
  /** Only the goroutines whose entry function this is (a library starts several from one call). */
  entry?: string
}
interface Entry {
  name: string
  source: string
  expect: Expectation[]
  traces: { path: string; go: string; header: string; gomaxprocs: number }[]
}

const root = join(import.meta.dirname, '../../../traces')
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { scenarios: Entry[] }
const go = referenceGo()

/** The creation site: the first frame (innermost) in the scenario's own source file. */
function siteLine(stack: ParsedFrame[], source: string): number | null {
  const frame = stack.find((f) => f.file.endsWith('/traces/' + source) || f.file.endsWith('/' + source))
  return frame ? frame.line : null
}

function inSource(stack: ParsedFrame[], source: string): boolean {
  return siteLine(stack, source) !== null
}

describe.skipIf(!go.ok)('trace corpus ground truth (go tool trace -d=parsed)', () => {
  if (!go.ok) return
  it('has every header version and both GOMAXPROCS settings', () => {
    const headers = new Set(manifest.scenarios.flatMap((s) => s.traces.map((t) => t.header)))
    for (const v of ['19', '21', '22', '23', '25', '26']) expect(headers).toContain(`go 1.${v} trace`)
    const procs = new Set(manifest.scenarios.flatMap((s) => s.traces.map((t) => t.gomaxprocs)))
    expect([...procs].sort()).toEqual([1, 4])
  })

  for (const entry of manifest.scenarios) {
    describe(entry.name, () => {
      for (const trace of entry.traces) {
        it(`${trace.path}`, async () => {
          const out = await goParsed(join(root, trace.path))
          expect(out.code, out.stderr).toBe(0)
          const fates = [...goroutineFates(parseEvents(out.stdout)).values()]
          const alive = fates.filter((f) => !f.ended)
          for (const e of entry.expect) {
            const where = `${e.file}:${e.line}`
            if (e.preexisting) {
              const stuck = alive.filter((f) => f.creation === null && inSource(f.statusStack, entry.source))
              // Only goroutines that never moved carry a status stack (GoStatusStack, Go 1.23+); older formats
              // show pre-existing goroutines without any stack, so there the count is a lower bound on stackless ones.
              if (stuck.length > 0 || Number(trace.go.split('.')[1]) >= 23) expect(stuck.length, where).toBe(e.count)
              else expect(alive.filter((f) => f.creation === null).length, where).toBeGreaterThanOrEqual(e.count)
              continue
            }
            const byId = new Map(fates.map((f) => [f.id, f]))
            const ancestors = (f: GoroutineFate) => {
              const out: GoroutineFate[] = []
              for (let a = f.parent === null ? undefined : byId.get(f.parent); a && out.length < 4; a = a.parent === null ? undefined : byId.get(a.parent)) out.push(a)
              return out
            }
            const fromSite = (f: GoroutineFate) =>
              f.creation !== null &&
              (e.entry === undefined || f.start[0]?.func === e.entry) &&
              (siteLine(f.creation, entry.source) === e.line ||
                (e.viaAncestor === true && !inSource(f.creation, entry.source) && ancestors(f).some((a) => a.creation !== null && siteLine(a.creation, entry.source) === e.line)))
            const survivors = alive.filter(fromSite)
            expect(survivors.length, `${where}: goroutines still alive`).toBe(e.count)
            if (e.reason !== null) {
              expect(survivors.map((f) => f.lastBlockReason), `${where}: last block reasons`).toEqual(survivors.map(() => e.reason))
              // Goroutines that keep waking (tickers, retry loops: suspects, or leaks once they outlived their test) may
              // be between waits when the trace ends.
              const loops = e.verdict === 'suspect' || e.pattern === 'ticker-never-stopped' || e.pattern === 'endless-retry'
              if (!loops) expect(survivors.every((f) => f.state === 'Waiting'), `${where}: all waiting`).toBe(true)
            }
            if (e.kind === 'none') expect(fates.some(fromSite), `${where}: the go statement ran`).toBe(true)
          }
        })
      }
    })
  }
})

if (!go.ok) describe('trace corpus ground truth', () => it.skip(go.reason, () => undefined))
