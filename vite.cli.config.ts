// Builds the `lifeline` CLI into Node ESM files (out/cli/lifeline.js and its decoder thread, order-worker.js); run by `npm run build:cli` and `prepare`.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const r = (p: string) => resolve(import.meta.dirname, p)
const pkg = JSON.parse(readFileSync(r('package.json'), 'utf8')) as { version: string }

export default defineConfig({
  resolve: { alias: { '@shared': r('src-shared') } },
  define: { __LIFELINE_VERSION__: JSON.stringify(pkg.version) },
  build: {
    ssr: true,
    outDir: r('out/cli'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    // The CLI, and the decoder's helper thread it starts (src-cli/order-thread.ts finds it next to lifeline.js).
    rollupOptions: { input: { lifeline: r('src-cli/main.ts'), 'order-worker': r('src-cli/order-worker.ts') }, output: { entryFileNames: '[name].js', format: 'es' } },
  },
  ssr: { target: 'node', noExternal: true },
  logLevel: 'warn',
})
