// Values by integer ID for IDs that are dense but can start anywhere: goroutine IDs in a long-running server are in
// the millions or billions, so an array indexed from 0 would waste memory, and a Map hashes on every lookup. Pages of
// 4096 slots are found through a map, with the last page cached (lookups come in runs).
const PAGE = 4096

export class IdTable<T> {
  private readonly pages = new Map<number, (T | undefined)[]>()
  private lastKey = NaN
  private lastPage: (T | undefined)[] | undefined = undefined

  private page(key: number, create: boolean): (T | undefined)[] | undefined {
    if (key === this.lastKey) return this.lastPage
    let page = this.pages.get(key)
    if (!page && create) {
      page = new Array<T | undefined>(PAGE).fill(undefined)
      this.pages.set(key, page)
    }
    if (page) {
      this.lastKey = key
      this.lastPage = page
    }
    return page
  }

  get(id: number): T | undefined {
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
