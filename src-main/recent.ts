// Recent files, kept as a small JSON list in the app's data folder (most recent first, paths deduplicated).
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'

export interface RecentEntry {
  path: string
  openedAt: number
}

export class RecentFiles {
  constructor(
    private readonly storePath: string,
    private readonly limit = 12,
  ) {}

  async list(): Promise<RecentEntry[]> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.storePath, 'utf8'))
      if (!Array.isArray(parsed)) return []
      return parsed
        .filter((e): e is RecentEntry => typeof e?.path === 'string' && typeof e?.openedAt === 'number')
        .slice(0, this.limit)
    } catch {
      return [] // a missing or damaged list is an empty one
    }
  }

  async add(path: string, now = Date.now()): Promise<RecentEntry[]> {
    return this.save([{ path, openedAt: now }, ...(await this.list()).filter((e) => e.path !== path)].slice(0, this.limit))
  }

  /** Takes a path off the list (its open failed). */
  async remove(path: string): Promise<RecentEntry[]> {
    return this.save((await this.list()).filter((e) => e.path !== path))
  }

  private async save(next: RecentEntry[]): Promise<RecentEntry[]> {
    await mkdir(dirname(this.storePath), { recursive: true })
    await writeFile(this.storePath, JSON.stringify(next, null, 2))
    return next
  }
}
