// PlatformApi in a plain browser: files come from <input type=file> or drag and drop and are read with
// File.stream(); saving is a download; recent files are the ones opened in this tab.
import type { OpenedFile, PlatformApi, RecentFile } from '@shared/platform/api'

type Listener = (file: OpenedFile) => void

export interface WebPlatform extends PlatformApi {
  /** The <input type=file> the page renders; openFile() clicks it. */
  attachFileInput(input: HTMLInputElement): () => void
}

export function webPlatform(): WebPlatform {
  const files = new Map<string, File>()
  const recent: RecentFile[] = []
  const listeners = new Set<Listener>()
  let input: HTMLInputElement | null = null
  let nextId = 1

  function adopt(file: File): OpenedFile {
    const id = `web-${nextId++}`
    files.set(id, file)
    const opened = { id, name: file.name, size: file.size }
    // The same file opened again is listed once, at the top.
    const again = recent.findIndex((r) => r.name === file.name && files.get(r.id)?.size === file.size)
    if (again >= 0) recent.splice(again, 1)
    recent.unshift({ id, name: file.name, openedAt: Date.now() })
    recent.splice(12)
    return opened
  }

  const api: WebPlatform = {
    kind: 'web',
    appVersion: async () => __LIFELINE_VERSION__,
    openFile: () =>
      new Promise<OpenedFile | null>((resolve) => {
        if (!input) return resolve(null)
        const picker = input
        const done = () => {
          picker.removeEventListener('change', done)
          picker.removeEventListener('cancel', done)
          const file = picker.files?.[0]
          // Emptied, so that picking the same file again (after a Cancel, say) is a change too.
          picker.value = ''
          resolve(file ? adopt(file) : null)
        }
        picker.addEventListener('change', done)
        picker.addEventListener('cancel', done)
        picker.click()
      }),
    adoptFile: async (file) => adopt(file),
    readFile: async (id) => {
      const file = files.get(id)
      if (!file) throw new Error('that file is no longer available; open it again')
      return file.stream() as ReadableStream<Uint8Array>
    },
    // The browser has no decoder process: the data worker decodes the bytes itself.
    openTrace: async (id) => ({ kind: 'bytes', stream: await api.readFile(id) }),
    saveFile: async (name, contents, mime) => {
      const url = URL.createObjectURL(new Blob([contents], { type: mime }))
      const a = document.createElement('a')
      a.href = url
      a.download = name
      a.rel = 'noopener'
      document.body.append(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      return name
    },
    recentFiles: async () => recent.slice(),
    forgetRecent: async (id) => {
      const at = recent.findIndex((r) => r.id === id)
      if (at >= 0) recent.splice(at, 1)
    },
    onOpenRequest: (listener) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    // The browser has no application menu: its commands come from the page's own shortcuts and buttons.
    onCommand: () => () => undefined,
    attachFileInput: (element) => {
      input = element
      // A change the page did not ask for (e.g. a test setting files on the input) is an open request too.
      const onChange = () => {
        const file = element.files?.[0]
        if (!file || pendingPick) return
        element.value = ''
        for (const l of listeners) l(adopt(file))
      }
      element.addEventListener('change', onChange)
      return () => {
        element.removeEventListener('change', onChange)
        if (input === element) input = null
      }
    },
  }
  let pendingPick = false
  const open = api.openFile
  api.openFile = async () => {
    pendingPick = true
    try {
      return await open()
    } finally {
      pendingPick = false
    }
  }
  return api
}
