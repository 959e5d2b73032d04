import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hardenSession, hardenWebContents, isAllowedNavigation, isTrustedSender, RENDERER_CSP, webPreferences } from '../../../src-main/security'
import { resolveAppPath, responseHeaders } from '../../../src-main/protocol'

describe('IPC sender validation', () => {
  it('trusts only our app:// origin in production', () => {
    expect(isTrustedSender('app://lifeline/index.html')).toBe(true)
    expect(isTrustedSender('app://evil/index.html')).toBe(false)
    expect(isTrustedSender('https://lifeline/index.html')).toBe(false)
    expect(isTrustedSender('file:///tmp/index.html')).toBe(false)
    expect(isTrustedSender('app://lifeline.evil.com/')).toBe(false)
    expect(isTrustedSender(undefined)).toBe(false)
    expect(isTrustedSender('not a url')).toBe(false)
  })
  it('trusts the dev server origin only when main itself loaded it from loopback', () => {
    expect(isTrustedSender('http://127.0.0.1:5173/', 'http://127.0.0.1:5173')).toBe(true)
    expect(isTrustedSender('http://127.0.0.1:5174/', 'http://127.0.0.1:5173')).toBe(false)
    expect(isTrustedSender('http://127.0.0.1.evil.com:5173/', 'http://127.0.0.1:5173')).toBe(false)
    expect(isTrustedSender('http://example.com:5173/', 'http://example.com:5173')).toBe(false)
    expect(isTrustedSender('http://127.0.0.1:5173/')).toBe(false)
  })
})

describe('navigation', () => {
  it('allows only same-page changes', () => {
    expect(isAllowedNavigation('app://lifeline/index.html#x', 'app://lifeline/index.html')).toBe(true)
    expect(isAllowedNavigation('https://example.com/', 'app://lifeline/index.html')).toBe(false)
    expect(isAllowedNavigation('app://lifeline/other.html', 'app://lifeline/index.html')).toBe(false)
    expect(isAllowedNavigation('javascript:alert(1)', 'app://lifeline/index.html')).toBe(false)
  })
})

describe('app:// protocol', () => {
  const root = '/srv/renderer'
  it('serves files inside the renderer folder', () => {
    expect(resolveAppPath('app://lifeline/', root)).toBe('/srv/renderer/index.html')
    expect(resolveAppPath('app://lifeline/assets/index-1.js', root)).toBe('/srv/renderer/assets/index-1.js')
  })
  it('refuses traversal, encoded separators, NUL bytes and other hosts', () => {
    // The URL parser already folds literal `..` segments, so this stays inside the root.
    expect(resolveAppPath('app://lifeline/../../etc/passwd', root)).toBe('/srv/renderer/etc/passwd')
    expect(resolveAppPath('app://lifeline/%2e%2e/%2e%2e/etc/passwd', root)).toBe('/srv/renderer/etc/passwd')
    expect(resolveAppPath('app://lifeline/assets/..%2f..%2f..%2fetc/passwd', root)).toBeNull()
    expect(resolveAppPath('app://lifeline/a%5c..%5c..%5csecret', root)).toBeNull()
    expect(resolveAppPath('app://lifeline/a%00b', root)).toBeNull()
    expect(resolveAppPath('app://other/index.html', root)).toBeNull()
    expect(resolveAppPath('app://lifeline/%E0%A4%A', root)).toBeNull()
  })
  it('sends the CSP and cross-origin isolation headers with the right type', () => {
    const h = responseHeaders('/srv/renderer/index.html')
    expect(h['Content-Type']).toBe('text/html; charset=utf-8')
    expect(h['Content-Security-Policy']).toBe(RENDERER_CSP)
    // WebAssembly may be compiled (the event store's encoder), JavaScript may not be evaluated nor inlined.
    expect(RENDERER_CSP).toContain("script-src 'self' 'wasm-unsafe-eval'")
    expect(RENDERER_CSP).not.toMatch(/script-src[^;]*'unsafe-/)
    expect(h['Cross-Origin-Opener-Policy']).toBe('same-origin')
  })
})

describe('the security checklist, as code', () => {
  const read = (p: string) => readFileSync(join(import.meta.dirname, '../../..', p), 'utf8')

  it('gives every window isolated, sandboxed, Node-free preferences', () => {
    expect(webPreferences('/app/preload.cjs')).toEqual({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    })
    const main = read('src-main/index.ts')
    // Every window is made with those preferences, and every WebContents gets the guards below.
    expect(main.match(/new BrowserWindow\(/g)).toHaveLength(main.match(/webPreferences: webPreferences\(/g)!.length)
    expect(main).toContain("app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))")
    expect(main).toContain('hardenSession(session.defaultSession)')
    expect(main).not.toMatch(/openExternal|enableBlinkFeatures|nodeIntegration: true|sandbox: false|webSecurity: false/)
  })

  it('denies new windows, navigation and redirects away from the page, and <webview>', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>()
    let openHandler: ((d: { url: string }) => { action: string }) | null = null
    hardenWebContents({
      getURL: () => 'app://lifeline/index.html',
      setWindowOpenHandler: (h) => void (openHandler = h),
      on: (event: string, listener: (event: { preventDefault(): void }, url: string) => void) => listeners.set(event, listener),
    })
    expect(openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    const prevented = (event: string, url: string) => {
      let p = false
      listeners.get(event)!({ preventDefault: () => void (p = true) }, url)
      return p
    }
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(prevented(event, 'https://example.com/')).toBe(true)
      expect(prevented(event, 'file:///etc/passwd')).toBe(true)
      expect(prevented(event, 'app://lifeline/other.html')).toBe(true)
      expect(prevented(event, 'app://lifeline/index.html#goroutine-7')).toBe(false)
    }
    expect(prevented('will-attach-webview', '')).toBe(true)
  })

  it('refuses every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null
    let check: ((c: unknown, p: string) => boolean) | null = null
    hardenSession({ setPermissionRequestHandler: (h) => void (request = h), setPermissionCheckHandler: (h) => void (check = h) })
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      let granted: boolean | null = null
      request!(null, permission, (g) => (granted = g))
      expect(granted).toBe(false)
      expect(check!(null, permission)).toBe(false)
    }
  })

  it('has the same CSP in the page (dev server) as in the app:// headers', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(read('src-renderer/index.html'))![1]
    // frame-ancestors is ignored in a <meta> CSP: only the header carries it.
    expect(meta).toBe(RENDERER_CSP.replace(/; frame-ancestors 'none'/, ''))
  })

  it('exposes one purpose-built bridge from the preload, never ipcRenderer itself', () => {
    const preload = read('src-main/preload/index.ts')
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1)
    expect(preload).toContain("contextBridge.exposeInMainWorld('lifelineBridge', bridge)")
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/)
    expect(preload).not.toMatch(/ipcRenderer\.(send|sendSync)\(/)
  })

  it('packages with the fuses that close Node entry points, keeping only what Playwright needs', () => {
    const yml = read('electron-builder.yml')
    const fuse = (name: string) => new RegExp(`^\\s+${name}: (true|false)$`, 'm').exec(yml)?.[1]
    expect(fuse('runAsNode')).toBe('false')
    expect(fuse('enableNodeOptionsEnvironmentVariable')).toBe('false')
    expect(fuse('enableCookieEncryption')).toBe('true')
    expect(fuse('enableEmbeddedAsarIntegrityValidation')).toBe('true')
    expect(fuse('onlyLoadAppFromAsar')).toBe('true')
    // On so that Playwright can drive a packaged build (see the comment in electron-builder.yml).
    expect(fuse('enableNodeCliInspectArguments')).toBe('true')
    // The decoder process ships with main.
    expect(yml).toMatch(/^\s+- out\/main\/\*\*$/m)
  })
})
