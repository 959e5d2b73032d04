// Indexes by integer ID for IDs that are dense but can start anywhere: goroutine IDs in a long-running server are in
// the millions or billions, so an array indexed from 0 would waste memory, and a Map hashes on every lookup. Pages of
// 4096 slots are found through a map; a small direct-mapped cache of recent pages (by the page number's low bits)
// answers almost every lookup without hashing, since a trace's live goroutines sit in a few dozen pages. The values
// are indexes (0 to 2^31-1: a goroutine's dense number, its slot in a table), kept in Int32Array pages: 4 bytes a
// slot, nothing for the garbage collector to scan, and one kind of page for the compiled code to expect.
const PAGE_BITS = 12
const PAGE = 1 << PAGE_BITS
const CACHE = 64
const NONE = -1

export class IdTable {
  private readonly pages = new Map<number, Int32Array>()
  private readonly cacheKeys = new Float64Array(CACHE).fill(NaN)
  private readonly cachePages: (Int32Array | undefined)[] = new Array(CACHE).fill(undefined)

  private page(key: number, create: boolean): Int32Array | undefined {
    const slot = key & (CACHE - 1)
    if (this.cacheKeys[slot] === key) return this.cachePages[slot]
    let page = this.pages.get(key)
    if (!page && create) {
      page = new Int32Array(PAGE).fill(NONE)
      this.pages.set(key, page)
    }
    if (page) {
      this.cacheKeys[slot] = key
      this.cachePages[slot] = page
    }
    return page
  }

  /** The index kept for id; undefined when there is none. */
  get(id: number): number | undefined {
    let v: number | undefined
    if (id >>> 0 === id) v = this.page(id >>> PAGE_BITS, false)?.[id & (PAGE - 1)]
    else {
      const key = Math.floor(id / PAGE)
      v = this.page(key, false)?.[id - key * PAGE]
    }
    return v === undefined || v === NONE ? undefined : v
  }

  has(id: number): boolean {
    return this.get(id) !== undefined
  }

  /** Keeps index (0 to 2^31-1) for id. */
  set(id: number, index: number): void {
    const key = Math.floor(id / PAGE)
    this.page(key, true)![id - key * PAGE] = index
  }

  delete(id: number): void {
    const key = Math.floor(id / PAGE)
    const page = this.page(key, false)
    if (page) page[id - key * PAGE] = NONE
  }
}
