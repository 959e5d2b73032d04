// The timeline explorer in Chromium, on real traces recorded from Go programs: open, draw, navigate, leak panel,
// side panel with the unblock link, and a corrupt file that must not replace the open trace.
import { expect, test, type Page } from '@playwright/test'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'

/** A leak scenario from the corpus when it is there, else the bundled sample (both are real Go 1.26 traces). */
function leakTrace(): string {
  for (const p of ['traces/n-senders/n-senders.go126.trace', 'src-renderer/public/samples/leaky-fetch.go126.trace']) {
    if (existsSync(p)) return p
  }
  throw new Error('no leak trace found')
}

interface Layout {
  labelWidth: number
  rowHeight: number
  rows: { kind: string; id: number; y: number; label: string }[]
}

async function layout(page: Page): Promise<Layout> {
  return JSON.parse((await page.getByTestId('timeline-canvas').getAttribute('data-layout')) ?? '{}') as Layout
}

async function frames(page: Page): Promise<number> {
  return Number(await page.getByTestId('timeline-canvas').getAttribute('data-frames'))
}

/** Distinct non-background colours and coloured pixel count along one row of the plot area (device pixels). */
async function rowPixels(page: Page, y: number): Promise<{ coloured: number; colours: number; accent: boolean }> {
  return page.getByTestId('timeline-canvas').evaluate((el, cssY) => {
    const c = el as HTMLCanvasElement
    const dpr = window.devicePixelRatio || 1
    const ctx = c.getContext('2d')!
    const lay = JSON.parse(c.dataset.layout!) as { labelWidth: number }
    const x0 = Math.ceil(lay.labelWidth * dpr) + 1
    const data = ctx.getImageData(x0, Math.floor(cssY * dpr), c.width - x0, 1).data
    const seen = new Set<number>()
    let coloured = 0
    for (let i = 0; i < data.length; i += 4) {
      const rgb = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2]
      if (rgb !== 0x14161a) {
        coloured++
        seen.add(rgb)
      }
    }
    const bar = ctx.getImageData(Math.floor(2 * dpr), Math.floor(cssY * dpr), 1, 1).data
    return { coloured, colours: seen.size, accent: bar[0] === 0x5a && bar[1] === 0xa9 && bar[2] === 0xff }
  }, y)
}

async function view(page: Page): Promise<{ start: number; end: number }> {
  const t = page.getByTestId('timeline')
  return { start: Number(await t.getAttribute('data-view-start')), end: Number(await t.getAttribute('data-view-end')) }
}

async function openThroughInput(page: Page, path: string): Promise<void> {
  await page.getByTestId('open-trace-input').setInputFiles(path)
}

async function waitForTrace(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId('current-file')).toHaveText(name, { timeout: 30_000 })
  await expect.poll(() => frames(page)).toBeGreaterThan(0)
}

test.beforeEach(async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  ;(page as unknown as { errors: string[] }).errors = errors
})

test('with no file, the bundled sample leak opens by itself, decoded on two threads where there are two cores', async ({ page }) => {
  await page.goto('/')
  await waitForTrace(page, 'leaky-fetch.go126.trace')
  await expect(page.getByTestId('leak-row').first()).toBeVisible()
  // The data worker's nested ordering worker ran (a helper that failed to start would leave one thread).
  const cores = await page.evaluate(() => navigator.hardwareConcurrency)
  await expect(page.getByTestId('trace-facts')).toHaveText(cores >= 2 ? / on 2 threads$/ : / on 1 thread$/)
})

test('opens a trace, draws P and goroutine tracks, navigates, highlights a leak, follows an unblock link', async ({ page }, info) => {
  const path = leakTrace()
  await page.goto('/?open=' + encodeURIComponent('samples/none-such.trace'))
  // A missing ?open file (the preview server answers with its index page) is an error in the window, not a crash.
  await expect(page.getByTestId('error')).toContainText('none-such.trace')
  await openThroughInput(page, path)
  await waitForTrace(page, basename(path))
  await expect(page.getByTestId('error')).toHaveCount(0)

  // Pixels, not just elements: every P row and goroutine row in view carries spans in more than one colour.
  const lay = await layout(page)
  const procs = lay.rows.filter((r) => r.kind === 'proc')
  const gs = lay.rows.filter((r) => r.kind === 'goroutine')
  expect(procs.length).toBeGreaterThan(0)
  expect(gs.length).toBeGreaterThan(3)
  const procPixels = await Promise.all(procs.map((r) => rowPixels(page, r.y)))
  expect(procPixels.some((p) => p.coloured > 5 && p.colours >= 2)).toBe(true)
  const gPixels = await Promise.all(gs.slice(0, 10).map((r) => rowPixels(page, r.y)))
  expect(gPixels.filter((p) => p.coloured > 0).length).toBeGreaterThan(3)
  expect(new Set(gPixels.map((p) => p.colours)).size).toBeGreaterThan(0)
  await page.screenshot({ path: info.outputPath('opened.png') })

  // Keyboard: W zooms in around the centre, D pans later, S zooms out, Ctrl+Z undoes.
  const whole = await view(page)
  await page.getByTestId('timeline').focus()
  await page.keyboard.press('w')
  const zoomed = await view(page)
  expect(zoomed.end - zoomed.start).toBeLessThan((whole.end - whole.start) * 0.75)
  expect(zoomed.start).toBeGreaterThan(whole.start)
  await page.keyboard.press('w')
  await page.keyboard.press('d')
  const panned = await view(page)
  expect(panned.start).toBeGreaterThan(zoomed.start)
  await page.keyboard.press('Control+z')
  await page.keyboard.press('Control+z')
  expect(await view(page)).toEqual(zoomed)
  await page.keyboard.press('Control+y')
  await page.keyboard.press('s')
  await page.keyboard.press('s')
  await page.keyboard.press('s')
  const out = await view(page)
  expect(out.end - out.start).toBeGreaterThan(zoomed.end - zoomed.start)

  // Wheel: Ctrl+wheel zooms at the cursor (the time under it stays put), Shift+wheel pans.
  const box = (await page.getByTestId('timeline-canvas').boundingBox())!
  const x = box.x + lay.labelWidth + (box.width - lay.labelWidth) * 0.25
  await page.mouse.move(x, box.y + 40)
  const before = await view(page)
  const tUnder = before.start + (before.end - before.start) * 0.25
  await page.keyboard.down('Control')
  await page.mouse.wheel(0, -300)
  await page.keyboard.up('Control')
  await expect.poll(async () => (await view(page)).end - (await view(page)).start).toBeLessThan((before.end - before.start) * 0.6)
  const wz = await view(page)
  expect(Math.abs(wz.start + (wz.end - wz.start) * 0.25 - tUnder)).toBeLessThan((before.end - before.start) * 0.01)
  await page.keyboard.down('Shift')
  await page.mouse.wheel(0, 200)
  await page.keyboard.up('Shift')
  await expect.poll(async () => (await view(page)).start).toBeGreaterThan(wz.start)
  await page.keyboard.press('0')

  // Drag selects a range with a summary of states; F fits it.
  await page.mouse.move(box.x + lay.labelWidth + 100, box.y + 30)
  await page.mouse.down()
  await page.mouse.move(box.x + lay.labelWidth + 400, box.y + 30, { steps: 5 })
  await page.mouse.up()
  await expect(page.getByTestId('selection-summary')).toContainText(/running|runnable|blocked|sleeping/)
  await page.keyboard.press('f')
  const fitted = await view(page)
  const total = whole.end - whole.start
  expect(fitted.end - fitted.start).toBeLessThan(total * 0.5)
  await page.keyboard.press('0')

  // Leak panel: selecting a group highlights its goroutines' rows; "only these" filters the tracks to them.
  const row = page.getByTestId('leak-row').first()
  const ids = ((await row.getAttribute('data-goroutine-ids')) ?? '').split(' ').map(Number)
  expect(ids.length).toBeGreaterThan(0)
  await row.click()
  await expect(row).toHaveAttribute('aria-selected', 'true')
  // Why, as a sentence of its own, and the fix apart from it.
  await expect(row.getByTestId('leak-reason')).toHaveText(/^\d+ goroutines? .*\.$/)
  await expect(row.getByTestId('leak-hint')).toHaveText(/^Fix: \S/)
  await expect.poll(async () => (await layout(page)).rows.some((r) => r.kind === 'goroutine' && ids.includes(r.id))).toBe(true)
  const lit = (await layout(page)).rows.filter((r) => r.kind === 'goroutine')
  for (const r of lit) {
    const px = await rowPixels(page, r.y)
    expect(px.accent, `G${r.id} highlighted`).toBe(ids.includes(r.id))
  }
  await page.screenshot({ path: info.outputPath('leak-highlighted.png') })
  // The README's screenshot is refreshed on request only, so test runs leave the work tree clean.
  if (process.env.UPDATE_SCREENSHOT) {
    mkdirSync('docs', { recursive: true })
    await page.screenshot({ path: 'docs/screenshot.png' })
  }
  await page.getByTestId('leak-filter').check()
  await expect.poll(async () => (await layout(page)).rows.filter((r) => r.kind === 'goroutine').every((r) => ids.includes(r.id))).toBe(true)
  await page.screenshot({ path: info.outputPath('leak-filtered.png') })
  await page.getByTestId('leak-filter').uncheck()

  // Side panel: a goroutine that another goroutine woke up (search narrows the list, then every one is tried);
  // its unblock link opens the waker.
  await page.getByTestId('goroutine-search').fill('firstResponse')
  await expect(page.getByTestId('goroutine-item').first()).toContainText('firstResponse')
  await page.getByTestId('goroutine-search').fill('')
  const items = page.getByTestId('goroutine-item')
  const panel = page.getByTestId('side-panel')
  const link = panel.getByTestId('unblock-link')
  let found = false
  for (let i = 0; i < Math.min(await items.count(), 40) && !found; i++) {
    await items.nth(i).click()
    await expect(panel).toBeVisible()
    found = (await link.count()) > 0
  }
  expect(found, 'some goroutine was woken by another goroutine').toBe(true)
  await expect(panel.getByTestId('side-states')).toContainText(/running/)
  const waker = (await link.textContent())!.trim()
  await link.click()
  await expect(panel.locator('h2')).toHaveText(new RegExp(`^${waker}\\b`))
  await page.screenshot({ path: info.outputPath('side-panel.png') })
  // The main goroutine was there before the trace: no creation stack, and its entry from the stack it had.
  await page.getByTestId('goroutine-search').fill('g1 ')
  await page.getByTestId('goroutine-item').first().click()
  await expect(panel.locator('h2')).toHaveText(/^G1\b/)
  await expect(panel).toContainText('none: it was there before the trace started')
  await expect(panel.getByTestId('side-start-stack')).toContainText('main.main')
  await page.getByTestId('goroutine-search').fill('')
  await page.getByTestId('goroutine-search').blur()

  // Shortcuts list.
  await page.keyboard.press('?')
  await expect(page.getByTestId('shortcuts')).toContainText('undo / redo navigation')
  await page.keyboard.press('Escape')

  expect((page as unknown as { errors: string[] }).errors).toEqual([])
})

test('a corrupt file shows an error naming the problem while the open trace stays open', async ({ page }, info) => {
  const path = leakTrace()
  await page.goto('/?open=' + encodeURIComponent('samples/' + basename('leaky-fetch.go126.trace')))
  await waitForTrace(page, 'leaky-fetch.go126.trace')
  const framesBefore = await frames(page)

  const bytes = readFileSync(path)
  // Keep the header, then garbage: a batch header that promises far more bytes than follow.
  const corrupt = Buffer.concat([bytes.subarray(0, Math.min(bytes.length, 200)), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f, 0x01, 0x02])])
  await page.getByTestId('open-trace-input').setInputFiles({ name: 'corrupt.trace', mimeType: 'application/octet-stream', buffer: corrupt })
  await expect(page.getByTestId('error')).toContainText('corrupt.trace')
  await expect(page.getByTestId('error')).toContainText(/offset|byte/i)
  await expect(page.getByTestId('current-file')).toHaveText('leaky-fetch.go126.trace')
  await expect(page.getByTestId('leak-row').first()).toBeVisible()
  // Still interactive: a key still moves and redraws the view.
  await page.getByTestId('timeline').focus()
  await page.keyboard.press('w')
  await expect.poll(() => frames(page)).toBeGreaterThan(framesBefore)
  await page.screenshot({ path: info.outputPath('corrupt-error.png') })

  // A file that is not a trace at all.
  await page.getByTestId('open-trace-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, not a trace') })
  await expect(page.getByTestId('error')).toContainText('notes.txt')
  await expect(page.getByTestId('current-file')).toHaveText('leaky-fetch.go126.trace')
  // The same file chosen again is opened again (the input forgets its file once it is taken): the error comes back.
  await page.getByRole('button', { name: 'Dismiss' }).click()
  await expect(page.getByTestId('error')).toHaveCount(0)
  expect(await page.getByTestId('open-trace-input').evaluate((el) => (el as HTMLInputElement).value)).toBe('')
  await page.getByTestId('open-trace-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, not a trace') })
  await expect(page.getByTestId('error')).toContainText('notes.txt')
  // Files that did not open are not offered as recent ones.
  await expect(page.getByTestId('recent-files')).toHaveCount(0)
})

test('a second trace opened in the same page gets its own row labels', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('timeline')).toBeVisible({ timeout: 30_000 })
  await expect.poll(async () => (await layout(page)).rows?.length ?? 0).toBeGreaterThan(3)
  const first = (await layout(page)).rows.map((r) => r.label)
  const path = 'traces/n-senders/n-senders.go126.trace'
  await openThroughInput(page, path)
  await expect(page).toHaveTitle(new RegExp(basename(path).replace(/\./g, '\\.')), { timeout: 30_000 })
  // Each row's painted label names its own track: "G<id> ..." for a goroutine, "P<id>" for a P, "M<id>" for an M.
  const prefix: Record<string, string> = { goroutine: 'G', proc: 'P', thread: 'M' }
  await expect.poll(async () => {
    const rows = (await layout(page)).rows
    const named = rows.filter((r) => prefix[r.kind])
    return named.length > 3 && named.every((r) => r.label === `${prefix[r.kind]}${r.id}` || r.label.startsWith(`${prefix[r.kind]}${r.id} `))
  }, { timeout: 30_000 }).toBe(true)
  expect((await layout(page)).rows.map((r) => r.label)).not.toEqual(first)
})

test('the leak panel says where each group comes from: a go statement, or before the trace with its entry function', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('timeline')).toBeVisible({ timeout: 30_000 })
  const rows = page.getByTestId('leak-row')
  await expect(rows.first()).toBeVisible()
  await expect(rows.filter({ hasText: /created at main\./ }).first()).toBeVisible()
  // The runtime's own goroutines from before the trace are named by their entry (the trace's GoStatusStack).
  await expect(rows.filter({ hasText: 'before the trace, in runtime.' }).first()).toBeAttached()
  await expect(rows.filter({ hasText: 'created before the trace or by the runtime' })).toHaveCount(0)
})

test('a file opened while the bundled sample is still coming stays open (the last open asked for wins)', async ({ page }) => {
  let sampleAsked!: () => void
  const asked = new Promise<void>((resolve) => (sampleAsked = resolve))
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  await page.route('**/samples/*.trace', async (route) => {
    sampleAsked()
    await released
    await route.continue()
  })
  await page.goto('/')
  await asked
  await openThroughInput(page, 'traces/timeout-leak/timeout-leak.go126.trace')
  await expect(page.getByTestId('current-file')).toHaveText('timeout-leak.go126.trace', { timeout: 30_000 })
  // The sample's bytes come only now: they must not replace the file.
  release()
  await page.waitForTimeout(1500)
  await expect(page.getByTestId('current-file')).toHaveText('timeout-leak.go126.trace')
  await expect(page.getByTestId('error')).toHaveCount(0)
})

test('Cancel while the trace is still being fetched drops that open when its bytes come', async ({ page }) => {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  await page.route('**/samples/*.trace', async (route) => {
    await released
    await route.continue()
  })
  await page.goto('/')
  await expect(page.getByTestId('progress')).toBeVisible()
  await page.getByTestId('cancel-open').click()
  await expect(page.getByTestId('progress')).toHaveCount(0)
  release()
  await page.waitForTimeout(1500)
  await expect(page.getByTestId('progress')).toHaveCount(0)
  await expect(page.getByTestId('current-file')).toHaveText('')
  await expect(page.getByTestId('error')).toHaveCount(0)
})

test('a flight-recorder snapshot: the leak found blocked and the part seen created name each other, with the total', async ({ page }) => {
  await page.goto('/')
  await waitForTrace(page, 'leaky-fetch.go126.trace')
  await openThroughInput(page, 'traces/flight-recorder/flight-recorder.late.go126.trace')
  await waitForTrace(page, 'flight-recorder.late.go126.trace')
  const found = page.getByTestId('leak-row').filter({ hasText: 'before the trace' }).filter({ hasText: 'main.handle.func1' })
  await found.click()
  await expect(found.getByTestId('leak-same-work')).toContainText('created at main.handle (flight-recorder/main.go:28)')
  await expect(found.getByTestId('leak-same-work')).toContainText('100 in all')
  // Nothing to jump to: they were created before the trace.
  await expect(found.getByTestId('leak-jump')).toBeDisabled()
})
