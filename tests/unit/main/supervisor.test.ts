import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { DecoderSupervisor, type ChildLike, type Fork } from '../../../src-main/decoder/supervisor'

class FakeChild extends EventEmitter implements ChildLike {
  killed = false
  kill() {
    this.killed = true
    queueMicrotask(() => this.emit('exit', 1))
    return true
  }
}

function harness() {
  const children: FakeChild[] = []
  const calls: Parameters<Fork>[] = []
  const fork: Fork = (...args) => {
    calls.push(args)
    const child = new FakeChild()
    children.push(child)
    return child
  }
  return { supervisor: new DecoderSupervisor(fork, '/app/decoder.js'), children, calls }
}

describe('decoder supervision', () => {
  it('forks one process per decode with its own heap limit and reports a clean finish', async () => {
    const { supervisor, children, calls } = harness()
    const job = supervisor.start()
    expect(calls[0]![0]).toBe('/app/decoder.js')
    expect(calls[0]![2].execArgv[0]).toMatch(/^--max-old-space-size=\d+$/)
    expect(supervisor.running).toBe(1)
    children[0]!.emit('exit', 0)
    expect(await job.done).toEqual({ kind: 'finished' })
    expect(supervisor.running).toBe(0)
  })
  it('turns a crash into a message instead of an exception', async () => {
    const { supervisor, children } = harness()
    const job = supervisor.start()
    children[0]!.emit('exit', 134)
    expect(await job.done).toEqual({ kind: 'crashed', message: 'the decoder ran out of memory and was stopped' })
  })
  it('cancels by killing the process, and cancelAll stops every decode', async () => {
    const { supervisor, children } = harness()
    const a = supervisor.start()
    const b = supervisor.start()
    a.cancel()
    expect(await a.done).toEqual({ kind: 'cancelled' })
    supervisor.cancelAll()
    expect(await b.done).toEqual({ kind: 'cancelled' })
    expect(children.every((c) => c.killed)).toBe(true)
  })
})
