#!/usr/bin/env node
// `npm run bench:report [-- --mb 100]`: writes the leak report of the big trace and opens it from disk in Chromium,
// printing the report's size and how long the browser takes to load and paint it.
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs'

const root = process.cwd()
const i = process.argv.indexOf('--mb')
const mb = i > 0 ? process.argv[i + 1] : '100'
const trace = join(root, 'traces/big', `big-${mb}mb.trace`)
if (!existsSync(trace)) execFileSync(process.execPath, [join(root, 'traces/big.mjs'), '--mb', mb], { stdio: 'inherit' })
const out = join(root, 'out/bench', `report-${mb}mb.html`)
const t0 = Date.now()
// The CLI as users run it: no heap flag (a bigger heap once hid that this report needed gigabytes).
execFileSync(process.execPath, [join(root, 'bin/lifeline.js'), 'report', trace, '-o', out], { stdio: 'inherit' })
const writeMs = Date.now() - t0
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
})
const page = await browser.newPage()
const times = []
for (let k = 0; k < 5; k++) {
  const start = Date.now()
  await page.goto(pathToFileURL(out).href, { waitUntil: 'load' })
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  times.push(Date.now() - start)
}
await browser.close()
times.sort((a, b) => a - b)
console.log(`trace ${(statSync(trace).size / 2 ** 20).toFixed(0)} MB -> report ${(statSync(out).size / 1024).toFixed(1)} KB (written in ${(writeMs / 1000).toFixed(1)} s, decode included)`)
console.log(`open from disk to first paint in Chromium: median ${times[2]} ms, worst ${times[4]} ms (5 runs)`)
