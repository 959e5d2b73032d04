// A group's stable key: it survives line drift (no line numbers) and Go's renaming of closures (func1 / gowrap2 /
// func2.1 all become "func"), so the same leak matches across builds and in suppressions.
import type { Frame } from '../model/goroutine'
import { isMainEntry } from './frames'

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

export function groupKey(g: { creationSite: Frame | null; entry: Frame | null; blockSite: Frame | null; category: string; preexisting: boolean }): string {
  // The main goroutine's entry differs between trace formats (see isMainEntry): one goroutine, one key.
  const head = g.preexisting || !g.creationSite ? `entry:${isMainEntry(g.entry) ? 'main' : frameKey(g.entry)}` : frameKey(g.creationSite)
  return fnv(`${head}|${frameKey(g.blockSite)}|${g.category}`)
}
