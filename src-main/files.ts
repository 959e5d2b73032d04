// Only files the user opened (dialog, drop, command line, OS "open with") can be read by the renderer. They are
// known to the page by an opaque random id; the path never crosses into the page.
import { randomUUID } from 'node:crypto'
import { open, stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import type { OpenedFile } from '../src-shared/platform/api'
import { MAX_CHUNK_BYTES } from '../src-shared/platform/ipc'

interface Entry {
  file: OpenedFile
  path: string
}

export class FileAccessError extends Error {}

export class FileRegistry {
  private readonly byId = new Map<string, Entry>()
  private readonly byPath = new Map<string, string>()

  /** Grants access to a regular file the user chose; the same path keeps its id. */
  async grant(path: string): Promise<OpenedFile> {
    if (typeof path !== 'string' || path === '' || path.includes('\0')) throw new FileAccessError('not a file path')
    const full = resolve(path)
    let info
    try {
      info = await stat(full)
    } catch {
      throw new FileAccessError(`cannot open ${basename(full)}: no such file`)
    }
    if (!info.isFile()) throw new FileAccessError(`cannot open ${basename(full)}: not a regular file`)
    const known = this.byPath.get(full)
    if (known) {
      const entry = this.byId.get(known)!
      entry.file = { ...entry.file, size: info.size }
      return entry.file
    }
    const file: OpenedFile = { id: randomUUID(), name: basename(full), size: info.size }
    this.byId.set(file.id, { file, path: full })
    this.byPath.set(full, file.id)
    return file
  }

  pathOf(id: string): string | undefined {
    return this.byId.get(id)?.path
  }

  /** Reads a bounded chunk of a granted file; unknown ids and bad ranges are refused. */
  async readChunk(id: unknown, offset: unknown, length: unknown): Promise<Uint8Array> {
    if (typeof id !== 'string') throw new FileAccessError('bad file id')
    const entry = this.byId.get(id)
    if (!entry) throw new FileAccessError('that file was not opened by the user')
    if (!Number.isSafeInteger(offset) || (offset as number) < 0) throw new FileAccessError('bad offset')
    if (!Number.isSafeInteger(length) || (length as number) <= 0) throw new FileAccessError('bad length')
    const want = Math.min(length as number, MAX_CHUNK_BYTES)
    const handle = await open(entry.path, 'r')
    try {
      const buffer = new Uint8Array(want)
      const { bytesRead } = await handle.read(buffer, 0, want, offset as number)
      return bytesRead === want ? buffer : buffer.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  }
}
