// One measurement for `npm run bench:decode` (bench/decode.ts): Lifeline decodes a trace in a worker of Debian's
// Chromium, the engine the app's renderer runs on, as the browser build's data worker does (bench/web, built into
// out/bench-web by vite.bench-web.config.ts). A fresh browser per call, left a second to settle after the page loads
// (a user opens a trace some time after the app has started; a fresh browser is busy with its own start for a while),
// and again after the sample with --after-sample.
// Prints one JSON line: the events, the decode's time, then the model build's time (with --model) and a second
// decode's in the same worker (with --again), and the largest renderer process's peak resident set (the page's, which
// holds its workers) after each step, sampled every 100 ms. With --after-sample the worker first decodes the bundled
// sample, untimed, as the app does when it starts (npm start, the browser build): the trace is then the first one a
// user opens.
//   node bench/chromium-decode.mjs <trace> [--model] [--again] [--after-sample]
import { createReadStream, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH, largestRenderer } from '../scripts/chromium.mjs'

const root = resolve(import.meta.dirname, '..')
const site = join(root, 'out/bench-web')
const trace = resolve(process.argv[2])
const again = process.argv.includes('--again')
const model = process.argv.includes('--model')
const afterSample = process.argv.includes('--after-sample')
const sample = join(root, 'src-renderer/public/samples/leaky-fetch.go126.trace')

const types = { '.html': 'text/html', '.js': 'text/javascript' }
// The page, its workers and the trace (at /trace), uncompressed: the fetch is not timed, but should not be slow.
const server = createServer((req, res) => {
  const path = req.url === '/trace' ? trace : req.url === '/sample' ? sample : join(site, req.url === '/' ? 'index.html' : decodeURIComponent(req.url.split('?')[0]))
  if (!path.startsWith(site) && path !== trace && path !== sample) return res.writeHead(403).end()
  try {
    statSync(path)
  } catch {
    return res.writeHead(404).end()
  }
  res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' })
  createReadStream(path).pipe(res)
}).listen(0, '127.0.0.1')
await new Promise((r) => server.once('listening', r))

// Room for a big trace's events and model in the worker, as bench:ui gives it.
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--js-flags=--max-old-space-size=8192'] })
let peakKB = 0
const sampler = setInterval(() => (peakKB = Math.max(peakKB, largestRenderer() / 1024)), 100)
try {
  const page = await browser.newPage()
  await page.goto(`http://127.0.0.1:${server.address().port}/`)
  await page.waitForFunction(() => 'lifelineBench' in window)
  const peak = () => (peakKB = Math.max(peakKB, largestRenderer() / 1024))
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1000))
  await settle()
  if (afterSample) {
    await page.evaluate(() => window.lifelineBench.decode('/sample'))
    await settle()
  }
  const decoded = await page.evaluate(() => window.lifelineBench.decode('/trace'))
  const out = { events: decoded.events, threads: decoded.threads, error: decoded.error, decodeMs: decoded.ms, decodePeakRssKB: peak(), modelMs: null, modelPeakRssKB: null, againMs: null }
  if (model) {
    out.modelMs = (await page.evaluate(() => window.lifelineBench.model())).ms
    out.modelPeakRssKB = peak()
  }
  if (again) out.againMs = (await page.evaluate(() => window.lifelineBench.again())).ms
  process.stdout.write(JSON.stringify(out) + '\n')
} finally {
  clearInterval(sampler)
  await browser.close()
  server.close()
}
