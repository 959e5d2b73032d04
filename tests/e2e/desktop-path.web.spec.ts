// The desktop build's renderer path, in plain Chromium: with a stand-in preload (stand-in/bridge.ts) the page takes
// its Electron platform, receives a decoder's port as a window message, transfers it into the data worker, and the
// worker builds the trace from the decoded chunks instead of decoding. A crash reported by "main" fails the open and
// leaves the open trace; Cancel asks "main" to kill the decoder. (The Electron specs cover the real processes.)
import { execFileSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'

const SAMPLE = 'leaky-fetch.go126.trace'
const SAMPLE_URL = 'samples/leaky-fetch.go126.trace'
const SAMPLE_SIZE = statSync('src-renderer/public/samples/leaky-fetch.go126.trace').size

interface StandInLog {
  started: string[]
  cancelled: number[]
  chunkReads: number
  sent: number
}

test.beforeAll(() => {
  execFileSync('npx', ['vite', 'build', '--config', 'tests/e2e/stand-in/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' })
})

test.beforeEach(async ({ page }) => {
  await page.addInitScript({ path: 'out/e2e/stand-in-bridge.js' })
})

const log = (page: Page) => page.evaluate(() => (window as unknown as { __standIn: { log: StandInLog } }).__standIn.log)
const setMode = (page: Page, mode: 'decode' | 'crash' | 'hang') =>
  page.evaluate((m) => (window as unknown as { __standIn: { setMode(m: string): void } }).__standIn.setMode(m), mode)
const requestOpen = (page: Page, name: string) =>
  page.evaluate(
    ([url, n, size]) => (window as unknown as { __standIn: { open(u: string, n: string, s: number): void } }).__standIn.open(url, n, size),
    [SAMPLE_URL, name, SAMPLE_SIZE] as const,
  )

/** The bundled sample, opened from its bytes at start-up (the browser way), and its leak rows. */
async function openedSample(page: Page): Promise<string[]> {
  await page.goto('/')
  await expect(page.getByTestId('app-version')).toHaveText('electron stand-in')
  await expect(page.getByTestId('current-file')).toHaveText(SAMPLE, { timeout: 30_000 })
  await expect(page.getByTestId('leak-row').first()).toBeVisible()
  return page.getByTestId('leak-row').allInnerTexts()
}

test('an opened file comes decoded over a port into the data worker, and shows what decoding it here shows', async ({ page }) => {
  const decodedHere = await openedSample(page)
  const facts = await page.getByTestId('trace-facts').innerText()
  await requestOpen(page, 'from-the-decoder.trace')
  await expect(page.getByTestId('current-file')).toHaveText('from-the-decoder.trace', { timeout: 30_000 })
  await expect(page.getByTestId('progress')).toHaveCount(0)
  const l = await log(page)
  expect(l.started).toHaveLength(1)
  expect(l.chunkReads).toBe(0)
  // progress, several chunks, done
  expect(l.sent).toBeGreaterThan(3)
  expect(await page.getByTestId('leak-row').allInnerTexts()).toEqual(decodedHere)
  // (The time differs, and the thread count: the stand-in decoder here runs on one.)
  const strip = (s: string) => s.replace(/ · decoded in [\d.]+ s on \d threads?$/, '')
  expect(strip(await page.getByTestId('trace-facts').innerText())).toBe(strip(facts))
  await expect(page.getByTestId('error')).toHaveCount(0)
})

test('a decoder crash reported by main fails the open in words, and the open trace stays', async ({ page }) => {
  await openedSample(page)
  await setMode(page, 'crash')
  await requestOpen(page, 'too-big.trace')
  await expect(page.getByTestId('error')).toContainText('Could not open too-big.trace: the decoder ran out of memory and was stopped', { timeout: 30_000 })
  await expect(page.getByTestId('current-file')).toHaveText(SAMPLE)
  await expect(page.getByTestId('progress')).toHaveCount(0)
  // The window still works: the next open succeeds.
  await setMode(page, 'decode')
  await requestOpen(page, 'after-the-crash.trace')
  await expect(page.getByTestId('current-file')).toHaveText('after-the-crash.trace', { timeout: 30_000 })
})

test('Cancel asks main to kill the decoder and leaves the open trace', async ({ page }) => {
  await openedSample(page)
  await setMode(page, 'hang')
  await requestOpen(page, 'slow.trace')
  await expect(page.getByTestId('progress')).toBeVisible()
  await page.getByTestId('cancel-open').click()
  await expect(page.getByTestId('progress')).toHaveCount(0)
  await expect.poll(async () => (await log(page)).cancelled).toEqual([1])
  await expect(page.getByTestId('error')).toHaveCount(0)
  await expect(page.getByTestId('current-file')).toHaveText(SAMPLE)
})

test('a comparison takes both traces from decoder processes too, and its timelines open the same way', async ({ page }) => {
  await openedSample(page)
  const drop = async (path: string, name: string) => {
    const transfer = await page.evaluateHandle(
      ([bytes, n]) => {
        const dt = new DataTransfer()
        dt.items.add(new File([new Uint8Array(bytes as number[])], n as string))
        return dt
      },
      [[...readFileSync(path)], name] as const,
    )
    await page.locator('main').dispatchEvent('drop', { dataTransfer: transfer })
  }
  await drop('traces/compare/timeout-leak.fixed.go126.trace', 'timeout-leak.fixed.go126.trace')
  await page.getByTestId('drop-open').click()
  await expect(page.getByTestId('current-file')).toHaveText('timeout-leak.fixed.go126.trace', { timeout: 30_000 })
  await drop('traces/compare/timeout-leak.x1.go126.trace', 'timeout-leak.x1.go126.trace')
  await expect(page.getByTestId('drop-choice')).toBeVisible()
  await page.getByTestId('drop-compare').click()
  await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('compare-before')).toContainText('timeout-leak.fixed.go126.trace')
  await expect(page.locator('[data-testid="compare-row"][data-status="new"]').filter({ hasText: 'main.query' })).toHaveCount(1)
  // The open, both sides of the comparison, and (once shown) the compare view's two timelines: all decoder processes.
  await expect.poll(async () => (await log(page)).started.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3)
  expect((await log(page)).chunkReads).toBe(0)
  await expect(page.getByTestId('error')).toHaveCount(0)
})
