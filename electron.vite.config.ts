// Desktop build: main process, decoder process and sandboxed preload from src-main, the renderer from the shared renderer config.
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { rendererConfig } from './renderer.vite.config'

const r = (p: string) => resolve(import.meta.dirname, p)
const alias = { '@shared': r('src-shared') }

export default defineConfig({
  main: {
    resolve: { alias },
    // Three entries: the main process, the decoder it forks as a utilityProcess (out/main/decoder.js), and the
    // decoder's helper thread (out/main/order-worker.js, see src-cli/order-thread.ts).
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: r('src-main/index.ts'), decoder: r('src-main/decoder/process.ts'), 'order-worker': r('src-cli/order-worker.ts') } },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: r('src-main/preload/index.ts') },
        // Sandboxed preloads cannot be ESM: CommonJS in a .cjs file (package.json says "type": "module").
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
})
