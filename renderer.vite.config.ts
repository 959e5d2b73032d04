// The one renderer build: used by electron-vite (desktop) and by plain vite (browser mode, web e2e specs).
import { resolve } from 'node:path'
import { readFileSync } from 'node:fs'
import type { UserConfig } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { RENDERER_CSP } from './src-main/security'

const r = (p: string) => resolve(import.meta.dirname, p)
const pkg = JSON.parse(readFileSync(r('package.json'), 'utf8')) as { version: string }

export const rendererConfig: UserConfig = {
  root: r('src-renderer'),
  base: './',
  publicDir: r('src-renderer/public'),
  resolve: { alias: { '@shared': r('src-shared') } },
  define: { __LIFELINE_VERSION__: JSON.stringify(pkg.version) },
  plugins: [svelte({ configFile: r('svelte.config.js') })],
  worker: { format: 'es' },
  build: {
    outDir: r('out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    rollupOptions: { input: { index: r('src-renderer/index.html') } },
  },
  server: { host: '127.0.0.1' },
  // The desktop's policy (src-main/protocol.ts sends it with every file), so that the web specs run under it too.
  preview: { host: '127.0.0.1', headers: { 'Content-Security-Policy': RENDERER_CSP } },
}

export default rendererConfig
