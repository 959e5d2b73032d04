// Export from the app: open a corpus trace, press Export report, get one HTML file (a download in the browser)
// that holds the trace's leak groups and opens from disk with no console errors and no requests.
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { expect, test, type Page } from '@playwright/test'

/** Clicks Export report, checks the file name the download suggests, saves it; returns where, and its text. */
async function exportReport(page: Page, suggested: string): Promise<{ path: string; html: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()])
  expect(download.suggestedFilename()).toBe(suggested)
  const path = test.info().outputPath(suggested)
  await download.saveAs(path)
  return { path, html: readFileSync(path, 'utf8') }
}

test('Export report saves the open trace\'s leak report as one HTML file', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('open-trace-input').setInputFiles('traces/timeout-leak/timeout-leak.go126.trace')
  await expect(page.getByTestId('current-file')).toHaveText('timeout-leak.go126.trace')
  await expect(page.getByTestId('leak-row').first()).toBeVisible()
  const { path, html } = await exportReport(page, 'timeout-leak.go126-leak-report.html')
  expect(html).toContain('data-verdict="leak"')
  expect(html).toContain('main.query')

  const errors: string[] = []
  const requests: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('request', (r) => r.url().startsWith('file:') || requests.push(r.url()))
  await page.goto(pathToFileURL(path).href)
  await expect(page.locator('article.group[data-verdict="leak"]')).toHaveCount(1)
  await expect(page.locator('article.group[data-verdict="leak"]')).toContainText('timeout-leak')
  expect(errors).toEqual([])
  expect(requests).toEqual([])
})

test('with a comparison shown, Export report saves the comparison (newer vs older), as `lifeline report a b` does', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('compare-input').setInputFiles(['traces/compare/timeout-leak.x1.go126.trace', 'traces/compare/timeout-leak.x3.go126.trace'])
  await expect(page.getByTestId('compare-view')).toBeVisible({ timeout: 30_000 })
  // The header names what is shown: the two traces compared, not the one open behind them.
  await expect(page.getByTestId('comparing')).toHaveText('timeout-leak.x1.go126.trace → timeout-leak.x3.go126.trace')
  await expect(page.getByTestId('current-file')).toHaveCount(0)
  const { path, html } = await exportReport(page, 'timeout-leak.x3.go126-vs-timeout-leak.x1.go126-leak-report.html')
  expect(html).toContain('timeout-leak.x3.go126.trace')
  expect(html).toContain('Compared with timeout-leak.x1.go126.trace')
  await page.goto(pathToFileURL(path).href)
  const grown = page.locator('table.changes tr.grown')
  await expect(grown).toHaveCount(1)
  await expect(grown).toContainText('main.query')
})
