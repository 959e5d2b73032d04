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
  /** Takes an opened file (by id) off the recent list: its open failed. */
  'recent:forget': { args: [id: string]; result: void }
  /**
   * Starts decoding an opened file in a decoder process. The window then receives the process's message port
   * (channel DECODER_PORT, message { job }) and later 'decoder:ended'.
   */
  'decoder:start': { args: [id: string]; result: { job: number } }
  /** Stops (kills) a decode this window started; false when it had already ended. */
  'decoder:cancel': { args: [job: number]; result: boolean }
}

/** How a decoder process ended: 'crashed' carries the words for the window (out of memory, killed, ...). */
export type DecoderEnded =
  | { job: number; kind: 'finished' | 'cancelled' }
  | { job: number; kind: 'crashed'; message: string }

/** Events main sends to the renderer. */
export interface IpcEventMap {
  'app:open-request': OpenedFile
  'app:command': AppCommand
  'decoder:ended': DecoderEnded
}

/** The channel main posts a decoder's port on (webContents.postMessage, with the port transferred). */
export const DECODER_PORT = 'decoder:port'

/** How the preload hands a decoder port to the page (window.postMessage, with the port transferred). */
export interface DecoderPortMessage {
  lifeline: 'decoder-port'
  job: number
}

export type InvokeChannel = keyof IpcInvokeMap

/** The bytes one read-chunk call returns at most; bounded so a hostile caller cannot make main allocate much. */
export const MAX_CHUNK_BYTES = 4 << 20
