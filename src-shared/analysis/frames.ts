// Which frames are the user's: not the runtime, not the standard library, not well-known libraries that start
// goroutines on the user's behalf (errgroup, net/http, ...). The creation site of a goroutine is the top user frame
// of its creator's stack; when the `go` statement is inside a library, that is the first user frame below it.
import type { Frame, GoroutineRecord, Stack } from '../model/goroutine'
import type { GoroutineTable } from '../model/goroutine-table'

const LIBRARY_PREFIXES = [
  'golang.org/x/', 'google.golang.org/grpc', 'github.com/golang/', 'go.opentelemetry.io/', 'github.com/prometheus/',
]

/**
 * The standard library's top-level packages (`go list std`, Go 1.26; vendor/ holds its copies of golang.org/x). A
 * first path element without a dot is not enough: `go mod init myservice` makes a module path without one.
 */
const STDLIB = new Set([
  'archive', 'bufio', 'bytes', 'cmp', 'compress', 'container', 'context', 'crypto', 'database', 'debug', 'embed',
  'encoding', 'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html', 'image', 'index', 'internal', 'io', 'iter', 'log',
  'maps', 'math', 'mime', 'net', 'os', 'path', 'plugin', 'reflect', 'regexp', 'runtime', 'slices', 'sort', 'strconv',
  'strings', 'structs', 'sync', 'syscall', 'testing', 'text', 'time', 'unicode', 'unique', 'unsafe', 'weak', 'vendor',
])

function isStdlib(fn: string): boolean {
  const slash = fn.lastIndexOf('/')
  const pkgEnd = slash >= 0 ? fn.indexOf('.', slash) : fn.indexOf('.')
  const pkg = pkgEnd > 0 ? fn.slice(0, pkgEnd) : fn
  return STDLIB.has(pkg.split('/')[0]!)
}

export function isRuntimeFrame(f: Frame): boolean {
  return f.func.startsWith('runtime.') || f.func.startsWith('runtime/') || f.func.startsWith('internal/')
}

export function isUserFrame(f: Frame): boolean {
  if (f.func === '' || isRuntimeFrame(f)) return false
  if (f.func.startsWith('main.')) return true
  if (isStdlib(f.func)) return false
  // A dependency: its source sits in the module cache (`…/pkg/mod/module@version/…`, or `module@version/…` when built
  // with -trimpath) or in a vendor folder. The main module's never does.
  if (DEPENDENCY_FILE.test(f.file)) return false
  return !LIBRARY_PREFIXES.some((p) => f.func.startsWith(p))
}

const DEPENDENCY_FILE = /(^|\/)pkg\/mod\/|@v\d[^/]*\/|(^|\/)vendor\//

/** The innermost user frame of a stack (leaf first), or null when it has none. */
export function topUserFrame(stack: Stack): Frame | null {
  return stack.find(isUserFrame) ?? null
}

/**
 * Where a goroutine was created, from its creator's stack (leaf first): the top user frame (the `go` statement, or
 * the user call that led to one inside a library), except that a `go` statement in the runtime (GC workers started
 * by gcStart, the tracer's own goroutines) is the runtime's, not that of the user code that happened to be running
 * (allocating, calling trace.Start) below it.
 */
export function creationFrame(creatorStack: Stack): Frame | null {
  const leaf = creatorStack[0]
  return leaf && leaf.func.startsWith('runtime.') ? leaf : topUserFrame(creatorStack)
}

/**
 * Whether an entry is the main goroutine's: runtime.main where the trace names its start (Go 1.21 and older), main.main
 * where it is taken from a stack it blocked with (the outermost frame Go 1.22+ records). It is no runtime goroutine.
 */
export function isMainEntry(f: Frame | null): boolean {
  return f !== null && (f.func === 'runtime.main' || f.func === 'main.main')
}

/** The entry function of a goroutine: its start stack's frame, else the outermost frame of a parked stack. */
export function entryFrame(startStack: Stack, statusStack: Stack): Frame | null {
  const f = startStack.length > 0 ? startStack[0]! : statusStack.length > 0 ? statusStack[statusStack.length - 1]! : null
  // A frame the trace could not name (a legacy trace's start stack of a goroutine in a system call) names nothing.
  return f && f.func !== '' ? f : null
}

/**
 * The entry function of a record: its start stack's frame, else the outermost frame of the stack it had before the
 * trace, else of its last one, else of the last one it blocked with (a goroutine running when the trace started and
 * when it ended, as the main goroutine is, has only that). The leak report, the goroutine list and the timeline's
 * labels all name it so.
 */
export function recordEntry(g: Pick<GoroutineRecord, 'startStack' | 'statusStack' | 'finalStack' | 'lastBlockStack'>): Frame | null {
  const entry = entryFrame(g.startStack, firstNonEmpty(g.statusStack, g.finalStack, g.lastBlockStack))
  return unwrapped(entry, g.finalStack, g.lastBlockStack, g.statusStack)
}

/** recordEntry for row i of a goroutine table, without making its record. */
export function tableEntry(t: GoroutineTable, i: number): Frame | null {
  const start = t.startStack(i)
  if (start.length > 0) {
    const entry = entryFrame(start, NO_FRAMES)
    return entry && !isUserFrame(entry) ? unwrapped(entry, t.finalStack(i), t.lastBlockStack(i)) : entry
  }
  // From before the trace (a flight-recorder snapshot's goroutines): the outermost frame of a stack it had.
  const status = t.statusStack(i)
  const final = t.finalStack(i)
  const stack = status.length > 0 ? status : final.length > 0 ? final : t.lastBlockStack(i)
  return unwrapped(entryFrame(start, stack), stack)
}

/**
 * A goroutine started by a library's wrapper (sync.WaitGroup.Go, errgroup's Go: the `go` statement runs a closure
 * of theirs that calls the user's function) is the user's function, as a stack it had later shows: the user frame the
 * wrapper called. Any other entry is itself.
 */
function unwrapped(entry: Frame | null, ...later: Stack[]): Frame | null {
  // (runtime.main calls main.main: the main goroutine keeps its entry.)
  if (!entry || isUserFrame(entry) || isRuntimeFrame(entry)) return entry
  for (const stack of later) {
    const k = stack.length - 1
    if (k >= 1 && stack[k]!.func === entry.func && isUserFrame(stack[k - 1]!)) return stack[k - 1]!
  }
  return entry
}

const NO_FRAMES: Stack = []

function firstNonEmpty(...stacks: Stack[]): Stack {
  return stacks.find((s) => s.length > 0) ?? stacks[0]!
}
