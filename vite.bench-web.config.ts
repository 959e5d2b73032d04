// Builds the Chromium decode benchmark's page and workers (bench/web) into out/bench-web, for bench/chromium-decode.mjs.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const r = (p: string) => resolve(import.meta.dirname, p)

export default defineConfig({
  root: r('bench/web'),
  base: './',
  resolve: { alias: { '@shared': r('src-shared') } },
  worker: { format: 'es' },
  build: { outDir: r('out/bench-web'), emptyOutDir: true, target: 'chrome130', minify: false },
  logLevel: 'warn',
})
