// `npm run bench:ui [trace]`: opens a big trace in Chromium (the renderer built for the browser, served by vite
// preview) and reports decode time, time to first paint after decode, frame times while zooming and panning
// across the whole trace and at 1 µs scale, and the renderer processes' memory. A benchmark, not a test: it
// prints numbers and the 16 ms p95 budget verdict; it never fails a test run.
import { spawn, execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH, largestRenderer, rendererRss } from '../scripts/chromium.mjs'

const root = resolve(import.meta.dirname, '..')
const candidates = [process.argv[2], 'traces/big/big-100mb.trace', ...bigTraces()].filter(Boolean)
const trace = candidates.find((p) => existsSync(resolve(root, p)))
if (!trace) {
  console.error('bench:ui: no big trace found; pass one: npm run bench:ui -- path/to/trace')
  process.exit(2)
}

function bigTraces() {
  const dir = join(root, 'traces/big')
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.trace')).map((f) => join('traces/big', f)) : []
}

const port = 4317
console.log(`bench:ui: building the renderer…`)
execFileSync('npx', ['vite', 'build', '--config', 'renderer.vite.config.ts', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' })
const server = spawn('npx', ['vite', 'preview', '--config', 'renderer.vite.config.ts', '--port', String(port), '--strictPort'], {
  cwd: root,
  stdio: 'ignore',
  detached: true,
})
const stop = () => {
  try {
    process.kill(-server.pid, 'SIGTERM')
  } catch {}
}
process.on('exit', stop)

await waitFor(`http://127.0.0.1:${port}/`)
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  // The flags of the end-to-end specs, plus room for a big trace's model in the worker.
  args: [...CHROMIUM_ARGS, '--js-flags=--max-old-space-size=8192'],
})
/** Whether the renderer's memory is being sampled (while the big trace loads). */
let loading = false
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  const size = statSync(resolve(root, trace)).size
  await page.goto(`http://127.0.0.1:${port}/?bench`)
  // The bundled sample opens first, as for anyone; then the big trace is opened as a user opens one, from a file (the
  // browser fallback's File.stream()). Not by URL: the preview server gzips a response on the fly (18 MB/s for 100 MB),
  // which would be measured instead of the decoder.
  const painted = () => (window).__lifeline?.firstPaintMs !== undefined || document.querySelector('[data-testid="error"]')
  await page.waitForFunction(painted, null, { timeout: 60_000, polling: 100 })
  // The renderer's memory while the trace loads, sampled every 250 ms with the phase the window shows: until the
  // timeline is prepared, the worker holds the decoded events, the model and the leak analysis (the decoder's memory
  // target); the timeline's own data comes after.
  const peaks = { model: 0, load: 0, timeline: false }
  loading = true
  const sampler = (async () => {
    while (loading) {
      const phase = (await page.getByTestId('progress').textContent({ timeout: 100 }).catch(() => null)) ?? ''
      if (phase.includes('preparing the timeline')) peaks.timeline = true
      const rss = largestRenderer()
      if (!peaks.timeline && phase) peaks.model = Math.max(peaks.model, rss)
      peaks.load = Math.max(peaks.load, rss)
      await new Promise((r) => setTimeout(r, 250))
    }
  })()
  await page.getByTestId('open-trace-input').setInputFiles(resolve(root, trace))
  // Done when the first frame after decode is painted, or when the window shows an error.
  await page.waitForFunction(
    () => document.querySelector('[data-testid="error"]') || ((window).__lifeline?.decodeMs !== undefined && (window).__lifeline?.firstPaintMs !== undefined),
    null,
    { timeout: 30 * 60_000, polling: 500 },
  )
  loading = false
  await sampler
  const failed = await page.getByTestId('error').textContent().catch(() => null)
  if (failed && (await page.getByTestId('error').count())) {
    console.error(`bench:ui: the window could not open ${trace}: ${failed}`)
    console.error(`renderer memory: ${rendererMemory()}`)
    process.exitCode = 1
    throw new Error('open failed')
  }
  const opened = await page.evaluate(() => ({ ...(window).__lifeline, frames: undefined, settle: undefined }))
  const facts = await page.getByTestId('trace-facts').textContent()

  const canvas = await page.getByTestId('timeline-canvas').boundingBox()
  const cx = canvas.x + canvas.width * 0.6
  const cy = canvas.y + 60
  await page.mouse.move(cx, cy)
  const measure = async (label, steps) => {
    await page.evaluate(() => Object.assign((window).__lifeline, { frames: [], previews: 0, settle: [] }))
    for (const step of steps) {
      await step()
      await page.waitForTimeout(16)
    }
    await page.waitForTimeout(300)
    const { frames, previews, settle } = await page.evaluate(() => {
      const b = (window).__lifeline
      return { frames: b.frames.slice(), previews: b.previews, settle: b.settle.slice() }
    })
    results.push({ label, frames, previews, settle, memory: rendererMemory() })
    report(results[results.length - 1])
  }
  const results = []
  const wheel = (dy, mod) => async () => {
    if (mod) await page.keyboard.down(mod)
    await page.mouse.wheel(0, dy)
    if (mod) await page.keyboard.up(mod)
  }
  const focus = () => page.getByTestId('timeline').focus()
  await focus()
  // Whole trace: zoom in 40 steps from the full view, pan across, zoom back out.
  await measure('zoom in from whole trace (ctrl+wheel)', Array.from({ length: 40 }, () => wheel(-120, 'Control')))
  await measure('pan across (shift+wheel)', Array.from({ length: 60 }, () => wheel(200, 'Shift')))
  await measure('zoom out to whole trace (ctrl+wheel)', Array.from({ length: 40 }, () => wheel(120, 'Control')))
  // 1 µs scale: zoom until the view is ~1 µs per 100 px, then pan with D.
  for (let i = 0; i < 80; i++) {
    const v = await page.evaluate(() => {
      const t = document.querySelector('[data-testid="timeline"]')
      return Number(t.dataset.viewEnd) - Number(t.dataset.viewStart)
    })
    if (v <= 20_000) break
    await page.keyboard.press('w')
  }
  // Let the zoom's last exact frame land, so the next scenario's settle times are its own.
  await page.waitForTimeout(300)
  await measure('pan at 1 µs scale (A/D)', Array.from({ length: 60 }, () => () => page.keyboard.press('d')))
  await measure('scroll goroutine tracks (wheel)', Array.from({ length: 60 }, () => wheel(400)))

  console.log('')
  console.log('| scenario | frames (previews) | frame p50 / p95 / max ms | settle p50 / p95 / max ms | renderer RSS after |')
  console.log('|---|---|---|---|---|')
  for (const r of results) {
    const f = quantiles(r.frames)
    const st = quantiles(r.settle)
    console.log(`| ${r.label} | ${r.frames.length} (${r.previews}) | ${f ? `${f.p50} / ${f.p95} / ${f.max}` : '-'} | ${st ? `${st.p50} / ${st.p95} / ${st.max}` : '-'} | ${r.memory.split(' (')[0]} |`)
  }
  console.log('')
  console.log(`trace: ${trace} (${(size / 1e6).toFixed(1)} MB) — ${facts?.trim()}`)
  console.log(`page timeline (ms since navigation): open ${opened.openAt?.toFixed(0)}, worker answer ${opened.loadedAt?.toFixed(0)}, first paint ${(opened.loadedAt + opened.firstPaintMs).toFixed(0)}`)
  console.log(`decode + model + analysis + tracks in the worker: ${(opened.decodeMs / 1000).toFixed(2)} s; worker answer reached the page after ${((opened.loadedAt - opened.openAt) / 1000).toFixed(2)} s; first paint ${opened.firstPaintMs.toFixed(1)} ms after that`)
  console.log(`renderer memory: ${rendererMemory()} (the largest process holds the page and its data worker)`)
  console.log(`renderer peak while loading (sampled every 250 ms): ${(peaks.model / 1e6).toFixed(0)} MB until the timeline is prepared (decode, model and leak analysis in the worker), ${(peaks.load / 1e6).toFixed(0)} MB in all`)
  const heap = await page.evaluate(() => (performance).memory?.usedJSHeapSize ?? 0)
  if (heap) console.log(`page JS heap (UI thread only, the worker's model excluded): ${(heap / 1e6).toFixed(0)} MB`)
} finally {
  loading = false
  await browser.close()
  stop()
}

// Frame time: from the animation frame that starts a frame to its pixels rasterised on the canvas (the page forces
// the raster when measuring), previews included. Settle time: from the first change of the view (or rows) to the
// exact frame that shows it, which includes waiting for the data worker's answer.
function report({ label, frames, previews, settle, memory }) {
  const f = quantiles(frames)
  if (!f) return console.log(`${label}: no frames`)
  const verdict = Number(f.p95) <= 16 ? 'OK (p95 ≤ 16 ms)' : 'OVER BUDGET (p95 > 16 ms)'
  const st = quantiles(settle)
  console.log(
    `${label}: ${frames.length} frames (${previews} previews), frame p50 ${f.p50} ms, p95 ${f.p95} ms, max ${f.max} ms — ${verdict}; ` +
      `settle p50 ${st?.p50 ?? '-'} ms, p95 ${st?.p95 ?? '-'} ms, max ${st?.max ?? '-'} ms; renderer ${memory}`,
  )
}

function quantiles(values) {
  if (!values.length) return null
  const s = values.slice().sort((a, b) => a - b)
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1)
  return { p50: q(0.5), p95: q(0.95), max: s[s.length - 1].toFixed(1) }
}

function rendererMemory() {
  const sizes = rendererRss()
  const total = sizes.reduce((a, b) => a + b, 0)
  return `${(total / 1e6).toFixed(0)} MB RSS (${sizes.map((rss) => `${(rss / 1e6).toFixed(0)} MB`).join(' + ')})`
}

async function waitFor(url) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not come up`)
}
