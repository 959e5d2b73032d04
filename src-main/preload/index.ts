// The preload: a small bridge over typed IPC. Nothing of Electron itself (no ipcRenderer, no event objects) reaches
// the page; paths of dropped files go straight to main. The renderer turns this into its PlatformApi.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { AppCommand, ElectronBridge, OpenedFile } from '../../src-shared/platform/api'
import { DECODER_PORT, type DecoderEnded, type DecoderPortMessage, type IpcInvokeMap, type InvokeChannel } from '../../src-shared/platform/ipc'

function invoke<C extends InvokeChannel>(channel: C, ...args: IpcInvokeMap[C]['args']): Promise<IpcInvokeMap[C]['result']> {
  return ipcRenderer.invoke(channel, ...args) as Promise<IpcInvokeMap[C]['result']>
}

const bridge: ElectronBridge = {
  appVersion: () => invoke('app:version'),
  openFile: () => invoke('file:open-dialog'),
  adoptFile: async (file) => {
    const path = webUtils.getPathForFile(file)
    if (!path) throw new Error(`${file.name} is not a file on disk`)
    return invoke('file:adopt-path', path)
  },
  readChunk: (id, offset, length) => invoke('file:read-chunk', id, offset, length),
  startDecode: async (id) => (await invoke('decoder:start', id)).job,
  cancelDecode: (job) => invoke('decoder:cancel', job),
  onDecoderEnded: (listener) => {
    const wrapped = (_event: unknown, ended: DecoderEnded) => listener(ended)
    ipcRenderer.on('decoder:ended', wrapped)
    return () => void ipcRenderer.removeListener('decoder:ended', wrapped)
  },
  saveFile: (name, contents, mime) => invoke('file:save', name, contents, mime),
  recentFiles: () => invoke('recent:list'),
  forgetRecent: (id) => invoke('recent:forget', id),
  onOpenRequest: (listener) => {
    const wrapped = (_event: unknown, file: OpenedFile) => listener(file)
    ipcRenderer.on('app:open-request', wrapped)
    return () => void ipcRenderer.removeListener('app:open-request', wrapped)
  },
  onCommand: (listener) => {
    const wrapped = (_event: unknown, command: AppCommand) => listener(command)
    ipcRenderer.on('app:command', wrapped)
    return () => void ipcRenderer.removeListener('app:command', wrapped)
  },
}

// A decoder process's port: MessagePorts cannot cross the context bridge, so it goes to the page as a window message
// (the page checks that it came from its own window), and the page transfers it on into its data worker.
ipcRenderer.on(DECODER_PORT, (event, message: { job?: unknown }) => {
  const port = event.ports[0]
  if (!port || !Number.isSafeInteger(message?.job)) return
  // (globalThis is the window here; the main-process tsconfig has no DOM types.)
  const page = globalThis as unknown as { postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void }
  page.postMessage({ lifeline: 'decoder-port', job: message.job as number } satisfies DecoderPortMessage, '*', [port])
})

contextBridge.exposeInMainWorld('lifelineBridge', bridge)
