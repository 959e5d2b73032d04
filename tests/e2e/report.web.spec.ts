// The report of a corpus scenario, opened from disk in Chromium: no console errors, no network request of any
// kind, every expected leak group shown, collapsible stacks that open; and the hostile trace's report runs no code.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from '@playwright/test'

const dir = mkdtempSync(join(tmpdir(), 'lifeline-report-'))
const manifest = JSON.parse(readFileSync('traces/manifest.json', 'utf8')) as {
  scenarios: { name: string; expect: { kind: string; line: number; file: string; count: number }[] }[]
}

function report(trace: string, name: string): string {
  const out = join(dir, name)
  execFileSync(process.execPath, ['bin/lifeline.js', 'report', trace, '-o', out], { stdio: 'pipe' })
  return out
}

test('a scenario report opens from disk offline, shows every expected leak group, and its stacks expand', async ({ page }) => {
  const file = report('traces/deadlock-cond/deadlock-cond.go126.trace', 'deadlock.html')
  const errors: string[] = []
  const requests: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('request', (r) => r.url().startsWith('file:') || requests.push(r.url()))
  await page.goto(pathToFileURL(file).href)
  const expected = manifest.scenarios.find((s) => s.name === 'deadlock-cond')!.expect.filter((e) => e.kind === 'leak')
  const groups = page.locator('article.group[data-verdict="leak"]')
  await expect(groups).toHaveCount(expected.length)
  for (const e of expected) await expect(groups.filter({ hasText: `main.go:${e.line}` })).toHaveCount(1)
  const first = groups.first().locator('details.stacks')
  await expect(first.locator('pre').first()).toBeHidden()
  await first.locator('summary').click()
  await expect(first.locator('pre').first()).toBeVisible()
  await expect(first.locator('pre').first()).toContainText('main.(*Queue).Pop')
  await page.screenshot({ path: test.info().outputPath('report.png'), fullPage: true })
  expect(errors).toEqual([])
  expect(requests).toEqual([])
})

test('the report of a trace full of markup and script runs none of it', async ({ page }) => {
  const file = report('traces/hostile/hostile.go126.trace', 'hostile.html')
  const dialogs: string[] = []
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  await page.goto(pathToFileURL(file).href)
  await page.locator('section.annotations summary').click()
  await expect(page.locator('section.annotations')).toContainText('<script>alert("task")</script>')
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
  expect(await page.locator('img').count()).toBe(0)
  expect(await page.locator('script').count()).toBe(0)
  expect(dialogs).toEqual([])
})
