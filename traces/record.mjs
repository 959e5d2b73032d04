#!/usr/bin/env node
// `npm run traces`: builds every scenario and program with each Go toolchain (1.19, 1.21, 1.22, 1.23, 1.25 from
// Debian's packages via tools/go-toolchain.sh, and the go on PATH) and records its trace with GOMAXPROCS 4
// (`<name>.go1NN.trace`) and, for scenarios, GOMAXPROCS 1 (`<name>.go1NN.p1.trace`). Then rewrites manifest.json.
// Filters: --only <name>[,<name>], --go 1.22[,1.26].
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const arg = (name) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1].split(',') : null
}
const only = arg('--only')
const onlyGo = arg('--go')
const MAX_BYTES = 1 << 20

const pathGo = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim().match(/go1\.(\d+)/)[1]
const toolchains = ['1.19', '1.21', '1.22', '1.23', '1.25', `1.${pathGo}`].filter((v) => !onlyGo || onlyGo.includes(v))

function goroot(version) {
  if (version === `1.${pathGo}`) return execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim()
  return execFileSync(join(here, 'tools/go-toolchain.sh'), [version], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()
}

const programs = [
  ...readdirSync(join(here, 'scenarios')).map((name) => ({ name, dir: `scenarios/${name}`, p1: true })),
  ...readdirSync(join(here, 'programs')).map((name) => ({ name, dir: `programs/${name}`, p1: false })),
  // Test packages: recorded as `go test -trace` records them (the test binary with -test.trace).
  ...readdirSync(join(here, 'gotests')).map((name) => ({ name, dir: `gotests/${name}`, p1: false, test: true })),
  // Programs that use third-party modules: each its own module (go.mod, go.sum), recorded by the toolchains its go
  // directive allows.
  ...readdirSync(join(here, 'thirdparty')).map((name) => ({
    name, dir: `thirdparty/${name}`, p1: false, module: true,
    minMinor: Number(readFileSync(join(here, 'thirdparty', name, 'go.mod'), 'utf8').match(/^go 1\.(\d+)/m)[1]),
  })),
].filter((p) => !only || only.includes(p.name))

const cache = join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME, '.cache'), 'lifeline')
const bin = mkdtempSync(join(tmpdir(), 'lifeline-traces-'))
let failures = 0
for (const version of toolchains) {
  const root = goroot(version)
  const tag = 'go1' + version.split('.')[1]
  const env = {
    ...process.env,
    GOROOT: root,
    PATH: `${root}/bin:${process.env.PATH}`,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod',
    GOCACHE: join(cache, 'gocache', version),
    GOTELEMETRY: 'off',
  }
  for (const p of programs) {
    if (p.minMinor && Number(version.split('.')[1]) < p.minMinor) continue
    const exe = join(bin, `${p.name}-${tag}`)
    const build = spawnSync(join(root, 'bin/go'), [...(p.test ? ['test', '-c'] : ['build']), '-o', exe, p.module ? '.' : './' + p.dir], { cwd: p.module ? join(here, p.dir) : here, env, encoding: 'utf8' })
    if (build.status !== 0) {
      console.error(`build ${p.name} with Go ${version} failed:\n${build.stderr}`)
      failures++
      continue
    }
    const outDir = join(here, p.name)
    mkdirSync(outDir, { recursive: true })
    const runs = [{ procs: 4, file: `${p.name}.${tag}.trace` }, ...(p.p1 ? [{ procs: 1, file: `${p.name}.${tag}.p1.trace` }] : [])]
    for (const run of runs) {
      const out = join(outDir, run.file)
      const runEnv = { ...env, GOMAXPROCS: String(run.procs) }
      // Several generations in a short run (the runtime's default is one per second).
      if (p.name === 'multigen') runEnv.GODEBUG = 'traceadvanceperiod=20000000'
      // Generations short enough that GC cycles run across their boundaries.
      if (p.name === 'gc-generations') runEnv.GODEBUG = 'traceadvanceperiod=2000000'
      const r = spawnSync(exe, p.test ? [`-test.trace=${out}`] : [out], { env: runEnv, encoding: 'utf8', timeout: 60_000 })
      if (r.status !== 0) {
        console.error(`run ${p.name} (${tag}, GOMAXPROCS=${run.procs}) failed: ${r.stderr || r.error}`)
        failures++
        continue
      }
      const header = readFileSync(out).subarray(0, 16).toString('latin1').replace(/\0+$/, '')
      const size = statSync(out).size
      const note = size > MAX_BYTES ? '  TOO BIG (> 1 MB)' : ''
      if (note) failures++
      console.log(`${join(p.name, run.file).padEnd(58)} ${header.padEnd(14)} ${String(size).padStart(8)} bytes${note}`)
    }
  }
}
// Comparison pairs (the go on PATH only): the timeout leak without its bug, and with 3x the leaking calls; two-go-sites
// without its pool.
// `--only compare` records them all, `--only <name>` its own.
if (!onlyGo || onlyGo.includes(`1.${pathGo}`)) {
  const root = goroot(`1.${pathGo}`)
  const runs = [
    ['timeout-leak', 'x1', []],
    ['timeout-leak', 'x3', ['-scale', '3']],
    ['timeout-leak', 'fixed', ['-fixed']],
    ['two-go-sites', 'one', ['-one']],
  ]
  for (const [name, suffix, flags] of runs.filter(([name]) => !only || only.includes('compare') || only.includes(name))) {
    const exe = join(bin, `${name}-compare`)
    if (!existsSync(exe)) {
      execFileSync(join(root, 'bin/go'), ['build', '-o', exe, `./scenarios/${name}`], { cwd: here, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' } })
    }
    mkdirSync(join(here, 'compare'), { recursive: true })
    const out = join(here, 'compare', `${name}.${suffix}.go1${pathGo}.trace`)
    execFileSync(exe, [out, ...flags], { env: { ...process.env, GOMAXPROCS: '4' } })
    console.log(`compare/${name}.${suffix}.go1${pathGo}.trace ${statSync(out).size} bytes`)
  }
}
// Flight-recorder snapshots (Go 1.25+): a service watched by runtime/trace.FlightRecorder writes its last moments
// twice, early and late, then a tiny window (programs-flight/flight-recorder), with generations short enough that a
// window holds several.
if (!only || only.includes('flight-recorder')) {
  for (const version of toolchains.filter((v) => Number(v.split('.')[1]) >= 25)) {
    const root = goroot(version)
    const tag = 'go1' + version.split('.')[1]
    const env = { ...process.env, GOROOT: root, PATH: `${root}/bin:${process.env.PATH}`, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOCACHE: join(cache, 'gocache', version), GOTELEMETRY: 'off' }
    const exe = join(bin, `flight-recorder-${tag}`)
    execFileSync(join(root, 'bin/go'), ['build', '-o', exe, './programs-flight/flight-recorder'], { cwd: here, env })
    mkdirSync(join(here, 'flight-recorder'), { recursive: true })
    const outs = ['early', 'late', 'tiny'].map((w) => join(here, 'flight-recorder', `flight-recorder.${w}.${tag}.trace`))
    execFileSync(exe, outs, { env: { ...env, GOMAXPROCS: '4', GODEBUG: 'traceadvanceperiod=30000000' } })
    for (const out of outs) console.log(`flight-recorder/${out.split('/').pop()} ${statSync(out).size} bytes`)
  }
}
rmSync(bin, { recursive: true, force: true })
execFileSync(process.execPath, [join(here, 'manifest.mjs')], { stdio: 'inherit' })
if (failures) {
  console.error(`${failures} recording(s) failed`)
  process.exit(1)
}
