// Serving the built renderer over app://lifeline/ with path-traversal checks and security headers.
import { extname, join, normalize, relative, isAbsolute } from 'node:path'
import { RENDERER_CSP } from './security'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.trace': 'application/octet-stream',
  '.wasm': 'application/wasm',
}

/**
 * Maps an app:// URL to a file inside `root`, or null when it would escape it (`..`, encoded separators, absolute
 * paths) or is not for our host. `/` serves index.html.
 */
export function resolveAppPath(requestUrl: string, root: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.host !== 'lifeline') return null
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  if (pathname === '/' || pathname === '') pathname = '/index.html'
  const candidate = normalize(join(root, pathname))
  const rel = relative(root, candidate)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null
  return candidate
}

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/** Headers on every app:// response: the CSP, no sniffing, and cross-origin isolation for SharedArrayBuffer. */
export function responseHeaders(path: string): Record<string, string> {
  return {
    'Content-Type': contentTypeFor(path),
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  }
}
