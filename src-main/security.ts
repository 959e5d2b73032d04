// The security baseline every window gets: which origins may talk to main, where a page may navigate, and the CSP.

/** The custom scheme the packaged renderer is served from (instead of file://). */
export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://lifeline`

/**
 * Content Security Policy for the renderer: only our own scripts and workers, no remote anything. `blob:` images are
 * for canvas snapshots; inline styles are needed by Svelte's style directives (CSSOM is not affected by CSP).
 * 'wasm-unsafe-eval' lets the decoding workers compile the event store's WebAssembly (src-wasm), which the module
 * carries with it; it allows no JavaScript eval.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * Is this frame URL one of ours? In production that is the app:// origin; in development, the electron-vite dev
 * server URL that main itself loaded (passed in, never taken from the page). Parsed with URL, never prefix-matched.
 */
export function isTrustedSender(frameUrl: string | undefined, devServerUrl?: string): boolean {
  if (!frameUrl) return false
  let url: URL
  try {
    url = new URL(frameUrl)
  } catch {
    return false
  }
  if (url.protocol === `${APP_SCHEME}:` && url.host === 'lifeline') return true
  if (devServerUrl) {
    try {
      const dev = new URL(devServerUrl)
      return url.origin === dev.origin && (dev.hostname === '127.0.0.1' || dev.hostname === 'localhost')
    } catch {
      return false
    }
  }
  return false
}

/** Navigation is allowed only within the page we loaded (e.g. hash changes); everything else is denied. */
export function isAllowedNavigation(targetUrl: string, currentUrl: string): boolean {
  try {
    const target = new URL(targetUrl)
    const current = new URL(currentUrl)
    return target.origin === current.origin && target.pathname === current.pathname
  } catch {
    return false
  }
}

/**
 * Every window's webPreferences: context isolation, the sandbox, no Node anywhere in the page (frames and workers
 * included), web security on, no insecure content, no experimental or Blink features, no <webview>, no navigation by
 * dropping a file on the window.
 */
export const WEB_PREFERENCES = {
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
} as const

export function webPreferences(preload: string): typeof WEB_PREFERENCES & { preload: string } {
  return { ...WEB_PREFERENCES, preload }
}

/** The slice of Electron's WebContents the guards attach to. */
export interface WebContentsLike {
  getURL(): string
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown
}

/**
 * Guards for every WebContents the app creates (main attaches them on 'web-contents-created'): no new windows, no
 * navigation or redirect away from the loaded page, no <webview>.
 */
export function hardenWebContents(contents: WebContentsLike): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!isAllowedNavigation(url, contents.getURL())) event.preventDefault()
  }
  contents.on('will-navigate', guard)
  contents.on('will-redirect', guard)
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** The slice of Electron's Session the permission handlers are set on. */
export interface SessionLike {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void
}

/** The app needs no permission (camera, notifications, clipboard, ...): every request and check is refused. */
export function hardenSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}
