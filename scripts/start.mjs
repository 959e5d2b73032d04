#!/usr/bin/env node
// `npm start [trace]`: builds if the sources changed, then opens the desktop app. Where no Electron binary is
// installed (it cannot be downloaded here), says so in one sentence and serves the same renderer to a browser.
// `npm run web [trace]` goes straight to the browser mode.
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findElectron } from './electron-binary.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const webOnly = args.includes('--web')
const files = args.filter((a) => !a.startsWith('--')).map((f) => resolve(process.cwd(), f))
const port = Number(process.env.PORT ?? 5183)

function newest(dir) {
  let t = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

function buildIfNeeded() {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(root, p))
  const built = outputs.every(existsSync) ? Math.min(...outputs.map((p) => statSync(p).mtimeMs)) : 0
  const sources = Math.max(...['src-main', 'src-renderer', 'src-shared'].map((d) => newest(join(root, d))))
  if (built > sources) return
  console.log('Building Lifeline…')
  const r = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

function serveWeb() {
  // Files named on the command line are copied next to the renderer and opened by URL.
  const opened = join(root, 'out/renderer/opened')
  const query = []
  for (const f of files) {
    if (!existsSync(f)) {
      console.error(`lifeline: ${f}: no such file`)
      process.exit(2)
    }
    mkdirSync(opened, { recursive: true })
    copyFileSync(f, join(opened, basename(f)))
    query.push('open=' + encodeURIComponent('opened/' + basename(f)))
  }
  const url = `http://127.0.0.1:${port}/${query.length ? '?' + query.join('&') : ''}`
  const server = spawn(
    'npx',
    ['vite', 'preview', '--config', 'renderer.vite.config.ts', '--port', String(port), '--strictPort'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  )
  console.log(`Lifeline is running in browser mode: open ${url}`)
  server.on('exit', (code) => process.exit(code ?? 0))
  process.on('SIGINT', () => server.kill('SIGINT'))
}

buildIfNeeded()
const exe = webOnly ? undefined : findElectron()?.path
if (webOnly) serveWeb()
else if (!exe) {
  console.log('The Electron binary is not installed and cannot be downloaded here (`npx install-electron --no` needs GitHub access), so Lifeline opens in your browser instead.')
  serveWeb()
} else {
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  const child = spawn(exe, [root, ...files], { stdio: 'inherit', env })
  child.on('exit', (code) => process.exit(code ?? 0))
}
