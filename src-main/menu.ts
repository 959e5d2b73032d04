// The application menu as plain data (so tests can check it without Electron): File, View, Help. Items that act on
// the page send an AppCommand to the focused window; the renderer maps each to the same action as its shortcut.
import type { AppCommand } from '../src-shared/platform/api'

export interface MenuItemSpec {
  label?: string
  role?: string
  type?: 'separator' | 'submenu'
  accelerator?: string
  command?: AppCommand
  /** For items main handles itself. */
  action?: 'open' | 'open-recent' | 'close-window'
  recentPath?: string
  submenu?: MenuItemSpec[]
}

export function menuTemplate(recentPaths: string[], isMac: boolean): MenuItemSpec[] {
  const sep: MenuItemSpec = { type: 'separator' }
  const recent: MenuItemSpec[] = recentPaths.length
    ? recentPaths.map((p) => ({ label: p, action: 'open-recent' as const, recentPath: p }))
    : [{ label: 'No recent traces' }]
  return [
    ...(isMac ? [{ role: 'appMenu' }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Trace…', accelerator: 'CmdOrCtrl+O', action: 'open' },
        { label: 'Open Recent', submenu: recent },
        { label: 'Compare With…', accelerator: 'CmdOrCtrl+Shift+O', command: 'compare-with' },
        sep,
        { label: 'Export Leak Report…', accelerator: 'CmdOrCtrl+E', command: 'export-report' },
        sep,
        { label: 'Close', accelerator: 'CmdOrCtrl+W', action: 'close-window' },
        ...(isMac ? [] : [sep, { role: 'quit' }]),
      ],
    },
    {
      label: 'View',
      submenu: [
        { label: 'Zoom In', accelerator: 'W', command: 'zoom-in' },
        { label: 'Zoom Out', accelerator: 'S', command: 'zoom-out' },
        { label: 'Fit Selection', accelerator: 'F', command: 'fit' },
        { label: 'Show Whole Trace', accelerator: 'Home', command: 'reset-zoom' },
        sep,
        { label: 'Machine (M) Tracks', command: 'toggle-ms' },
        { label: 'Leak Panel', command: 'toggle-leaks' },
        sep,
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Help',
      submenu: [
        { label: 'Keyboard Shortcuts', accelerator: 'Shift+/', command: 'show-shortcuts' },
        { label: 'About Lifeline', role: 'about' },
      ],
    },
  ]
}
