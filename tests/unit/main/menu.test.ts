import { describe, expect, it } from 'vitest'
import { menuTemplate, type MenuItemSpec } from '../../../src-main/menu'

const labels = (items: MenuItemSpec[] | undefined) => (items ?? []).filter((i) => i.label).map((i) => i.label)

describe('application menu', () => {
  it('has File, View and Help with the actions the desktop needs', () => {
    const menu = menuTemplate(['/tmp/a.trace'], false)
    expect(labels(menu)).toEqual(['File', 'View', 'Help'])
    const file = menu[0]!.submenu
    expect(labels(file)).toEqual(['Open Trace…', 'Open Recent', 'Compare With…', 'Export Leak Report…', 'Close'])
    expect(file!.find((i) => i.label === 'Open Recent')!.submenu).toEqual([
      { label: '/tmp/a.trace', action: 'open-recent', recentPath: '/tmp/a.trace' },
    ])
    expect(file!.find((i) => i.label === 'Export Leak Report…')!.command).toBe('export-report')
    expect(labels(menu[2]!.submenu)).toEqual(['Keyboard Shortcuts', 'About Lifeline'])
  })
  it('puts the app menu first on macOS and says when there are no recent traces', () => {
    const menu = menuTemplate([], true)
    expect(menu[0]).toEqual({ role: 'appMenu' })
    expect(menu[1]!.submenu!.find((i) => i.label === 'Open Recent')!.submenu).toEqual([{ label: 'No recent traces' }])
  })
})
