// Typed IPC handlers. Every handler checks the sender frame first and validates its arguments; the Electron objects
// are injected so that unit tests run these handlers without the Electron binary.
import type { IpcInvokeMap, InvokeChannel } from '../src-shared/platform/ipc'
import type { WindowLike } from './decoder/service'
import { isTrustedSender } from './security'

/** The slice of Electron's IpcMainInvokeEvent we rely on. */
export interface InvokeEvent {
  senderFrame: { url: string } | null
  /** The window's WebContents (decodes send their port and their end to it). */
  sender?: WindowLike
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void
}

export type Handlers = {
  [C in InvokeChannel]: (
    event: InvokeEvent,
    ...args: unknown[]
  ) => Promise<IpcInvokeMap[C]['result']> | IpcInvokeMap[C]['result']
}

export class UntrustedSenderError extends Error {
  constructor(url: string | undefined) {
    super(`IPC from an untrusted frame refused (${url ?? 'no frame'})`)
  }
}

export function registerHandlers(ipcMain: IpcMainLike, handlers: Handlers, devServerUrl?: string): void {
  for (const channel of Object.keys(handlers) as InvokeChannel[]) {
    const handler = handlers[channel] as (event: InvokeEvent, ...args: unknown[]) => unknown
    ipcMain.handle(channel, (event, ...args) => {
      const url = event.senderFrame?.url
      if (!isTrustedSender(url, devServerUrl)) throw new UntrustedSenderError(url)
      return handler(event, ...args)
    })
  }
}

/** Argument checks shared by the handlers. */
export function expectString(value: unknown, what: string, max = 4096): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw new Error(`bad ${what}`)
  return value
}

/** The window that sent an invoke (decodes answer to it). */
export function senderOf(event: InvokeEvent): WindowLike {
  if (!event.sender || event.sender.isDestroyed()) throw new Error('no window to answer')
  return event.sender
}
