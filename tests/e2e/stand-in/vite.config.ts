// Builds the stand-in preload (bridge.ts) into one classic script for page.addInitScript.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const r = (p: string) => resolve(import.meta.dirname, '../../..', p)

export default defineConfig({
  publicDir: false,
  resolve: { alias: { '@shared': r('src-shared') } },
  build: {
    outDir: r('out/e2e'),
    emptyOutDir: false,
    minify: false,
    target: 'chrome130',
    lib: { entry: r('tests/e2e/stand-in/bridge.ts'), formats: ['iife'], name: 'lifelineStandIn', fileName: () => 'stand-in-bridge.js' },
  },
})
