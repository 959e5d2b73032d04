// Launching the built desktop app (out/, from `electron-vite build`; scripts/test-e2e.mjs builds first) for the
// Electron specs, and the main-process hooks they use through electronApp.evaluate: native dialogs answered by the
// test, and a record of the decoder processes main forks. Never require('electron') here: the specs skip themselves
// (NO_ELECTRON_REASON) when findElectron() finds no binary.
import { _electron as electron, expect, type ElectronApplication, type Page } from '@playwright/test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ElectronBinary } from '../../scripts/electron-binary.mjs'

export interface Launched {
  app: ElectronApplication
  win: Page
}

/**
 * Starts the app with extra command-line arguments (trace paths) and waits for its first window. Without the warm
 * spare decoder process (see src-main/decoder/supervisor.ts) unless `spare` says when it comes: the specs count and
 * replace the decoder processes an open forks, and a spare made meanwhile would take the open instead.
 */
export async function launchApp(binary: ElectronBinary, args: string[] = [], opts: { spareDelayMs?: number } = {}): Promise<Launched> {
  const env = { ...process.env } as Record<string, string>
  delete env.ELECTRON_RUN_AS_NODE
  if (opts.spareDelayMs === undefined) env.LIFELINE_DECODER_SPARE = '0'
  else env.LIFELINE_SPARE_DELAY_MS = String(opts.spareDelayMs)
  // A profile of its own: a Lifeline the user has open would otherwise hold the single-instance lock (this one would
  // quit at once), and the specs would write to the user's recent list.
  env.LIFELINE_USER_DATA = mkdtempSync(join(tmpdir(), 'lifeline-e2e-'))
  // Always the binary findElectron() found: left to itself, Playwright would require('electron'), which downloads.
  const app = await electron.launch({
    executablePath: binary.path,
    args: ['.', ...args.map((a) => resolve(a))],
    env,
  })
  await recordDecoders(app)
  const win = await app.firstWindow()
  await win.waitForLoadState('domcontentloaded')
  return { app, win }
}

/** Answers the next open dialogs in main with these files (as if the user picked them). */
export async function answerOpenDialog(app: ElectronApplication, path: string): Promise<void> {
  await app.evaluate(({ dialog }, file) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [file] })) as typeof dialog.showOpenDialog
  }, resolve(path))
}

/** Answers the next save dialogs in main with this path. */
export async function answerSaveDialog(app: ElectronApplication, path: string): Promise<void> {
  await app.evaluate(({ dialog }, file) => {
    dialog.showSaveDialog = (async () => ({ canceled: false, filePath: file })) as typeof dialog.showSaveDialog
  }, resolve(path))
}

interface DecoderRecord {
  modulePath: string
  args: string[]
  serviceName: string
  exit: number | null
}

/**
 * Wraps utilityProcess.fork so the specs see every decoder process main starts and how it ended. With `replace`,
 * the given module runs instead of the decoder (a stand-in that crashes or hangs).
 */
export async function recordDecoders(app: ElectronApplication, replace?: string): Promise<void> {
  await app.evaluate(({ utilityProcess }, stand) => {
    const g = globalThis as unknown as { __decoders?: DecoderRecord[]; __fork?: typeof utilityProcess.fork }
    g.__decoders ??= []
    g.__fork ??= utilityProcess.fork.bind(utilityProcess)
    const fork = g.__fork
    utilityProcess.fork = ((modulePath: string, args?: string[], options?: Electron.ForkOptions) => {
      const record: DecoderRecord = { modulePath, args: args ?? [], serviceName: options?.serviceName ?? '', exit: null }
      g.__decoders!.push(record)
      const child = fork(stand ?? modulePath, args, options)
      child.on('exit', (code) => (record.exit = code))
      return child
    }) as typeof utilityProcess.fork
  }, replace ?? null)
}

export async function decoders(app: ElectronApplication): Promise<DecoderRecord[]> {
  return app.evaluate(() => (globalThis as unknown as { __decoders?: DecoderRecord[] }).__decoders ?? [])
}

/**
 * Makes main refuse chunked file reads, so a spec proves an open never pulls the trace's bytes through main (the
 * decoder process reads the file itself). Returns how to count the refused attempts.
 */
export async function forbidChunkReads(app: ElectronApplication): Promise<() => Promise<number>> {
  await app.evaluate(({ ipcMain }) => {
    const g = globalThis as unknown as { __chunkReads: number }
    g.__chunkReads = 0
    ipcMain.removeHandler('file:read-chunk')
    ipcMain.handle('file:read-chunk', () => {
      g.__chunkReads++
      throw new Error('main must not read trace bytes for an open')
    })
  })
  return () => app.evaluate(() => (globalThis as unknown as { __chunkReads: number }).__chunkReads)
}

/**
 * Drops files on the window the way the OS does: disk-backed File objects (taken from a file input the test fills,
 * so webUtils.getPathForFile knows their paths) in a DataTransfer, dispatched as a drop on the main area.
 */
export async function dropFiles(win: Page, paths: string[]): Promise<void> {
  await win.evaluate(() => {
    if (document.getElementById('e2e-drop-source')) return
    const input = document.createElement('input')
    input.type = 'file'
    input.multiple = true
    input.hidden = true
    input.id = 'e2e-drop-source'
    document.body.append(input)
  })
  await win.setInputFiles('#e2e-drop-source', paths.map((p) => resolve(p)))
  const transfer = await win.evaluateHandle(() => {
    const dt = new DataTransfer()
    for (const f of (document.getElementById('e2e-drop-source') as HTMLInputElement).files ?? []) dt.items.add(f)
    return dt
  })
  await win.locator('main').dispatchEvent('drop', { dataTransfer: transfer })
}

export async function waitForTrace(win: Page, name: string): Promise<void> {
  await expect(win.getByTestId('current-file')).toHaveText(name, { timeout: 30_000 })
  await expect(win.getByTestId('progress')).toHaveCount(0)
}
