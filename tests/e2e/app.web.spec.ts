import { expect, test } from '@playwright/test'

test('the renderer boots in plain Chromium through the browser platform fallback', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await page.goto('/')
  await expect(page.getByTestId('app-version')).toHaveText(/^web \d+\.\d+\.\d+/)
  await expect(page.getByTestId('open-trace-input')).toHaveCount(1)
  expect(errors).toEqual([])
})
