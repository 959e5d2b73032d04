// Finds an Electron binary WITHOUT require('electron') (which, since Electron 42, starts a download that fails
// offline). Order: ELECTRON_EXEC_PATH (only it, when set), then node_modules/electron/{path.txt,dist/...} after
// `npx install-electron`. One finder for `npm start`, the end-to-end runner and the Electron specs.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'

export function findElectron() {
  const fromEnv = process.env.ELECTRON_EXEC_PATH
  if (fromEnv) return existsSync(fromEnv) ? { source: 'env', path: fromEnv } : undefined
  let dir
  try {
    dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return undefined
  }
  const pathTxt = join(dir, 'path.txt')
  if (!existsSync(pathTxt)) return undefined
  const exe = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim())
  return existsSync(exe) ? { source: 'node_modules', path: exe } : undefined
}

export const NO_ELECTRON_REASON =
  'Electron binary not installed: run `npx install-electron --no` (needs GitHub access) or set ELECTRON_EXEC_PATH'
