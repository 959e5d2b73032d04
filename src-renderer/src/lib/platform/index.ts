// The renderer's only door to the platform: the Electron bridge when the preload provided one, the browser
// fallback otherwise. Nothing else in the renderer touches window.lifelineBridge.
import type { ElectronBridge, PlatformApi } from '@shared/platform/api'
import { electronPlatform } from './electron'
import { webPlatform } from './web'

declare global {
  interface Window {
    lifelineBridge?: ElectronBridge
  }
}

const web = window.lifelineBridge ? null : webPlatform()

export const platform: PlatformApi = window.lifelineBridge ? electronPlatform(window.lifelineBridge) : web!

/**
 * Hands the page's <input type=file> to the browser fallback (its open dialog). Under Electron the input is still
 * there for drag-free keyboard use, and a file chosen in it is adopted like a dropped one.
 */
export function attachFileInput(input: HTMLInputElement, onUnsolicited: (file: File) => void): () => void {
  if (web) return web.attachFileInput(input)
  const onChange = () => {
    const file = input.files?.[0]
    if (!file) return
    // Emptied, so that the same file chosen again is a change too.
    input.value = ''
    onUnsolicited(file)
  }
  input.addEventListener('change', onChange)
  return () => input.removeEventListener('change', onChange)
}
