// A group's stable key: it survives line drift (no line numbers) and Go's renaming of closures (func1 / gowrap2 /
// func2.1 all become "func"), so the same leak matches across builds and in suppressions.
import type { Frame } from '../model/goroutine'

export function normalizeFunc(fn: string): string {
  return fn.replace(/\.(func|gowrap)\d+(\.\d+)*/g, '.func').replace(/\.\d+$/g, '')
}

/** A frame as keys name it: the function without closure numbers, the file's last two path elements, no line. */
export function frameKey(f: Frame | null): string {
  return f ? `${normalizeFunc(f.func)}@${f.file.split('/').slice(-2).join('/')}` : '-'
}

/** FNV-1a, 32 bits, as 8 hex digits. */
function fnv(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}

/**
 * The main goroutine's entry is runtime.main where the trace names its start (Go 1.21 and older), and main.main where
 * it is taken from a stack it blocked with (the outermost frame Go 1.22+ records): one goroutine, one key.
 */
const isMainEntry = (f: Frame | null) => f !== null && (f.func === 'runtime.main' || f.func === 'main.main')

export function groupKey(g: { creationSite: Frame | null; entry: Frame | null; blockSite: Frame | null; category: string; preexisting: boolean }): string {
  const head = g.preexisting || !g.creationSite ? `entry:${isMainEntry(g.entry) ? 'main' : frameKey(g.entry)}` : frameKey(g.creationSite)
  return fnv(`${head}|${frameKey(g.blockSite)}|${g.category}`)
}
