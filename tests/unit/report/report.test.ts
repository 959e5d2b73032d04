// The report is self-contained and safe: no external reference of any kind, and every string from the trace shown
// as text. The hostile corpus program puts markup and script into task, region and log names.
import { createReadStream, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeLeaks } from '../../../src-shared/analysis/leaks'
import { compareGroups } from '../../../src-shared/compare/match'
import { loadModel } from '../../../src-shared/model/load'
import { esc } from '../../../src-shared/report/escape'
import { renderReport } from '../../../src-shared/report/report'

const root = join(import.meta.dirname, '../../../traces')
const load = (p: string) => loadModel(createReadStream(join(root, p)) as AsyncIterable<Uint8Array>)

describe('leak report', () => {
  it('shows hostile task, region and log strings as text, never as markup', async () => {
    const model = await load('hostile/hostile.go126.trace')
    const text = renderReport({ name: '<b>hostile</b>.trace', model, analysis: analyzeLeaks(model) })
    // The only <script>/<img> text anywhere is the escaped one.
    expect(text).not.toMatch(/<script/i)
    expect(text).not.toMatch(/<img/i)
    expect(text).not.toMatch(/<[^>]*onerror=/i)
    expect(text).toContain('&lt;script&gt;alert(&quot;task&quot;)&lt;/script&gt;')
    expect(text).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;')
    expect(text).toContain('&lt;b&gt;hostile&lt;/b&gt;.trace')
    expect(text).not.toMatch(/[\u2028\u2029]/)
    // Every task name from the trace appears, escaped.
    for (const t of model.tasks) expect(text).toContain(esc(t.name))
  })

  it('is one file with no external reference, lists every leak group and folds benign ones away', async () => {
    const model = await load('deadlock-cond/deadlock-cond.go126.trace')
    const analysis = analyzeLeaks(model)
    const text = renderReport({ name: 'deadlock-cond.go126.trace', model, analysis })
    expect(text).not.toMatch(/\b(src|href)=["']?(https?:|\/\/|file:)/i)
    expect(text).not.toMatch(/@import|url\(/i)
    expect(text).toContain("default-src 'none'")
    for (const g of analysis.groups.filter((g) => g.verdict === 'leak')) expect(text).toContain(`data-key="${g.key}"`)
    const benign = analysis.groups.filter((g) => g.verdict === 'benign').length
    expect(benign).toBeGreaterThan(0)
    expect(text).toContain(`${benign} benign group`)
    expect(text.length).toBeLessThan(200_000)
    // Go's block reason follows the category where it says more, as in `lifeline leaks`.
    expect(text).toContain('<span class="reason">mutex: sync</span>')
    expect(text).toContain('<span class="reason">cond: sync.(*Cond).Wait</span>')
  })

  it('shows a goroutine that never blocks as running, with its share of a CPU', async () => {
    const model = await load('spin-forever/spin-forever.go126.trace')
    const text = renderReport({ name: 'spin-forever.go126.trace', model, analysis: analyzeLeaks(model) })
    expect(text).toMatch(/<dt>Running in<\/dt><dd><code[^>]*>main\.waitForStop<\/code>/)
    expect(text).toMatch(/<dt>On a CPU<\/dt><dd>(9\d|100)% of the time since created/)
  })

  it('does not repeat a block reason that only restates the category', async () => {
    const model = await load('timeout-leak/timeout-leak.go126.trace')
    const text = renderReport({ name: 'timeout-leak.go126.trace', model, analysis: analyzeLeaks(model) })
    expect(text).toMatch(/<span class="reason">chan-(send|receive)<\/span>/)
    expect(text).not.toMatch(/chan-(send|receive): chan (send|receive)/)
  })

  it('shows the comparison with a baseline: new, grown and fixed groups with counts on each side', async () => {
    const before = await load('timeout-leak/timeout-leak.go125.trace')
    const after = await load('deadlock-cond/deadlock-cond.go126.trace')
    const a = analyzeLeaks(after)
    const changes = compareGroups(a.groups, after.info.durationNs, analyzeLeaks(before).groups, before.info.durationNs)
    const text = renderReport({ name: 'after', model: after, analysis: a, comparison: { baselineName: 'before', baselineFormat: before.info.format, baselineDurationNs: before.info.durationNs, changes } })
    expect(text).toContain('Compared with before')
    expect(text).toMatch(/<span class="status new">new<\/span>/)
    expect(text).toMatch(/<span class="status fixed">fixed<\/span><\/td><td>leak<\/td><td><code class="fn">main\.query<\/code>/)
  })
})
