import { _electron as electron, expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { findElectron, NO_ELECTRON_REASON } from './electron-binary'

const binary = findElectron()
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }

test.skip(!binary, NO_ELECTRON_REASON)

test('the desktop app opens a secured window with the preload bridge', async () => {
  const env = { ...process.env } as Record<string, string>
  delete env.ELECTRON_RUN_AS_NODE
  // From node_modules, Playwright resolves Electron itself (and injects its loader); an env path is used as given.
  // Always the binary findElectron() found: left to itself, Playwright would require('electron'), which downloads.
  const app = await electron.launch({ executablePath: binary!.path, args: ['.'], env })
  try {
    expect(await app.evaluate(({ app }) => app.getVersion())).toBe(pkg.version)
    const win = await app.firstWindow()
    await expect(win.getByTestId('app-version')).toHaveText(`electron ${pkg.version}`)
    expect(win.url()).toMatch(/^app:\/\/lifeline\//)
    // The page sees the bridge, never Node or Electron.
    const surface = await win.evaluate(() => ({
      bridge: Object.keys((window as unknown as { lifelineBridge: object }).lifelineBridge).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }))
    expect(surface).toEqual({
      bridge: ['adoptFile', 'appVersion', 'cancelDecode', 'onCommand', 'onDecoderEnded', 'onOpenRequest', 'openFile', 'readChunk', 'recentFiles', 'saveFile', 'startDecode'],
      require: 'undefined',
      process: 'undefined',
    })
    // New windows are denied.
    await win.evaluate(() => window.open('https://example.com'))
    expect(app.windows()).toHaveLength(1)
  } finally {
    await app.close()
  }
})
