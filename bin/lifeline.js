#!/usr/bin/env node
// The `lifeline` command. The CLI is built into out/cli by `npm run build:cli` (run automatically by `npm ci`).
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const built = fileURLToPath(new URL('../out/cli/lifeline.js', import.meta.url))
if (!existsSync(built)) {
  process.stderr.write('lifeline: the CLI is not built; run `npm run build:cli` in the Lifeline folder\n')
  process.exit(2)
}
const { runProcess } = await import(pathToFileURL(built).href)
await runProcess()
