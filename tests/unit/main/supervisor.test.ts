import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DecoderSupervisor, WARM_ARG, type ChildLike, type Fork, type SpareOptions } from '../../../src-main/decoder/supervisor'

class FakeChild extends EventEmitter implements ChildLike {
  killed = false
  kill() {
    this.killed = true
    queueMicrotask(() => this.emit('exit', 1))
    return true
  }
}

function harness(spare: SpareOptions | null = null) {
  const children: FakeChild[] = []
  const calls: Parameters<Fork>[] = []
  const fork: Fork = (...args) => {
    calls.push(args)
    const child = new FakeChild()
    children.push(child)
    return child
  }
  return { supervisor: new DecoderSupervisor(fork, '/app/decoder.js', spare), children, calls }
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

  describe('with a spare', () => {
    afterEach(() => void vi.useRealTimers())
    const spare = { warmWith: '/app/renderer/samples/sample.trace', delayMs: 2000 }

    it('starts a spare a while after it is asked, warmed on the sample, and hands it to the next decode', async () => {
      vi.useFakeTimers()
      const { supervisor, children, calls } = harness(spare)
      supervisor.scheduleSpare()
      supervisor.scheduleSpare()
      vi.advanceTimersByTime(1999)
      expect(calls).toHaveLength(0)
      vi.advanceTimersByTime(1)
      expect(calls).toHaveLength(1)
      expect(calls[0]![1]).toEqual([WARM_ARG, spare.warmWith])
      expect(calls[0]![2].execArgv[0]).toMatch(/^--max-old-space-size=\d+$/)
      const job = supervisor.start()
      expect(job.child).toBe(children[0])
      expect(calls).toHaveLength(1)
      expect(supervisor.hasSpare).toBe(false)
      // No spare while the decode runs (it would take a core from it); the next one comes a while after it ends.
      vi.advanceTimersByTime(10_000)
      expect(calls).toHaveLength(1)
      children[0]!.emit('exit', 0)
      expect(await job.done).toEqual({ kind: 'finished' })
      vi.advanceTimersByTime(2000)
      expect(calls).toHaveLength(2)
      expect(supervisor.hasSpare).toBe(true)
      // A decode with no spare ready forks its own, without the warm-up argument.
      supervisor.start()
      supervisor.start()
      expect(calls[2]![1]).toEqual([])
    })

    it('does not make a spare while a decode runs when its time comes', async () => {
      vi.useFakeTimers()
      const { supervisor, children, calls } = harness(spare)
      const job = supervisor.start()
      supervisor.scheduleSpare()
      vi.advanceTimersByTime(5000)
      expect(calls).toHaveLength(1)
      children[0]!.emit('exit', 0)
      await job.done
      vi.advanceTimersByTime(2000)
      expect(calls).toHaveLength(2)
      expect(calls[1]![1]).toEqual([WARM_ARG, spare.warmWith])
    })

    it('forgets a spare that died, so that a decode never gets a dead process, and makes another', async () => {
      vi.useFakeTimers()
      const { supervisor, children, calls } = harness({ warmWith: null, delayMs: 10 })
      supervisor.scheduleSpare()
      vi.advanceTimersByTime(10)
      expect(calls[0]![1]).toEqual([])
      children[0]!.emit('exit', 1)
      expect(supervisor.hasSpare).toBe(false)
      const job = supervisor.start()
      expect(job.child).toBe(children[1])
      children[1]!.emit('exit', 0)
      await job.done
      vi.advanceTimersByTime(10)
      expect(calls).toHaveLength(3)
      // A spare that dies while it waits is replaced, but not for ever: a build whose decoder cannot start would
      // fork one after another. Three in a row (the first one above counts) and no more are made.
      for (let k = 0; k < 5; k++) {
        children.at(-1)!.emit('exit', 1)
        vi.advanceTimersByTime(10)
      }
      expect(calls).toHaveLength(4)
      expect(supervisor.hasSpare).toBe(false)
    })

    it('kills the spare and makes no other when the app quits', async () => {
      vi.useFakeTimers()
      const { supervisor, children, calls } = harness(spare)
      supervisor.scheduleSpare()
      vi.advanceTimersByTime(2000)
      const job = supervisor.start()
      supervisor.scheduleSpare()
      vi.advanceTimersByTime(2000)
      expect(calls).toHaveLength(1)
      children[0]!.emit('exit', 0)
      await job.done
      vi.advanceTimersByTime(2000)
      expect(supervisor.hasSpare).toBe(true)
      supervisor.stopAll()
      expect(children[1]!.killed).toBe(true)
      expect(supervisor.hasSpare).toBe(false)
      supervisor.scheduleSpare()
      vi.advanceTimersByTime(10_000)
      expect(calls).toHaveLength(2)
    })

    it('makes no spare without being asked to keep one', () => {
      vi.useFakeTimers()
      const { supervisor, calls } = harness()
      supervisor.scheduleSpare()
      vi.advanceTimersByTime(60_000)
      expect(calls).toHaveLength(0)
    })
  })
})
