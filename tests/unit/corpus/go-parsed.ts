// Reads `go tool trace -d=parsed` (Go's own parser: the reference) into events, and from them the goroutines a
// trace leaves behind. Shared by the corpus ground-truth test and any test that compares against Go.
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'

export interface ParsedFrame {
  func: string
  file: string
  line: number
}

export interface ParsedEvent {
  m: number
  p: number
  g: number
  kind: string
  time: bigint
  /** The rest of the first line after Time=…. */
  detail: string
  stack: ParsedFrame[]
  transitionStack: ParsedFrame[]
}

export interface GoroutineFate {
  id: number
  /** The creator's stack (GoCreate's Stack=); null when it existed before the trace. */
  creation: ParsedFrame[] | null
  /** The goroutine that created it (the creation event's G), or null. */
  parent: number | null
  /** Its start stack (its entry function) from its creation event; empty if none. */
  start: ParsedFrame[]
  /** The first stack seen for a goroutine that existed before the trace (GoStatusStack), if any. */
  statusStack: ParsedFrame[]
  ended: boolean
  state: string
  /** Reason of its last transition into Waiting ("" if none known). */
  lastBlockReason: string
  /** Stack of its last transition into Waiting. */
  lastBlockStack: ParsedFrame[]
  wakeups: number
}

const run = promisify(execFile)

/** The Go on PATH, if it is new enough for `go tool trace -d=parsed` (1.24+), else null with the reason. */
export function referenceGo(): { ok: true } | { ok: false; reason: string } {
  try {
    const v = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim()
    const m = v.match(/^go1\.(\d+)/)
    if (!m || Number(m[1]) < 24) return { ok: false, reason: `go on PATH is ${v}; go tool trace -d=parsed needs Go 1.24 or newer` }
    return { ok: true }
  } catch {
    return { ok: false, reason: 'no go on PATH: the reference parser (go tool trace -d=parsed, Go >= 1.24) is unavailable' }
  }
}

/** Go's output; with `bytes`, stdout as a byte string (one char per byte), the form of our dump. */
export async function goParsed(tracePath: string, bytes = false): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    if (bytes) {
      const { stdout, stderr } = await run('go', ['tool', 'trace', '-d=parsed', tracePath], { maxBuffer: 1 << 30, encoding: 'latin1', env: { ...process.env, TZ: 'UTC' } })
      return { stdout, stderr, code: 0 }
    }
    // Go prints clock snapshots' wall time in the local zone; our dump prints UTC.
    const { stdout, stderr } = await run('go', ['tool', 'trace', '-d=parsed', tracePath], { maxBuffer: 1 << 30, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } })
    return { stdout, stderr, code: 0 }
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number }
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? String(err), code: typeof e.code === 'number' ? e.code : 1 }
  }
}

const HEAD = /^M=(-?\d+) P=(-?\d+) G=(-?\d+) (\w+) Time=(-?\d+)(.*)$/

export function parseEvents(text: string): ParsedEvent[] {
  const events: ParsedEvent[] = []
  let current: ParsedEvent | null = null
  let target: ParsedFrame[] | null = null
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const head = HEAD.exec(line)
    if (head) {
      current = { m: +head[1]!, p: +head[2]!, g: +head[3]!, kind: head[4]!, time: BigInt(head[5]!), detail: head[6]!, stack: [], transitionStack: [] }
      events.push(current)
      target = null
    } else if (!current) continue
    else if (line === 'Stack=') target = current.stack
    else if (line === 'TransitionStack=') target = current.transitionStack
    else if (target && line.startsWith('\t') && !line.startsWith('\t\t')) {
      const fn = line.slice(1).replace(/ @ 0x[0-9a-f]+$/, '')
      const loc = (lines[i + 1] ?? '').trim()
      const colon = loc.lastIndexOf(':')
      target.push({ func: fn, file: loc.slice(0, colon), line: Number(loc.slice(colon + 1)) })
      i++
    }
  }
  return events
}

const TRANSITION = /^ GoID=(\d+) (\w+)->(\w+) Reason=("(?:[^"\\]|\\.)*")/

export function goroutineFates(events: ParsedEvent[]): Map<number, GoroutineFate> {
  const fates = new Map<number, GoroutineFate>()
  for (const e of events) {
    if (e.kind !== 'StateTransition') continue
    const t = TRANSITION.exec(e.detail)
    if (!t) continue
    const id = Number(t[1])
    const from = t[2]!
    const to = t[3]!
    const reason = JSON.parse(t[4]!) as string
    let fate = fates.get(id)
    if (!fate) {
      fate = { id, creation: null, parent: null, start: [], statusStack: [], ended: false, state: to, lastBlockReason: '', lastBlockStack: [], wakeups: 0 }
      fates.set(id, fate)
    }
    if (from === 'NotExist') {
      fate.creation = e.stack
      fate.parent = e.g >= 0 ? e.g : null
      fate.start = e.transitionStack
      fate.ended = false
    } else if (from === 'Undetermined' && fate.statusStack.length === 0) fate.statusStack = e.transitionStack
    if (to === 'NotExist') fate.ended = true
    // Later generations restate a parked goroutine (Waiting->Waiting, no reason): not a new block.
    if (to === 'Waiting' && from !== 'Waiting') {
      fate.lastBlockReason = reason
      fate.lastBlockStack = e.stack
    }
    if (from === 'Waiting' && to === 'Runnable') fate.wakeups++
    fate.state = to
  }
  return fates
}
