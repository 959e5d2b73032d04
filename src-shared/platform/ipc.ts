// The typed IPC surface between the preload and the main process: one channel -> signature map used by both sides.
import type { AppCommand, OpenedFile, RecentFile } from './api'

export interface IpcInvokeMap {
  'app:version': { args: []; result: string }
  'file:open-dialog': { args: []; result: OpenedFile | null }
  /** A path the preload obtained from a dropped File (webUtils.getPathForFile); main validates it. */
  'file:adopt-path': { args: [path: string]; result: OpenedFile }
  /** Up to `length` bytes of an opened file from `offset`; an empty array at the end. */
  'file:read-chunk': { args: [id: string, offset: number, length: number]; result: Uint8Array }
  'file:save': { args: [suggestedName: string, contents: string, mime: string]; result: string | null }
  'recent:list': { args: []; result: RecentFile[] }
}

/** Events main sends to the renderer. */
export interface IpcEventMap {
  'app:open-request': OpenedFile
  'app:command': AppCommand
}

export type InvokeChannel = keyof IpcInvokeMap

/** The bytes one read-chunk call returns at most; bounded so a hostile caller cannot make main allocate much. */
export const MAX_CHUNK_BYTES = 4 << 20
