// Comparing and exporting in the desktop app, end to end: two traces picked in the page or dropped together open the
// comparison; Export report writes the open trace's leak report where the save dialog (answered in main) says.
import { expect, test } from '@playwright/test'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { findElectron, NO_ELECTRON_REASON } from '../../scripts/electron-binary.mjs'
import { answerSaveDialog, dropFiles, launchApp, waitForTrace } from './electron-app'

const binary = findElectron()
test.skip(!binary, NO_ELECTRON_REASON)

test('Compare… with two traces of the same program: the timeout leak has grown', async () => {
  const { app, win } = await launchApp(binary!)
  try {
    await win.getByTestId('compare-input').setInputFiles([
      resolve('traces/compare/timeout-leak.x1.go126.trace'),
      resolve('traces/compare/timeout-leak.x3.go126.trace'),
    ])
    await expect(win.getByTestId('compare-view')).toBeVisible({ timeout: 30_000 })
    await expect(win.getByTestId('compare-before')).toContainText('timeout-leak.x1.go126.trace')
    await expect(win.getByTestId('compare-after')).toContainText('timeout-leak.x3.go126.trace')
    const grown = win.locator('[data-testid="compare-row"][data-status="grown"]')
    await expect(grown).toHaveCount(1)
    await expect(grown).toContainText('main.query')
    await expect(grown.locator('td.num').nth(0)).toHaveText('8')
    await expect(grown.locator('td.num').nth(1)).toHaveText('24')
    await expect(win.getByTestId('compare-view').getByTestId('timeline')).toHaveCount(2, { timeout: 30_000 })
  } finally {
    await app.close()
  }
})

test('two files dropped together are compared: the fixed build shows the leak as fixed', async () => {
  const { app, win } = await launchApp(binary!)
  try {
    await dropFiles(win, ['traces/timeout-leak/timeout-leak.go122.trace', 'traces/compare/timeout-leak.fixed.go126.trace'])
    await expect(win.getByTestId('compare-view')).toBeVisible({ timeout: 30_000 })
    await expect(win.getByTestId('compare-before')).toContainText('go 1.22')
    const fixed = win.locator('[data-testid="compare-row"][data-status="fixed"]').filter({ hasText: 'main.query' })
    await expect(fixed).toHaveCount(1)
    await expect(fixed.locator('td.num').nth(0)).toHaveText('8')
    await expect(fixed.locator('td.num').nth(1)).toHaveText('0')
  } finally {
    await app.close()
  }
})

test('Export report writes the leak report where the save dialog says', async () => {
  const { app, win } = await launchApp(binary!, ['traces/timeout-leak/timeout-leak.go126.trace'])
  try {
    await waitForTrace(win, 'timeout-leak.go126.trace')
    const out = test.info().outputPath('exported-report.html')
    await answerSaveDialog(app, out)
    await win.getByTestId('export-report').click()
    await expect.poll(() => existsSync(out), { timeout: 10_000 }).toBe(true)
    await expect.poll(() => readFileSync(out, 'utf8'), { timeout: 10_000 }).toContain('</html>')
    const html = readFileSync(out, 'utf8')
    expect(html).toContain('data-verdict="leak"')
    expect(html).toContain('main.query')
    await expect(win.getByTestId('error')).toHaveCount(0)
  } finally {
    await app.close()
  }
})
