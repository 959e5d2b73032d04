// How every Chromium run of the project starts (the end-to-end specs, bench:ui, bench:report): Debian's chromium,
// or CHROMIUM_PATH, with the flags that keep it quiet and offline in a container.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
