// Electron main process: one window per trace, the renderer served over app://, typed IPC with sender checks,
// navigation and new windows denied, permissions refused. Traces are decoded in a decoder process per open
// (decoder/process.ts) that streams the file and sends the events straight to the window over a message port: main
// only wires the port and watches the process, and keeps a warm spare one ready (decoder/supervisor.ts).
// (Comparisons still read bytes in bounded chunks over IPC.)
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  protocol,
  session,
  utilityProcess,
  type MenuItemConstructorOptions,
} from 'electron'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { OpenedFile } from '../src-shared/platform/api'
import { SAMPLE_TRACE } from '../src-renderer/src/lib/sample'
import { DecodeService } from './decoder/service'
import { DecoderSupervisor } from './decoder/supervisor'
import { FileRegistry } from './files'
import { expectString, registerHandlers, senderOf } from './ipc'
import { contentTypeFor, resolveAppPath, responseHeaders } from './protocol'
import { RecentFiles } from './recent'
import { menuTemplate, type MenuItemSpec } from './menu'
import { APP_ORIGIN, APP_SCHEME, hardenSession, hardenWebContents, webPreferences } from './security'

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
])

// A profile of its own (the recent list, the single-instance lock) when asked: the end-to-end specs run the app
// beside any Lifeline the user has open.
if (process.env.LIFELINE_USER_DATA) app.setPath('userData', process.env.LIFELINE_USER_DATA)

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const rendererRoot = join(import.meta.dirname, '../renderer')
const files = new FileRegistry()
const recent = new RecentFiles(join(app.getPath('userData'), 'recent.json'))
const pendingOpen = new Map<number, OpenedFile>()
// The decoder is the second entry of the main build (electron.vite.config.ts), next to this file. Its spare warms
// itself on the bundled sample, built into the renderer (absent under the dev server: the spare then only starts).
const sample = join(rendererRoot, SAMPLE_TRACE)
// The end-to-end specs that count or replace decoder processes turn it off (LIFELINE_DECODER_SPARE=0), and the one
// about it makes it come sooner.
const spare = process.env.LIFELINE_DECODER_SPARE === '0' ? null : {
  warmWith: existsSync(sample) ? sample : null,
  // After the window's first load and its first open (the sample, decoded in the page), which it would slow down.
  delayMs: Number(process.env.LIFELINE_SPARE_DELAY_MS) || 2000,
}
const supervisor = new DecoderSupervisor((modulePath, args, options) => utilityProcess.fork(modulePath, args, options), join(import.meta.dirname, 'decoder.js'), spare)
const decoders = new DecodeService({ supervisor, files, channel: () => new MessageChannelMain() })

/** Trace files named on the command line (`lifeline-app trace.out`). */
function tracePathsFromArgv(argv: string[]): string[] {
  return argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('-') && a !== '.')
}

async function openInWindow(path: string, win?: BrowserWindow): Promise<void> {
  const file = await files.grant(path)
  await remember(file)
  const target = win ?? createWindow()
  if (target.webContents.isLoading()) pendingOpen.set(target.webContents.id, file)
  else target.webContents.send('app:open-request', file)
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Lifeline',
    backgroundColor: '#14161a',
    webPreferences: webPreferences(join(import.meta.dirname, '../preload/index.cjs')),
  })
  // (New windows, navigation and <webview> are refused for every WebContents: see 'web-contents-created'.)
  win.webContents.on('did-finish-load', () => {
    const file = pendingOpen.get(win.webContents.id)
    if (file) {
      pendingOpen.delete(win.webContents.id)
      win.webContents.send('app:open-request', file)
    }
  })
  if (devServerUrl) void win.loadURL(devServerUrl)
  else void win.loadURL(`${APP_ORIGIN}/index.html`)
  return win
}

const openDialogOptions = {
  properties: ['openFile' as const],
  filters: [
    { name: 'Go execution traces', extensions: ['trace', 'out', 'bin'] },
    { name: 'All files', extensions: ['*'] },
  ],
}

/** Turns the menu's plain data into Electron items wired to main's actions or to page commands. */
function toElectronMenu(items: MenuItemSpec[]): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' }
    if (item.role) return { role: item.role as MenuItemConstructorOptions['role'], ...(item.label ? { label: item.label } : {}) }
    const out: MenuItemConstructorOptions = { label: item.label, accelerator: item.accelerator }
    // Single-letter accelerators are the page's own shortcuts; registering them globally would eat typing.
    if (item.accelerator && /^[A-Z]$|^Shift\+\/$|^Home$/.test(item.accelerator)) out.registerAccelerator = false
    if (item.submenu) out.submenu = toElectronMenu(item.submenu)
    if (item.command) {
      const command = item.command
      out.click = () => BrowserWindow.getFocusedWindow()?.webContents.send('app:command', command)
    } else if (item.action === 'open') {
      out.click = async () => {
        const result = await dialog.showOpenDialog(openDialogOptions)
        if (!result.canceled && result.filePaths[0]) await openInWindow(result.filePaths[0], BrowserWindow.getFocusedWindow() ?? undefined).catch(showOpenError)
      }
    } else if (item.action === 'open-recent' && item.recentPath) {
      const path = item.recentPath
      out.click = () => void openInWindow(path, BrowserWindow.getFocusedWindow() ?? undefined).catch(showOpenError)
    } else if (item.action === 'close-window') {
      out.click = () => BrowserWindow.getFocusedWindow()?.close()
    } else if (!item.submenu) out.enabled = false
    return out
  })
}

/** The window whose page asked (the focused one may be another by the time a handler runs). */
function windowOf(event: { sender?: { id: number } }): BrowserWindow | undefined {
  return BrowserWindow.getAllWindows().find((w) => w.webContents.id === event.sender?.id)
}

/** A file the user opened goes to the top of the recent list, and of the menu's Open Recent. */
async function remember(file: OpenedFile): Promise<void> {
  await recent.add(files.pathOf(file.id)!)
  void refreshMenu()
}

function showOpenError(err: unknown): void {
  dialog.showErrorBox('Lifeline could not open the file', err instanceof Error ? err.message : String(err))
}

async function refreshMenu(): Promise<void> {
  const paths = (await recent.list()).map((e) => e.path)
  Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronMenu(menuTemplate(paths, process.platform === 'darwin'))))
}

function registerIpc(): void {
  registerHandlers(
    ipcMain,
    {
      'app:version': () => app.getVersion(),
      'file:open-dialog': async (event) => {
        const win = windowOf(event)
        const result = win ? await dialog.showOpenDialog(win, openDialogOptions) : await dialog.showOpenDialog(openDialogOptions)
        if (result.canceled || result.filePaths.length === 0) return null
        const file = await files.grant(result.filePaths[0]!)
        await remember(file)
        return file
      },
      'file:adopt-path': async (_event, path) => {
        const file = await files.grant(expectString(path, 'path'))
        await remember(file)
        return file
      },
      'file:read-chunk': (_event, id, offset, length) => files.readChunk(id, offset, length),
      'file:save': async (event, name, contents, _mime) => {
        const options = { defaultPath: expectString(name, 'file name', 255) }
        const win = windowOf(event)
        const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
        if (result.canceled || !result.filePath) return null
        await writeFile(result.filePath, expectString(contents, 'contents', 512 << 20))
        return result.filePath
      },
      'decoder:start': (event, id) => decoders.start(senderOf(event), id),
      'decoder:cancel': (event, job) => decoders.cancel(senderOf(event), job),
      'recent:forget': async (_event, id) => {
        const path = files.pathOf(expectString(id, 'file id', 200))
        if (!path) return
        await recent.remove(path)
        await refreshMenu()
      },
      'recent:list': async () => {
        const entries = await recent.list()
        const out = []
        for (const e of entries) {
          try {
            const file = await files.grant(e.path)
            out.push({ id: file.id, name: file.name, openedAt: e.openedAt })
          } catch {
            // gone from disk: not offered
          }
        }
        return out
      },
    },
    devServerUrl,
  )
}

const gotLock = app.requestSingleInstanceLock()
if (!gotLock) {
  app.quit()
} else {
  // `lifeline-app trace.out` while Lifeline runs: the trace opens in this instance (its path is relative to where
  // that command ran); with no file, the first window comes to the front.
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const paths = tracePathsFromArgv(argv).map((p) => resolve(workingDirectory, p))
    for (const path of paths) void openInWindow(path).catch(showOpenError)
    if (paths.length > 0) return
    const [first] = BrowserWindow.getAllWindows()
    if (!first) createWindow()
    else {
      if (first.isMinimized()) first.restore()
      first.focus()
    }
  })
  // macOS: a trace opened from the Finder or the Dock. Before the app is ready (a launch by opening a trace), it is
  // opened with the command line's, once the app:// protocol and IPC are set up.
  const launchPaths: string[] = []
  app.on('open-file', (event, path) => {
    event.preventDefault()
    if (app.isReady()) void openInWindow(path).catch(showOpenError)
    else launchPaths.push(path)
  })
  app.whenReady().then(async () => {
    hardenSession(session.defaultSession)
    protocol.handle(APP_SCHEME, async (request) => {
      const path = resolveAppPath(request.url, rendererRoot)
      if (!path) return new Response('not found', { status: 404 })
      try {
        return new Response(await readFile(path), { headers: responseHeaders(path) })
      } catch {
        return new Response('not found', { status: 404, headers: { 'Content-Type': contentTypeFor(path) } })
      }
    })
    registerIpc()
    await refreshMenu()
    const paths = [...tracePathsFromArgv(process.argv), ...launchPaths]
    if (paths.length === 0) createWindow()
    for (const path of paths) await openInWindow(path).catch(() => createWindow())
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow()
    })
    supervisor.scheduleSpare()
  })
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))
  app.on('before-quit', () => supervisor.stopAll())
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
