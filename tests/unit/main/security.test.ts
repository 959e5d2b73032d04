import { describe, expect, it } from 'vitest'
import { isAllowedNavigation, isTrustedSender, RENDERER_CSP } from '../../../src-main/security'
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
    expect(RENDERER_CSP).toContain("script-src 'self'")
    expect(RENDERER_CSP).not.toMatch(/script-src[^;]*unsafe/)
    expect(h['Cross-Origin-Opener-Policy']).toBe('same-origin')
  })
})
