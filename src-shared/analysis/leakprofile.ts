// Reads Go's goroutineleak profile in its debug=2 text form (a panic-style dump of every goroutine): the ids of
// the goroutines the runtime marked "(leaked)".
export function leakedGoroutineIds(text: string): Set<number> {
  return readLeakProfile(text).leaked
}

/** The profile's goroutines: how many it lists, and the ids of those marked leaked. */
export function readLeakProfile(text: string): { goroutines: number; leaked: Set<number> } {
  const leaked = new Set<number>()
  let goroutines = 0
  for (const m of text.matchAll(/^goroutine (\d+) \[[^\]]*\](?: \([^)]*\))*:?/gm)) {
    goroutines++
    if (/\(leaked\)/.test(m[0])) leaked.add(Number(m[1]))
  }
  return { goroutines, leaked }
}
