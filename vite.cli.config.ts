// Builds the `lifeline` CLI into one Node ESM file (out/cli/lifeline.js); run by `npm run build:cli` and `prepare`.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const r = (p: string) => resolve(import.meta.dirname, p)
const pkg = JSON.parse(readFileSync(r('package.json'), 'utf8')) as { version: string }

export default defineConfig({
  resolve: { alias: { '@shared': r('src-shared') } },
  define: { __LIFELINE_VERSION__: JSON.stringify(pkg.version) },
  build: {
    ssr: r('src-cli/main.ts'),
    outDir: r('out/cli'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rollupOptions: { output: { entryFileNames: 'lifeline.js', format: 'es' } },
  },
  ssr: { target: 'node', noExternal: true },
  logLevel: 'warn',
})
