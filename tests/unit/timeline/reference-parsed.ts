// Reads `go tool trace -d=parsed` (Go's own parser) into per-goroutine and per-P spans: the reference the
// timeline built from our decoder is compared with.

import { execFileSync } from 'node:child_process'
import type { Frame, GoState } from '../../../src-shared/model/goroutine'

export interface RefTransition {
  t: number
  g: number
  from: GoState
  to: GoState
  reason: string
  /** The goroutine running when it happened (-1 = none): the waker for Waiting -> Runnable. */
  by: number
  p: number
  stack: Frame[]
  transitionStack: Frame[]
}

export interface RefTrace {
  originNs: number
  endNs: number
  transitions: RefTransition[]
  /** [p, start, end, g] relative to origin. */
  procSpans: [number, number, number, number][]
  /** [g, start, end, state, reason] relative to origin. */
  goroutineSpans: [number, number, number, GoState, string][]
}

export function parsedDump(tracePath: string): string {
  return execFileSync('go', ['tool', 'trace', '-d=parsed', tracePath], { maxBuffer: 1 << 30, encoding: 'utf8' })
}

export function readParsed(text: string): RefTrace {
  const lines = text.split('\n')
  const transitions: RefTransition[] = []
  let origin = NaN
  let last = 0
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (!line.startsWith('M=')) continue
    const time = Number(/ Time=(\d+)/.exec(line)?.[1])
    if (Number.isNaN(origin)) origin = time
    last = Math.max(last, time)
    const m = / GoID=(\d+) (\w+)->(\w+) Reason="([^"]*)"/.exec(line)
    if (!m) continue
    const by = Number(/ G=(-?\d+)/.exec(line)?.[1])
    const p = Number(/ P=(-?\d+)/.exec(line)?.[1])
    const stacks: Record<string, Frame[]> = { Stack: [], TransitionStack: [] }
    let j = i + 1
    let current: Frame[] | null = null
    while (j < lines.length && !lines[j].startsWith('M=')) {
      const l = lines[j]
      const head = /^(Stack|TransitionStack)=/.exec(l)
      if (head) current = stacks[head[1]]
      else if (current && l.startsWith('\t\t')) {
        const loc = /^\t\t(.*):(\d+)$/.exec(l)
        const f = current[current.length - 1]
        if (loc && f) [f.file, f.line] = [loc[1], Number(loc[2])]
      } else if (current && l.startsWith('\t')) current.push({ func: l.trim().replace(/ @ 0x[0-9a-f]+$/, ''), file: '', line: 0 })
      j++
    }
    transitions.push({
      t: time,
      g: Number(m[1]),
      from: m[2] as GoState,
      to: m[3] as GoState,
      reason: m[4],
      by,
      p,
      stack: stacks.Stack,
      transitionStack: stacks.TransitionStack,
    })
  }
  for (const tr of transitions) tr.t -= origin
  const endNs = last - origin
  const goroutineSpans: RefTrace['goroutineSpans'] = []
  const procSpans: RefTrace['procSpans'] = []
  const open = new Map<number, { t: number; runSince: number; state: GoState; reason: string; p: number }>()
  const close = (g: number, t: number) => {
    const o = open.get(g)
    if (!o) return
    if (o.state !== 'NotExist' && o.state !== 'Undetermined' && t > o.t) goroutineSpans.push([g, o.t, t, o.state, o.reason])
    if (o.state === 'Running' && t > o.runSince && o.p >= 0) procSpans.push([o.p, o.runSince, t, g])
  }
  for (const tr of transitions) {
    close(tr.g, tr.t)
    // A goroutine first seen through a status event was already in that state: it holds from the trace start
    // (its P occupancy is only known from the event on).
    open.set(tr.g, { t: tr.from === 'Undetermined' ? 0 : tr.t, runSince: tr.t, state: tr.to, reason: tr.reason, p: tr.p })
  }
  for (const g of open.keys()) close(g, endNs)
  return { originNs: origin, endNs, transitions, procSpans, goroutineSpans }
}
