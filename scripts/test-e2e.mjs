#!/usr/bin/env node
// Runs the Playwright specs. Builds the desktop app first (no Electron binary needed for that). Where an Electron
// binary exists on Linux without a display, the run goes through xvfb-run so the electron project can open windows.
import { spawnSync } from 'node:child_process'
import { findElectron } from './electron-binary.mjs'

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

run('npx', ['electron-vite', 'build', '--logLevel', 'warn'])
const args = ['playwright', 'test', ...process.argv.slice(2)]
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY && findElectron() !== undefined
if (needsDisplay && spawnSync('which', ['xvfb-run']).status === 0) run('xvfb-run', ['-a', 'npx', ...args])
else run('npx', args)
