// Values by integer ID for IDs that are dense but can start anywhere: goroutine IDs in a long-running server are in
// the millions or billions, so an array indexed from 0 would waste memory, and a Map hashes on every lookup. Pages of
// 4096 slots are found through a map; a small direct-mapped cache of recent pages (by the page number's low bits)
// answers almost every lookup without hashing, since a trace's live goroutines sit in a few dozen pages.
const PAGE_BITS = 12
const PAGE = 1 << PAGE_BITS
const CACHE = 64

export class IdTable<T> {
  private readonly pages = new Map<number, (T | undefined)[]>()
  private readonly cacheKeys = new Float64Array(CACHE).fill(NaN)
  private readonly cachePages: ((T | undefined)[] | undefined)[] = new Array(CACHE).fill(undefined)

  private page(key: number, create: boolean): (T | undefined)[] | undefined {
    const slot = key & (CACHE - 1)
    if (this.cacheKeys[slot] === key) return this.cachePages[slot]
    let page = this.pages.get(key)
    if (!page && create) {
      page = new Array<T | undefined>(PAGE).fill(undefined)
      this.pages.set(key, page)
    }
    if (page) {
      this.cacheKeys[slot] = key
      this.cachePages[slot] = page
    }
    return page
  }

  get(id: number): T | undefined {
    if (id >>> 0 === id) return this.page(id >>> PAGE_BITS, false)?.[id & (PAGE - 1)]
    const key = Math.floor(id / PAGE)
    return this.page(key, false)?.[id - key * PAGE]
  }

  has(id: number): boolean {
    return this.get(id) !== undefined
  }

  set(id: number, value: T): void {
    const key = Math.floor(id / PAGE)
    this.page(key, true)![id - key * PAGE] = value
  }

  delete(id: number): void {
    const key = Math.floor(id / PAGE)
    const page = this.page(key, false)
    if (page) page[id - key * PAGE] = undefined
  }
}
