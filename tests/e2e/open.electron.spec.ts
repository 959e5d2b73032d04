// Opening traces in the desktop app, end to end: a file named on the command line, the Open dialog (answered in
// main), a file dropped on the window. Each is decoded by a decoder process (a utilityProcess) that reads the file
// itself and sends the events to the window's data worker: main never reads the trace's bytes. A crashing decoder is
// reported in the window (the app and the open trace stay), and Cancel kills the decoder process. The warm spare
// decoder process is off (launchApp) except in the spec about it.
import { expect, test } from '@playwright/test'
import { writeFileSync } from 'node:fs'
import { findElectron, NO_ELECTRON_REASON } from '../../scripts/electron-binary.mjs'
import { answerOpenDialog, decoders, dropFiles, forbidChunkReads, launchApp, recordDecoders, waitForTrace } from './electron-app'

const binary = findElectron()
test.skip(!binary, NO_ELECTRON_REASON)

const TRACE = 'traces/timeout-leak/timeout-leak.go126.trace'
const SAMPLE = 'leaky-fetch.go126.trace'

test('a trace named on the command line opens in the first window', async () => {
  const { app, win } = await launchApp(binary!, [TRACE])
  try {
    await waitForTrace(win, 'timeout-leak.go126.trace')
    await expect(win.getByTestId('app-version')).toContainText('electron')
    const leak = win.getByTestId('leak-row').first()
    await expect(leak).toContainText('main.query')
    await expect(leak).toContainText('8×')
    await expect(win.getByTestId('error')).toHaveCount(0)
    // The bundled sample did not open over it.
    await win.waitForTimeout(500)
    await expect(win.getByTestId('current-file')).toHaveText('timeout-leak.go126.trace')
  } finally {
    await app.close()
  }
})

test('Open trace… asks main for the native dialog; a decoder process streams the file to the window', async () => {
  const { app, win } = await launchApp(binary!)
  try {
    await waitForTrace(win, SAMPLE)
    const chunkReads = await forbidChunkReads(app)
    await answerOpenDialog(app, TRACE)
    await win.getByTestId('open-trace').click()
    await waitForTrace(win, 'timeout-leak.go126.trace')
    await expect(win.getByTestId('leak-row').first()).toContainText('main.query')
    expect(await chunkReads()).toBe(0)
    const started = await decoders(app)
    expect(started).toHaveLength(1)
    expect(started[0]!.modulePath).toMatch(/[\\/]out[\\/]main[\\/]decoder\.js$/)
    expect(started[0]!.serviceName).toMatch(/^Lifeline decoder \d+$/)
    // Once the window has everything it lets go of the port, and the process ends by itself.
    await expect.poll(async () => (await decoders(app))[0]!.exit, { timeout: 10_000 }).toBe(0)
    // Ctrl+O is the same dialog.
    await answerOpenDialog(app, 'traces/compare/timeout-leak.x3.go126.trace')
    await win.keyboard.press('Control+o')
    await waitForTrace(win, 'timeout-leak.x3.go126.trace')
    await expect(win.getByTestId('leak-row').first()).toContainText('24×')
    expect(await decoders(app)).toHaveLength(2)
  } finally {
    await app.close()
  }
})

test('a file dropped on the window opens (after asking, since a trace is open) through a decoder process', async () => {
  const { app, win } = await launchApp(binary!)
  try {
    await waitForTrace(win, SAMPLE)
    const chunkReads = await forbidChunkReads(app)
    await dropFiles(win, [TRACE])
    await expect(win.getByTestId('drop-choice')).toBeVisible()
    await win.getByTestId('drop-open').click()
    await waitForTrace(win, 'timeout-leak.go126.trace')
    await expect(win.getByTestId('leak-row').first()).toContainText('main.query')
    expect(await chunkReads()).toBe(0)
    expect((await decoders(app)).length).toBeGreaterThanOrEqual(1)
  } finally {
    await app.close()
  }
})

test('a decoder process that crashes is reported in the window; the app and the open trace stay', async () => {
  const { app, win } = await launchApp(binary!)
  try {
    await waitForTrace(win, SAMPLE)
    // A stand-in decoder that dies the way V8 does when the heap is exhausted.
    const crash = test.info().outputPath('crashing-decoder.cjs')
    writeFileSync(crash, "process.parentPort.once('message', () => process.exit(134))\n")
    await recordDecoders(app, crash)
    await answerOpenDialog(app, TRACE)
    await win.getByTestId('open-trace').click()
    await expect(win.getByTestId('error')).toContainText('Could not open timeout-leak.go126.trace: the decoder ran out of memory and was stopped', { timeout: 30_000 })
    await expect(win.getByTestId('current-file')).toHaveText(SAMPLE)
    await expect(win.getByTestId('progress')).toHaveCount(0)
    expect((await decoders(app)).at(-1)!.exit).toBe(134)
    expect(app.windows()).toHaveLength(1)
    expect(await app.evaluate(({ app }) => app.isReady())).toBe(true)
  } finally {
    await app.close()
  }
})

test('Cancel stops the open by killing the decoder process', async () => {
  const { app, win } = await launchApp(binary!)
  try {
    await waitForTrace(win, SAMPLE)
    // A stand-in decoder that never answers, so the open is still in progress when Cancel is pressed.
    const hang = test.info().outputPath('hanging-decoder.cjs')
    writeFileSync(hang, "process.parentPort.once('message', (e) => e.ports[0].start())\nsetInterval(() => {}, 1000)\n")
    await recordDecoders(app, hang)
    await answerOpenDialog(app, TRACE)
    await win.getByTestId('open-trace').click()
    await expect(win.getByTestId('progress')).toBeVisible()
    await expect.poll(async () => (await decoders(app)).length).toBe(1)
    await win.getByTestId('cancel-open').click()
    await expect(win.getByTestId('progress')).toHaveCount(0)
    await expect.poll(async () => (await decoders(app))[0]!.exit, { timeout: 10_000 }).not.toBeNull()
    await expect(win.getByTestId('error')).toHaveCount(0)
    await expect(win.getByTestId('current-file')).toHaveText(SAMPLE)
  } finally {
    await app.close()
  }
})

test('a warm spare decoder process is ready a while after launch, takes the next open, and another follows it', async () => {
  const { app, win } = await launchApp(binary!, [], { spareDelayMs: 1500 })
  try {
    await waitForTrace(win, SAMPLE)
    // The spare: forked with the bundled sample to warm itself on, and waiting.
    await expect.poll(async () => (await decoders(app)).length, { timeout: 15_000 }).toBe(1)
    const [spare] = await decoders(app)
    expect(spare!.args).toEqual(['--warm-with', expect.stringMatching(/[\\/]renderer[\\/]samples[\\/]leaky-fetch\.go126\.trace$/)])
    expect(spare!.exit).toBeNull()
    await answerOpenDialog(app, TRACE)
    await win.getByTestId('open-trace').click()
    await waitForTrace(win, 'timeout-leak.go126.trace')
    await expect(win.getByTestId('leak-row').first()).toContainText('main.query')
    await expect(win.getByTestId('error')).toHaveCount(0)
    // The open took the spare: no process was forked for it, only spares; the spare ends once the window has
    // everything, and a new one comes after it.
    await expect.poll(async () => (await decoders(app))[0]!.exit, { timeout: 10_000 }).toBe(0)
    await expect.poll(async () => (await decoders(app)).length, { timeout: 15_000 }).toBe(2)
    const all = await decoders(app)
    expect(all.every((d) => d.args[0] === '--warm-with')).toBe(true)
    expect(all[1]!.exit).toBeNull()
    // The next open takes that one.
    await answerOpenDialog(app, 'traces/compare/timeout-leak.x3.go126.trace')
    await win.keyboard.press('Control+o')
    await waitForTrace(win, 'timeout-leak.x3.go126.trace')
    await expect(win.getByTestId('leak-row').first()).toContainText('24×')
    await expect.poll(async () => (await decoders(app))[1]!.exit, { timeout: 10_000 }).toBe(0)
    expect((await decoders(app)).every((d) => d.args[0] === '--warm-with')).toBe(true)
  } finally {
    await app.close()
  }
})
