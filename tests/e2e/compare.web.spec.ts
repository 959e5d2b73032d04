// Compare two traces in the app: pick (or drop) two files, see the compare view with both names, durations and Go
// versions, and leak groups matched across them with the right statuses.
import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'

test('two traces of the same program, 1x and 3x the leaking calls: the timeout leak has grown', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('compare-input').setInputFiles(['traces/compare/timeout-leak.x1.go126.trace', 'traces/compare/timeout-leak.x3.go126.trace'])
  const view = page.getByTestId('compare-view')
  await expect(view).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('compare-before')).toContainText('timeout-leak.x1.go126.trace')
  await expect(page.getByTestId('compare-after')).toContainText('timeout-leak.x3.go126.trace')
  await expect(page.getByTestId('compare-after')).toContainText('go 1.26')
  const grown = page.locator('[data-testid="compare-row"][data-status="grown"]')
  await expect(grown).toHaveCount(1)
  await expect(grown).toContainText('main.query')
  await expect(grown.locator('td.num').nth(0)).toHaveText('8')
  await expect(grown.locator('td.num').nth(1)).toHaveText('24')
  // Time per state by creation site, both traces side by side: the leaking site waits three times as long.
  const site = page.getByTestId('compare-site').filter({ hasText: 'main.query (timeout-leak/main.go)' })
  await expect(site).toHaveCount(1)
  const waiting = site.locator('td[data-state="waiting"]')
  const before = Number(await waiting.getAttribute('data-before'))
  const after = Number(await waiting.getAttribute('data-after'))
  expect(before).toBeGreaterThan(0)
  expect(after).toBeGreaterThan(2 * before)
  // The two timelines, one above the other, zoom together on a common relative axis.
  const timelines = view.getByTestId('timeline')
  await expect(timelines).toHaveCount(2, { timeout: 30_000 })
  const ends = async () => Promise.all([0, 1].map(async (i) => Number(await timelines.nth(i).getAttribute('data-view-end'))))
  await expect.poll(async () => (await ends())[0]).toBeGreaterThan(1)
  const [full] = await ends()
  await timelines.nth(0).focus()
  await page.keyboard.press('w')
  await page.keyboard.press('w')
  await expect.poll(async () => (await ends())[0]).toBeLessThan(full!)
  await expect.poll(async () => { const [a, b] = await ends(); return Math.abs(a! - b!) }).toBeLessThan(1)
  await page.screenshot({ path: test.info().outputPath('compare.png'), fullPage: true })
})

test('dropping two files compares them across Go versions: the fixed build shows the leak as fixed', async ({ page }) => {
  await page.goto('/')
  const files = [
    { name: 'timeout-leak.go122.trace', path: 'traces/timeout-leak/timeout-leak.go122.trace' },
    { name: 'timeout-leak.fixed.go126.trace', path: 'traces/compare/timeout-leak.fixed.go126.trace' },
  ]
  const transfer = await page.evaluateHandle((list: { name: string; bytes: number[] }[]) => {
    const dt = new DataTransfer()
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name))
    return dt
  }, files.map((f) => ({ name: f.name, bytes: [...readFileSync(f.path)] })))
  await page.locator('main').dispatchEvent('drop', { dataTransfer: transfer })
  await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('compare-before')).toContainText('go 1.22')
  // (Go 1.22 records no stack for goroutines parked since before the trace: those suspects cannot be matched.)
  const fixed = page.locator('[data-testid="compare-row"][data-status="fixed"]').filter({ hasText: 'main.query' })
  await expect(fixed).toHaveCount(1)
  await expect(fixed.locator('td.num').nth(0)).toHaveText('8')
  await expect(fixed.locator('td.num').nth(1)).toHaveText('0')
  await expect(page.locator('[data-testid="compare-row"][data-status="new"]')).toHaveCount(0)
})

test('a second file dropped on an open trace can be compared with it', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('open-trace-input').setInputFiles('traces/compare/timeout-leak.fixed.go126.trace')
  await expect(page.getByTestId('current-file')).toHaveText('timeout-leak.fixed.go126.trace', { timeout: 30_000 })
  const transfer = await page.evaluateHandle((bytes: number[]) => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array(bytes)], 'timeout-leak.x1.go126.trace'))
    return dt
  }, [...readFileSync('traces/compare/timeout-leak.x1.go126.trace')])
  await page.locator('main').dispatchEvent('drop', { dataTransfer: transfer })
  await expect(page.getByTestId('drop-choice')).toBeVisible()
  await page.getByTestId('drop-compare').click()
  await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('compare-before')).toContainText('timeout-leak.fixed.go126.trace')
  await expect(page.locator('[data-testid="compare-row"][data-status="new"]').filter({ hasText: 'main.query' })).toHaveCount(1)
})

test('Ctrl+Shift+O compares the open trace with one picked then (the menu\'s Compare With…)', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('timeline')).toBeVisible({ timeout: 30_000 })
  const chooser = page.waitForEvent('filechooser')
  await page.keyboard.press('Control+Shift+O')
  await (await chooser).setFiles('traces/compare/timeout-leak.x3.go126.trace')
  await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('compare-before')).toContainText('.trace')
  await expect(page.getByTestId('compare-before')).not.toContainText('timeout-leak.x3')
  await expect(page.getByTestId('compare-after')).toContainText('timeout-leak.x3.go126.trace')
})

test('a second comparison shows its own traces in the timelines, not the first comparison\'s', async ({ page }) => {
  await page.goto('/')
  const timelines = page.getByTestId('compare-view').getByTestId('timeline')
  const ends = async () => Promise.all([0, 1].map(async (i) => Number(await timelines.nth(i).getAttribute('data-view-end'))))
  await page.getByTestId('compare-input').setInputFiles(['traces/preexisting/preexisting.go121.trace', 'traces/preexisting/preexisting.go126.trace'])
  await expect(timelines).toHaveCount(2, { timeout: 30_000 })
  await expect.poll(async () => (await ends())[0]).toBeGreaterThan(1)
  const first = await ends()
  await page.getByTestId('compare-input').setInputFiles(['traces/compare/timeout-leak.x1.go126.trace', 'traces/compare/timeout-leak.x3.go126.trace'])
  await expect(page.getByTestId('compare-after')).toContainText('timeout-leak.x3.go126.trace', { timeout: 30_000 })
  await expect(timelines).toHaveCount(2, { timeout: 30_000 })
  // The whole of each new trace: their lengths, not the first pair's.
  await expect.poll(async () => { const e = await ends(); return e[0] !== first[0] && e[1] !== first[1] && e[0]! > 1 }, { timeout: 30_000 }).toBe(true)
  await expect(page.getByTestId('comparing')).toHaveText('timeout-leak.x1.go126.trace → timeout-leak.x3.go126.trace')
})

test('a comparison shows its progress and can be cancelled; the open trace stays and the next comparison runs', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('timeline')).toBeVisible({ timeout: 30_000 })
  const opened = await page.getByTestId('current-file').textContent()
  // The comparison's worker is held back until Cancel has been pressed: the comparison is under way, not yet done.
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route('**/compare.worker*.js', async (route) => {
    await held
    // The worker was ended meanwhile: its request is gone.
    await route.continue().catch(() => undefined)
  })
  await page.getByTestId('compare-input').setInputFiles(['traces/compare/timeout-leak.x1.go126.trace', 'traces/compare/timeout-leak.x3.go126.trace'])
  const bar = page.getByTestId('compare-progress')
  await expect(bar).toBeVisible()
  await expect(bar).toContainText('Comparing timeout-leak.x1.go126.trace → timeout-leak.x3.go126.trace')
  await expect(page.getByTestId('compare')).toBeDisabled()
  await page.getByTestId('cancel-compare').click()
  await expect(bar).toHaveCount(0)
  release()
  await page.unroute('**/compare.worker*.js')
  // Nothing comes of it: no comparison, no error, the open trace as it was, and the Compare button back.
  await page.waitForTimeout(500)
  await expect(page.getByTestId('compare-view')).toHaveCount(0)
  await expect(page.getByTestId('error')).toHaveCount(0)
  await expect(page.getByTestId('current-file')).toHaveText(opened!)
  await expect(page.getByTestId('compare')).toBeEnabled()
  await page.getByTestId('compare-input').setInputFiles(['traces/compare/timeout-leak.x1.go126.trace', 'traces/compare/timeout-leak.x3.go126.trace'])
  await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: 30_000 })
  await expect(bar).toHaveCount(0)
  await expect(page.locator('[data-testid="compare-row"][data-status="grown"]')).toHaveCount(1)
})

test('two traces of different lengths: each timeline shows its whole trace, from the top of the view', async ({ page }) => {
  // The longer trace's bytes come late, so the shorter one's timeline is always shown first: the order in which a
  // shown timeline once reported its own whole trace again, as a move, when the other's summary arrived.
  await page.addInitScript(() => {
    const stream = File.prototype.stream
    File.prototype.stream = function (this: File) {
      if (!this.name.includes('timeout-leak.go121')) return stream.call(this)
      const reader = stream.call(this).getReader()
      return new ReadableStream({
        start: () => new Promise((done) => setTimeout(done, 700)),
        pull: async (c) => {
          const r = await reader.read()
          if (r.done) c.close()
          else c.enqueue(r.value)
        },
      })
    }
  })
  await page.goto('/')
  await expect(page.getByTestId('timeline')).toBeVisible({ timeout: 30_000 })
  // 244 ms against 202 ms.
  await page.getByTestId('compare-input').setInputFiles(['traces/timeout-leak/timeout-leak.go121.trace', 'traces/deadlock-cond/deadlock-cond.go126.trace'])
  const timelines = page.getByTestId('compare-view').getByTestId('timeline')
  await expect(timelines).toHaveCount(2, { timeout: 30_000 })
  const ends = async () => Promise.all([0, 1].map(async (i) => Number(await timelines.nth(i).getAttribute('data-view-end'))))
  await expect.poll(async () => (await ends())[1]).toBeGreaterThan(1)
  await page.waitForTimeout(300)
  const [before, after] = await ends()
  expect(before! / 1e6).toBeGreaterThan(240)
  expect(after! / 1e6).toBeLessThan(205)
  expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0)
  // Zoomed in and panned to the end of the longer trace: the shorter one stops at its own end, and does not pull the
  // longer one back to it.
  await timelines.nth(0).focus()
  for (const key of ['w', 'w', 'w']) await page.keyboard.press(key)
  for (let i = 0; i < 12; i++) await page.keyboard.press('d')
  await page.waitForTimeout(300)
  const [panned, follower] = await ends()
  expect(panned! / 1e6).toBeGreaterThan(240)
  expect(follower! / 1e6).toBeLessThan(205)
})

test('a comparison with a truncated trace says so, naming the file and the byte where it stops', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('timeline')).toBeVisible({ timeout: 30_000 })
  const whole = readFileSync('traces/multigen/multigen.go126.trace')
  await page.getByTestId('compare-input').setInputFiles([
    { name: 'multigen.go126.trace', mimeType: 'application/octet-stream', buffer: whole },
    { name: 'cut.trace', mimeType: 'application/octet-stream', buffer: whole.subarray(0, 40_000) },
  ])
  await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: 30_000 })
  const warnings = page.getByTestId('compare-warning')
  await expect(warnings).toHaveCount(1)
  await expect(warnings).toContainText('cut.trace: decoded up to the problem only')
  await expect(warnings).toContainText('truncated at byte 40000')
  await expect(page.getByTestId('error')).toHaveCount(0)
})

test('goroutines from before both traces show counts, not a rate over the trace', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('timeline')).toBeVisible({ timeout: 30_000 })
  await page.getByTestId('compare-input').setInputFiles(['traces/preexisting/preexisting.go121.trace', 'traces/preexisting/preexisting.go126.trace'])
  await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: 30_000 })
  const before = page.locator('[data-testid="compare-row"]').filter({ hasText: 'before the trace (main.subscriber' })
  await expect(before).toHaveCount(1)
  await expect(before.locator('td.num').nth(2)).toHaveText('—')
  await expect(before.locator('td.num').nth(3)).toHaveText('—')
  // One created in the trace: a rate.
  const created = page.locator('[data-testid="compare-row"]').filter({ hasText: 'main.main.func2' })
  await expect(created.locator('td.num').nth(3)).toHaveText(/^\d+(\.\d)?$/)
})

test('two flight-recorder snapshots: the leak, partly found blocked, compared as one that grew; backwards, a warning', async ({ page }) => {
  const early = 'traces/flight-recorder/flight-recorder.early.go126.trace'
  const late = 'traces/flight-recorder/flight-recorder.late.go126.trace'
  await page.goto('/')
  await page.getByTestId('compare-input').setInputFiles([early, late])
  await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: 30_000 })
  const rows = page.locator('[data-testid="compare-row"]').filter({ hasText: 'main.handle' })
  await expect(rows).toHaveCount(2)
  for (const i of [0, 1]) {
    await expect(rows.nth(i)).toHaveAttribute('data-status', 'grown')
    await expect(rows.nth(i).getByTestId('compare-together')).toHaveText('100 in all with the same work, was 50')
    // One process (the snapshots share OS threads): the earlier snapshot's goroutines, by ID.
    await expect(rows.nth(i).getByTestId('compare-still')).toHaveText('; all of them still there (one process: the same goroutines)')
  }
  await expect(page.getByTestId('compare-backwards')).toHaveCount(0)
  // The same two, given the wrong way round.
  await page.getByTestId('compare-input').setInputFiles([late, early])
  await expect(page.getByTestId('compare-backwards')).toContainText('began', { timeout: 30_000 })
  await expect(page.getByTestId('compare-backwards')).toContainText('in the same process')
  await expect(page.getByTestId('compare-backwards')).toContainText('the comparison reads backwards')
  await expect(rows.first()).toHaveAttribute('data-status', 'shrunk')
})
