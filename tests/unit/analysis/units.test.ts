// The analysis' building blocks: categories recovered from stacks, stable keys, suppressions, and the join with
// Go's goroutineleak profile (recorded for real, from the same process as its trace).
import { createReadStream, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { categorize } from '../../../src-shared/analysis/categories'
import { creationFrame, recordEntry } from '../../../src-shared/analysis/frames'
import { groupKey, normalizeFunc } from '../../../src-shared/analysis/key'
import { leakedGoroutineIds } from '../../../src-shared/analysis/leakprofile'
import { analyzeLeaks, blockShown, testName } from '../../../src-shared/analysis/leaks'
import { emptySuppressions, funcMatches, parseIgnoreFile } from '../../../src-shared/analysis/suppress'
import { loadModel } from '../../../src-shared/model/load'

const f = (func: string, line = 1) => ({ func, file: '/src/app/' + func.split('.')[0] + '.go', line })

describe('categories', () => {
  it('recovers the sync primitive from the stack when the reason is just "sync"', () => {
    expect(categorize('Waiting', 'sync', [f('sync.runtime_SemacquireMutex'), f('sync.(*Mutex).lockSlow'), f('sync.(*Mutex).Lock'), f('main.transfer')])).toBe('mutex')
    expect(categorize('Waiting', 'sync', [f('sync.runtime_SemacquireRWMutexR'), f('sync.(*RWMutex).RLock'), f('main.read')])).toBe('rwmutex')
    expect(categorize('Waiting', 'sync', [f('sync.runtime_SemacquireWaitGroup'), f('sync.(*WaitGroup).Wait'), f('main.wait')])).toBe('waitgroup')
    expect(categorize('Waiting', 'sync', [f('sync.(*Once).doSlow'), f('main.init')])).toBe('mutex')
    expect(categorize('Waiting', 'sync.(*Cond).Wait', [])).toBe('cond')
    expect(categorize('Waiting', '', [f('runtime.gopark'), f('runtime.chanrecv'), f('main.sub')])).toBe('chan-receive')
    expect(categorize('Waiting', 'GC background sweeper wait', [])).toBe('system')
    expect(categorize('Runnable', '', [])).toBe('running')
    expect(categorize('Syscall', '', [])).toBe('syscall')
  })
})

describe('creation sites', () => {
  it('give a go statement in the runtime to the runtime, not to the user code running below it', () => {
    // GC workers: started by gcStart while a user goroutine allocated.
    expect(creationFrame([f('runtime.gcBgMarkStartWorkers'), f('runtime.gcStart'), f('runtime.mallocgc'), f('main.main.func1', 30)])?.func).toBe('runtime.gcBgMarkStartWorkers')
    // A go statement in the user's code, or a library's on the user's behalf: the top user frame.
    expect(creationFrame([f('main.serve', 12), f('main.main')])?.func).toBe('main.serve')
    expect(creationFrame([f('net/http.(*Server).Serve'), f('main.run', 40)])?.func).toBe('main.run')
    // A module path without a dot (`go mod init myservice`) is the user's, not the standard library's.
    expect(creationFrame([f('myservice.(*Pool).Start', 9), f('myservice.TestPool', 20), f('testing.tRunner')])?.func).toBe('myservice.(*Pool).Start')
    expect(creationFrame([f('log/slog.(*handler).run'), f('internal/poll.x'), f('gt1/worker.Start', 5)])?.func).toBe('gt1/worker.Start')
  })

  it('on a real trace: the GC workers are the runtime\'s, and benign', async () => {
    const model = await loadModel(createReadStream(join(import.meta.dirname, '../../../traces/annotated/annotated.go126.trace')) as AsyncIterable<Uint8Array>)
    const workers = analyzeLeaks(model).groups.filter((g) => g.entry?.func === 'runtime.gcBgMarkWorker')
    expect(workers.length).toBeGreaterThan(0)
    for (const g of workers) {
      expect(g.creationSite?.func).toBe('runtime.gcBgMarkStartWorkers')
      expect(g.verdict).toBe('benign')
    }
  })
})

describe('entry functions', () => {
  it('are the user function a library wrapper started (sync.WaitGroup.Go, errgroup), as a later stack shows', () => {
    const wrapper = f('sync.(*WaitGroup).Go.func1', 239)
    const blocked = [f('runtime.gopark'), f('runtime.chanrecv2'), f('example.com/app/pool.Start.func1', 10), wrapper]
    expect(recordEntry({ startStack: [wrapper], statusStack: [], finalStack: blocked, lastBlockStack: blocked })?.func).toBe('example.com/app/pool.Start.func1')
    // Without a later stack, or with a library frame below the wrapper (net/http serving a handler), the wrapper stays.
    expect(recordEntry({ startStack: [wrapper], statusStack: [], finalStack: [], lastBlockStack: [] })?.func).toBe('sync.(*WaitGroup).Go.func1')
    const serve = f('net/http.(*conn).serve')
    const handler = [f('runtime.gopark'), f('main.handle', 20), f('net/http.HandlerFunc.ServeHTTP'), f('net/http.serverHandler.ServeHTTP'), serve]
    expect(recordEntry({ startStack: [serve], statusStack: [], finalStack: handler, lastBlockStack: handler })?.func).toBe('net/http.(*conn).serve')
    // A user entry is its own, whatever it calls.
    const own = f('main.worker', 7)
    expect(recordEntry({ startStack: [own], statusStack: [], finalStack: [f('main.step'), own], lastBlockStack: [] })).toBe(own)
  })
})

describe('stable keys', () => {
  it('survive line drift and Go renaming closures', () => {
    expect(normalizeFunc('main.query.func1')).toBe(normalizeFunc('main.query.gowrap3'))
    expect(normalizeFunc('main.(*S).run.func2.1')).toBe('main.(*S).run.func')
    const a = { creationSite: f('main.query', 21), entry: null, blockSite: f('main.query.func1', 22), category: 'chan-send', preexisting: false }
    const b = { creationSite: f('main.query', 40), entry: null, blockSite: f('main.query.gowrap2', 41), category: 'chan-send', preexisting: false }
    expect(groupKey(a)).toBe(groupKey(b))
    expect(groupKey(a)).not.toBe(groupKey({ ...a, category: 'chan-receive' }))
    expect(groupKey(a)).not.toBe(groupKey({ ...a, creationSite: f('main.other', 21) }))
  })
})

describe('suppressions', () => {
  it('parses .lifelineignore and matches functions exactly, by prefix or across closure renaming', () => {
    const s = parseIgnoreFile('# ours\ncreated-by github.com/acme/pool.*\n\nblocked-in main.(*Cache).janitor  # ok\nkey 0d1dd802\n', emptySuppressions())
    expect(s).toEqual({ createdBy: ['github.com/acme/pool.*'], blockedIn: ['main.(*Cache).janitor'], keys: ['0d1dd802'] })
    expect(funcMatches('github.com/acme/pool.*', 'github.com/acme/pool.(*Pool).worker')).toBe(true)
    expect(funcMatches('main.query.func1', 'main.query.gowrap2')).toBe(true)
    expect(funcMatches('main.query', 'main.queryAll')).toBe(false)
    expect(() => parseIgnoreFile('ignore all')).toThrow(/line 1/)
  })
})

describe("Go's goroutineleak profile", () => {
  const dir = join(import.meta.dirname, '../../../traces/leakprofile')
  it('joins by goroutine id and marks the group proven leaked', async () => {
    const ids = leakedGoroutineIds(readFileSync(join(dir, 'leakprofile.goroutineleak.txt'), 'utf8'))
    expect(ids.size).toBe(3)
    const model = await loadModel(createReadStream(join(dir, 'leakprofile.go126.trace')) as AsyncIterable<Uint8Array>)
    const { groups } = analyzeLeaks(model, { leakedIds: ids })
    const proven = groups.filter((g) => g.provenLeaked > 0)
    expect(proven).toHaveLength(1)
    expect(proven[0]).toMatchObject({ verdict: 'leak', confidence: 1, provenLeaked: 3, count: 3, category: 'chan-send' })
    expect(new Set(proven[0]!.goroutines)).toEqual(ids)
    expect(proven[0]!.reason).toMatch(/proven leaked by the runtime/)
  })
})

describe('what a group shows', () => {
  it('names the main goroutine alike in every format, and where the runtime parked its own goroutines', async () => {
    for (const v of ['go121', 'go122', 'go126']) {
      const m = await loadModel(createReadStream(join(import.meta.dirname, `../../../traces/timeout-leak/timeout-leak.${v}.trace`)) as AsyncIterable<Uint8Array>)
      const groups = analyzeLeaks(m).groups
      const main = groups.filter((g) => g.goroutines.includes(1))
      expect(main.map((g) => [g.verdict, g.reason]), v).toEqual([['benign', 'the main goroutine: it lives as long as the program']])
      // Running at the end, between sleeps: shown with its last block, not "unknown".
      expect(blockShown(main[0]!)?.func, v).toBe('lifeline.dev/traces/internal/harness.RunWithSetup')
      expect(main[0]!.category, v).toBe('sleep')
      if (v !== 'go126') continue
      const gc = groups.find((g) => g.entry?.func === 'runtime.forcegchelper')!
      expect(gc.verdict).toBe('benign')
      expect(blockShown(gc)?.func).toBe('runtime.forcegchelper')
    }
  })
})

describe('Go 1.22 traces, which record nothing of the goroutines from before them', () => {
  it("take goroutines 2-4 for the runtime's, and leave real goroutines from before the trace out of their group", async () => {
    for (const p of ['control-fanout/control-fanout.go122.trace', 'preexisting/preexisting.go122.trace']) {
      const m = await loadModel(createReadStream(join(import.meta.dirname, '../../../traces', p)) as AsyncIterable<Uint8Array>)
      const groups = analyzeLeaks(m).groups
      const runtime = groups.find((g) => g.goroutines.includes(2))!
      expect(runtime.goroutines.slice().sort()).toEqual([2, 3, 4])
      expect([runtime.verdict, runtime.category], p).toEqual(['benign', 'system'])
      expect(runtime.reason).toMatch(/by their number/)
      // Their key differs from that of the goroutines from before the trace the format says nothing of.
      const others = groups.filter((g) => g !== runtime && g.preexisting && g.entry === null && !g.goroutines.includes(1))
      expect(others.every((g) => g.key !== runtime.key && !g.key.includes('-'))).toBe(true)
    }
  })
})

describe("net/http's goroutines", () => {
  it.each(['119', '121', '126'])('go%s: an unclosed response body is a leak at the user\'s call, via the Transport; idle connections are not', async (v) => {
    const model = await loadModel(createReadStream(join(import.meta.dirname, `../../../traces/http-body/http-body.go${v}.trace`)) as AsyncIterable<Uint8Array>)
    const groups = analyzeLeaks(model).groups
    const leaks = groups.filter((g) => g.verdict === 'leak')
    // The three connections' readers: no `go` statement of ours started them; the Get on line 30 did.
    expect(leaks.map((g) => [g.count, g.creationSite?.line, g.createdVia?.func, g.pattern])).toEqual([[3, 30, 'net/http.(*Transport).dialConn', 'response-body-not-closed']])
    // Their writers, the healthy client's idle connection and the server's connections: benign, with what they are.
    const http = groups.filter((g) => g.entry?.func.startsWith('net/http.') && g.verdict !== 'leak')
    expect(http.every((g) => g.verdict === 'benign')).toBe(true)
    expect(http.map((g) => g.reason).join('\n')).toMatch(/the writer of 3 http\.Client connections/)
  })
})

describe('go test -trace', () => {
  it.each(['119', '122', '126'])('go%s: a goroutine that outlived the test that started it says so (goleak\'s view)', async (v) => {
    const model = await loadModel(createReadStream(join(import.meta.dirname, `../../../traces/leakytest/leakytest.go${v}.trace`)) as AsyncIterable<Uint8Array>)
    // (Go 1.22 also shows its finalizer goroutine as a suspect from before the trace: it records no stack for it.)
    const groups = analyzeLeaks(model).groups.filter((g) => g.verdict === 'leak')
    expect(groups).toHaveLength(2)
    expect(groups.find((g) => g.category === 'chan-receive' && g.pattern === null)!.reason).toMatch(/; it outlived TestLeavesAReceiver, which returned at \d/)
    // A subtest's function is a closure of its test (t.Run's name is not in the trace). A ticker loop that keeps
    // waking is only a suspect on its own; outliving its test, and the run, makes it goleak's failure.
    const janitor = groups.find((g) => g.pattern === 'ticker-never-stopped')!
    expect(janitor.reason).toMatch(/; it outlived a subtest of TestJanitor, which returned at [\d.]+ .s, [\d.]+ ms before the run ended \(goleak would fail the test\)/)
    // The goroutine testing runs a test in, still running its last test at the end, is the harness's.
    expect(analyzeLeaks(model).groups.filter((g) => g.verdict === 'suspect' && g.creationSite !== null)).toEqual([])
  })
})

describe('a lock nobody releases', () => {
  it.each(['119', '122', '126'])('go%s: names the lock\'s likely holder when it is stuck on something else in the same type\'s code', async (v) => {
    const model = await loadModel(createReadStream(join(import.meta.dirname, `../../../traces/lock-holder-stuck/lock-holder-stuck.go${v}.trace`)) as AsyncIterable<Uint8Array>)
    const groups = analyzeLeaks(model).groups
    const readers = groups.find((g) => g.category === 'mutex')!
    const holder = groups.find((g) => g.category === 'chan-send')!
    // The readers wait in (*store).get, the holder is stuck sending in (*store).set: one store, one lock.
    expect(readers.pattern).toBe('lock-never-released')
    expect(readers.reason).toContain(`the lock's likely holder, G${holder.goroutines[0]}, is itself stuck (chan send) in main.(*store).set`)
  })
})

describe('test names', () => {
  it('names a test, a subtest (a closure of its test), and tests of packages whose path holds dots', () => {
    expect(testName('example.com/pkg.TestParse')).toBe('TestParse')
    expect(testName('example.com/pkg.TestParse.func1.3')).toBe('a subtest of TestParse')
    expect(testName('gopkg.in/yaml.v3.TestDecode')).toBe('TestDecode')
    expect(testName('gopkg.in/yaml.v3.TestDecode.func2')).toBe('a subtest of TestDecode')
    expect(testName('example.com/pkg.BenchmarkMarshal')).toBe('BenchmarkMarshal')
  })
})

