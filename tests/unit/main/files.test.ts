import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileAccessError, FileRegistry } from '../../../src-main/files'
import { RecentFiles } from '../../../src-main/recent'
import { registerHandlers, type InvokeEvent } from '../../../src-main/ipc'
import { MAX_CHUNK_BYTES } from '../../../src-shared/platform/ipc'

const dir = mkdtempSync(join(tmpdir(), 'lifeline-main-'))
const tracePath = join(dir, 'a.trace')
const bytes = new Uint8Array(10_000).map((_, i) => i & 0xff)
writeFileSync(tracePath, bytes)

describe('file grants', () => {
  it('reads granted files in bounded chunks by opaque id', async () => {
    const files = new FileRegistry()
    const file = await files.grant(tracePath)
    expect(file).toMatchObject({ name: 'a.trace', size: 10_000 })
    expect(file.id).not.toContain(dir)
    expect(await files.grant(tracePath)).toMatchObject({ id: file.id })
    const chunk = await files.readChunk(file.id, 9_000, 5_000)
    expect(chunk.byteLength).toBe(1_000)
    expect(chunk[0]).toBe(9_000 & 0xff)
    expect((await files.readChunk(file.id, 10_000, 10)).byteLength).toBe(0)
    expect((await files.readChunk(file.id, 0, 1 << 30)).byteLength).toBeLessThanOrEqual(MAX_CHUNK_BYTES)
  })
  it('refuses ids it never granted, bad ranges, folders and missing files', async () => {
    const files = new FileRegistry()
    const file = await files.grant(tracePath)
    await expect(files.readChunk('00000000-0000-0000-0000-000000000000', 0, 10)).rejects.toThrow(/not opened by the user/)
    await expect(files.readChunk(tracePath, 0, 10)).rejects.toThrow(FileAccessError)
    await expect(files.readChunk(file.id, -1, 10)).rejects.toThrow(/bad offset/)
    await expect(files.readChunk(file.id, 0, 0)).rejects.toThrow(/bad length/)
    await expect(files.readChunk(file.id, 0.5, 10)).rejects.toThrow(/bad offset/)
    mkdirSync(join(dir, 'folder'), { recursive: true })
    await expect(files.grant(join(dir, 'folder'))).rejects.toThrow(/not a regular file/)
    await expect(files.grant(join(dir, 'missing.trace'))).rejects.toThrow(/no such file/)
    await expect(files.grant('')).rejects.toThrow(/not a file path/)
  })
})

describe('recent files', () => {
  it('keeps the most recent first, deduplicated, bounded, and survives a damaged store', async () => {
    const store = join(dir, 'recent', 'recent.json')
    const recent = new RecentFiles(store, 3)
    expect(await recent.list()).toEqual([])
    await recent.add('/a', 1)
    await recent.add('/b', 2)
    await recent.add('/a', 3)
    await recent.add('/c', 4)
    await recent.add('/d', 5)
    expect((await recent.list()).map((e) => e.path)).toEqual(['/d', '/c', '/a'])
    writeFileSync(store, '{not json')
    expect(await recent.list()).toEqual([])
  })
})

describe('recent files, forgetting', () => {
  it('takes a path off the list and keeps the rest in order', async () => {
    const recent = new RecentFiles(join(dir, 'recent-forget', 'recent.json'))
    for (const [p, t] of [['/a', 1], ['/b', 2], ['/c', 3]] as const) await recent.add(p, t)
    await recent.remove('/b')
    expect((await recent.list()).map((e) => e.path)).toEqual(['/c', '/a'])
    await recent.remove('/nowhere')
    expect((await recent.list()).map((e) => e.path)).toEqual(['/c', '/a'])
  })
})

describe('typed IPC', () => {
  it('runs handlers only for trusted senders', async () => {
    const registered = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>()
    const ipcMain = { handle: (ch: string, fn: (event: InvokeEvent, ...args: unknown[]) => unknown) => void registered.set(ch, fn) }
    registerHandlers(ipcMain, {
      'app:version': () => '1.2.3',
      'file:open-dialog': () => null,
      'file:adopt-path': () => ({ id: 'x', name: 'x', size: 0 }),
      'file:read-chunk': () => new Uint8Array(),
      'file:save': () => null,
      'recent:list': () => [],
      'recent:forget': () => undefined,
      'decoder:start': () => ({ job: 1 }),
      'decoder:cancel': () => true,
    })
    expect([...registered.keys()].sort()).toEqual(
      ['app:version', 'decoder:cancel', 'decoder:start', 'file:adopt-path', 'file:open-dialog', 'file:read-chunk', 'file:save', 'recent:forget', 'recent:list'],
    )
    const version = registered.get('app:version')!
    expect(await version({ senderFrame: { url: 'app://lifeline/index.html' } })).toBe('1.2.3')
    expect(() => version({ senderFrame: { url: 'https://evil.example/' } })).toThrow(/untrusted frame/)
    expect(() => version({ senderFrame: null })).toThrow(/untrusted frame/)
  })
})
