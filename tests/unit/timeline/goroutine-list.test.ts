// The goroutine list's search (the window's data worker): every word must match the goroutine's id, state, reason,
// entry, or where it was created, named as the leak panel names it.
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadModel } from '../../../src-shared/model/load'
import { GoroutineList } from '../../../src-renderer/src/workers/goroutine-list'

const root = join(import.meta.dirname, '../../../traces')

describe('goroutine list search', () => {
  it('finds goroutines by the file and line of their go statement and of their entry', async () => {
    const m = await loadModel(createReadStream(join(root, 'two-go-sites/two-go-sites.go126.trace')) as AsyncIterable<Uint8Array>)
    const list = new GoroutineList(m.goroutines)
    const ids = (q: string) => list.search(q, 0, 100).rows.map((r) => r.id)
    // The pool's five from line 18, the one-off from line 25: by the go statement's file:line.
    expect(ids('two-go-sites/main.go:18')).toHaveLength(5)
    expect(ids('two-go-sites/main.go:25')).toHaveLength(1)
    // A go statement inside a library (runtime/trace.Start's) is found by the user's call that ran it, as the leak
    // panel names it.
    expect(ids('harness/harness.go:37')).toHaveLength(1)
    // By entry function, and narrowed by state.
    expect(ids('main.drain')).toHaveLength(6)
    expect(ids('main.drain waiting')).toHaveLength(6)
    expect(ids('main.drain running')).toHaveLength(0)
    expect(list.search('', 0, 5).matches).toBe(m.goroutines.length)
  })
})
