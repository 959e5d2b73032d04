#!/usr/bin/env node
// `npm run traces:big -- --mb 100`: records a big trace for benchmarks (not committed) with the stress program in
// traces/stress, using the go on PATH (or `--go 1.21` for a legacy-format one). Writes traces/big/big-<N>mb[.go1NN].trace;
// `--shape churn` (a new goroutine per unit of work: millions of goroutines) writes big-<N>mb.churn[.go1NN].trace.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : dflt
}
const mb = Number(arg('--mb', '100'))
const version = arg('--go', null)
const shape = arg('--shape', 'pool')
if (!(mb > 0) || !['pool', 'churn'].includes(shape)) {
  console.error('usage: npm run traces:big -- --mb N [--go 1.21] [--shape pool|churn]')
  process.exit(2)
}
const root = version
  ? execFileSync(join(here, 'tools/go-toolchain.sh'), [version], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()
  : execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim()
const env = { ...process.env, GOROOT: root, PATH: `${root}/bin:${process.env.PATH}`, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' }
const exe = join(mkdtempSync(join(tmpdir(), 'lifeline-big-')), 'stress')
execFileSync(join(root, 'bin/go'), ['build', '-o', exe, './stress'], { cwd: here, env, stdio: 'inherit' })
mkdirSync(join(here, 'big'), { recursive: true })
const out = join(here, 'big', `big-${mb}mb${shape === 'churn' ? '.churn' : ''}${version ? '.go1' + version.split('.')[1] : ''}.trace`)
const started = Date.now()
const r = spawnSync(exe, [out, '-mb', String(mb), '-shape', shape], { env: { ...env, GOMAXPROCS: '4' }, stdio: 'inherit' })
if (r.status !== 0) process.exit(r.status ?? 1)
console.log(`wrote ${out}: ${(statSync(out).size / 2 ** 20).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`)
