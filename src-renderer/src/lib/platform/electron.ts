// PlatformApi over the preload's bridge: file bytes are pulled in bounded chunks through typed IPC.
import type { ElectronBridge, PlatformApi } from '@shared/platform/api'

const CHUNK_BYTES = 4 << 20

export function electronPlatform(bridge: ElectronBridge): PlatformApi {
  return {
    kind: 'electron',
    appVersion: () => bridge.appVersion(),
    openFile: () => bridge.openFile(),
    adoptFile: (file) => bridge.adoptFile(file),
    readFile: async (id) => {
      let offset = 0
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = await bridge.readChunk(id, offset, CHUNK_BYTES)
          if (chunk.byteLength === 0) controller.close()
          else {
            offset += chunk.byteLength
            controller.enqueue(chunk)
          }
        },
      })
    },
    saveFile: (name, contents, mime) => bridge.saveFile(name, contents, mime),
    recentFiles: () => bridge.recentFiles(),
    onOpenRequest: (listener) => bridge.onOpenRequest(listener),
    onCommand: (listener) => bridge.onCommand(listener),
  }
}
