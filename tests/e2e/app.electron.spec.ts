import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { findElectron, NO_ELECTRON_REASON } from '../../scripts/electron-binary.mjs'
import { launchApp } from './electron-app'

const binary = findElectron()
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }

test.skip(!binary, NO_ELECTRON_REASON)

test('the desktop app opens a secured window with the preload bridge', async () => {
  const { app, win } = await launchApp(binary!)
  try {
    expect(await app.evaluate(({ app }) => app.getVersion())).toBe(pkg.version)
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
