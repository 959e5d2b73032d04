// The leak analysis against the corpus' ground truth: every expected leak is one group with the right verdict,
// creation line, category and count; controls and `expect: none` lines yield no leak; runtime goroutines are never
// leaks. Runs our own decoder on every current-format trace of every scenario.
import { createReadStream, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeLeaks, type LeakGroup } from '../../../src-shared/analysis/leaks'
import { loadModel } from '../../../src-shared/model/load'

interface Expectation {
  file: string
  line: number
  kind: 'leak' | 'benign' | 'none'
  count: number
  category: string | null
  verdict: string | null
  /** The leak pattern the report should name; 'none': it must name none; null: not checked. */
  pattern: string | null
  preexisting: boolean
  /** Only the group of goroutines with this entry function (a library starts several from one call). */
  entry?: string
}
interface Entry {
  name: string
  kind: string
  source: string
  expect: Expectation[]
  traces: { path: string; header: string }[]
}

const root = join(import.meta.dirname, '../../../traces')
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { scenarios: Entry[] }
const LEGACY = new Set<string>()

const fromLine = (g: LeakGroup, source: string, line: number) =>
  g.creationSite !== null && g.creationSite.file.endsWith('/' + source) && g.creationSite.line === line

describe('leak analysis on the trace corpus', () => {
  for (const entry of manifest.scenarios) {
    for (const trace of entry.traces.filter((t) => !LEGACY.has(t.header))) {
      it(`${trace.path}`, async () => {
        const model = await loadModel(createReadStream(join(root, trace.path)) as AsyncIterable<Uint8Array>)
        const { groups } = analyzeLeaks(model)
        for (const e of entry.expect) {
          const where = `${e.file}:${e.line}`
          if (e.preexisting) {
            if (['go 1.19 trace', 'go 1.21 trace', 'go 1.22 trace'].includes(trace.header)) {
              // Go 1.22 and the legacy formats give no stack for goroutines that never moved: they cannot be
              // attributed, only counted among the stackless ones, which must not be called leaks.
              const stackless = groups.filter((g) => g.preexisting && g.stacks.block.length === 0)
              expect(stackless.reduce((s, g) => s + g.count, 0), where).toBeGreaterThanOrEqual(e.count)
              for (const g of stackless) expect(g.verdict, where).not.toBe('leak')
              continue
            }
            const pre = groups.filter((g) => g.preexisting && g.verdict !== 'benign' && g.entry?.file.endsWith('/' + entry.source))
            expect(pre.reduce((s, g) => s + g.count, 0), `${where}: goroutines from before the trace`).toBe(e.count)
            for (const g of pre) expect(g.verdict, where).toBe(e.verdict)
            continue
          }
          // (A marker naming an entry function is about that one of the goroutines a library started from the line.)
          const mine = groups.filter((g) => fromLine(g, entry.source, e.line) && (e.entry === undefined || g.entry?.func === e.entry))
          if (e.kind === 'none') {
            expect(mine.map((g) => g.reason), `${where}: nothing should be left`).toEqual([])
          } else if (e.kind === 'benign') {
            expect(mine.filter((g) => g.verdict === 'leak').map((g) => g.reason), `${where}: not a leak`).toEqual([])
          } else {
            expect(mine.map((g) => `${g.verdict} ${g.category} ${g.count}`), where).toEqual([`${e.verdict} ${e.category} ${e.count}`])
            // The pattern named where the source names one; `pattern=none` where the trace has no evidence of any
            // (a pattern is named only on evidence, never guessed from the shape of a leak).
            if (e.pattern) expect(mine[0]!.pattern, `${where}: pattern`).toBe(e.pattern === 'none' ? null : e.pattern)
          }
        }
        if (entry.kind === 'control') expect(groups.filter((g) => g.verdict === 'leak').map((g) => g.reason)).toEqual([])
        for (const g of groups) {
          if (g.entry && /^runtime[./]/.test(g.entry.func)) expect(g.verdict, `runtime goroutine ${g.entry.func}`).toBe('benign')
        }
        // Every leak group is one the manifest expects.
        const expected = new Set(entry.expect.filter((e) => e.kind === 'leak').map((e) => e.line))
        for (const g of groups.filter((g) => g.verdict === 'leak' && !g.preexisting)) {
          expect(g.creationSite !== null && g.creationSite.file.endsWith('/' + entry.source) && expected.has(g.creationSite.line), `unexpected leak: ${g.reason}`).toBe(true)
        }
      })
    }
  }
})
