// The security baseline every window gets: which origins may talk to main, where a page may navigate, and the CSP.

/** The custom scheme the packaged renderer is served from (instead of file://). */
export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://lifeline`

/**
 * Content Security Policy for the renderer: only our own scripts and workers, no remote anything. `blob:` images are
 * for canvas snapshots; inline styles are needed by Svelte's style directives (CSSOM is not affected by CSP).
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
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
