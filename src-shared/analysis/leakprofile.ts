// Reads Go's goroutineleak profile in its debug=2 text form (a panic-style dump of every goroutine): the ids of
// the goroutines the runtime marked "(leaked)".
export function leakedGoroutineIds(text: string): Set<number> {
  const ids = new Set<number>()
  for (const m of text.matchAll(/^goroutine (\d+) \[[^\]]*\](?: \([^)]*\))*:?/gm)) {
    if (/\(leaked\)/.test(m[0])) ids.add(Number(m[1]))
  }
  return ids
}
