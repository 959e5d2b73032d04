// The one object through which the renderer reaches the platform. The Electron preload implements it over typed
// IPC; the browser fallback implements it with <input type=file>, drag and drop, File.stream() and downloads.
import type { DecoderEnded } from './ipc'

/** A trace the user chose: a handle the platform can stream, never a raw path for the page to use. */
export interface OpenedFile {
  /** Opaque id the platform understands (a path token under Electron, a registry key in the browser). */
  id: string
  name: string
  size: number
}

/** Commands the desktop menu sends to the page; each is the same action as its keyboard shortcut. */
export type AppCommand =
  | 'compare-with'
  | 'export-report'
  | 'zoom-in'
  | 'zoom-out'
  | 'fit'
  | 'reset-zoom'
  | 'toggle-ms'
  | 'toggle-leaks'
  | 'show-shortcuts'

export interface RecentFile {
  id: string
  name: string
  openedAt: number
}

/** A page's MessagePort (spelled so that it also resolves where only Node's globals are declared, e.g. in tests). */
export type PagePort = InstanceType<typeof MessagePort>

/**
 * A trace to open, as the platform provides it to the data worker:
 * - 'bytes': the file's bytes; the worker decodes them (the browser);
 * - 'events': a decoder already runs elsewhere (the desktop build's decoder process) and sends the decoded events
 *   over `port` (see src-shared/trace/remote.ts); the worker only receives them. `cancel` stops that decoder;
 *   `onEnded` says how its process ended (a crash is reported there, since a dead process sends nothing more).
 */
export type TraceInput =
  | { kind: 'bytes'; stream: ReadableStream<Uint8Array> }
  | {
      kind: 'events'
      job: number
      port: PagePort
      cancel(): void
      onEnded(listener: (ended: DecoderEnded) => void): () => void
    }

export interface PlatformApi {
  /** 'electron' or 'web'. */
  readonly kind: 'electron' | 'web'
  appVersion(): Promise<string>
  /** Shows the platform's open dialog; null when cancelled. */
  openFile(): Promise<OpenedFile | null>
  /** Registers a File the user dropped or picked in the page, so it can be streamed like any other. */
  adoptFile(file: File): Promise<OpenedFile>
  /** The file's bytes as a stream of chunks (bounded memory, whatever the size). */
  readFile(id: string): Promise<ReadableStream<Uint8Array>>
  /** The file to open in the data worker: its bytes, or (desktop) the port of a decoder process working on it. */
  openTrace(id: string): Promise<TraceInput>
  /** Saves text (e.g. a report) where the user chooses; returns where it went, or null when cancelled. */
  saveFile(suggestedName: string, contents: string, mime: string): Promise<string | null>
  recentFiles(): Promise<RecentFile[]>
  /** Takes a file whose open failed (not a trace, unreadable) off the recent list; a cancelled one stays. */
  forgetRecent(id: string): Promise<void>
  /** Files the app was started with (`lifeline-app trace.out`) or that the OS passed later. */
  onOpenRequest(listener: (file: OpenedFile) => void): () => void
  /** Menu commands (desktop only; the browser has none). */
  onCommand(listener: (command: AppCommand) => void): () => void
}

/**
 * What the Electron preload exposes on `window.lifelineBridge`. Only values contextBridge can carry (promises,
 * plain data, typed arrays, functions): streams are built on the page side from `readChunk`.
 */
export interface ElectronBridge {
  appVersion(): Promise<string>
  openFile(): Promise<OpenedFile | null>
  adoptFile(file: File): Promise<OpenedFile>
  readChunk(id: string, offset: number, length: number): Promise<Uint8Array>
  /**
   * Starts a decoder process for an opened file; resolves to its job number. The process's port reaches the page as
   * a window message ({ lifeline: 'decoder-port', job }, see DecoderPortMessage) with the port transferred, since a
   * MessagePort cannot cross the context bridge.
   */
  startDecode(id: string): Promise<number>
  cancelDecode(job: number): Promise<boolean>
  onDecoderEnded(listener: (ended: DecoderEnded) => void): () => void
  saveFile(suggestedName: string, contents: string, mime: string): Promise<string | null>
  recentFiles(): Promise<RecentFile[]>
  forgetRecent(id: string): Promise<void>
  onOpenRequest(listener: (file: OpenedFile) => void): () => void
  onCommand(listener: (command: AppCommand) => void): () => void
}
