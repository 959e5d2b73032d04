// Builds the benchmarks (bench/*.ts) into Node ESM files under out/bench.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const r = (p: string) => resolve(import.meta.dirname, p)

export default defineConfig({
  build: {
    ssr: true,
    outDir: r('out/bench'),
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    rollupOptions: { input: { decode: r('bench/decode.ts'), 'decode-one': r('bench/decode-one.ts'), 'order-worker': r('src-cli/order-worker.ts') }, output: { entryFileNames: '[name].js', format: 'es' } },
  },
  ssr: { target: 'node', noExternal: true },
  logLevel: 'warn',
})
