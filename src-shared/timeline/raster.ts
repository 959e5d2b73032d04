// The span area of the timeline as 32-bit pixels: per-pixel runs are painted into one buffer with typed-array fills
// and put on the canvas in one call, so a frame costs the screen size, never the number of runs or colours. Runs
// computed for one window can be painted into another (the view moved or zoomed since they were asked for): a
// scaled preview, drawn at once while the exact runs are on their way from the worker.

/** The window runs were computed for (or are painted into): time of pixel 0 and ns per pixel. */
export interface RunWindow {
  startNs: number
  nsPerPx: number
}

/** A pixel buffer (ImageData's bytes seen as 32-bit words) `width` pixels wide, `stride` words per line. */
export interface Raster {
  pixels: Uint32Array
  stride: number
  width: number
  height: number
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/** An opaque colour as one pixel word in ImageData's byte order (R, G, B, A in memory). */
export function packRgb(r: number, g: number, b: number): number {
  return LITTLE_ENDIAN ? ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 0xff) >>> 0
}

/** CSS Color 4 hsl() to 0-255 RGB (h in degrees, s and l in percent). */
export function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const sat = s / 100
  const lig = l / 100
  const a = sat * Math.min(lig, 1 - lig)
  const f = (n: number) => {
    const k = (n + h / 30) % 12
    return Math.round((lig - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))) * 255)
  }
  return [f(0), f(8), f(4)]
}

/** '#rgb', '#rrggbb' or 'hsl(h s% l%)' (the forms the timeline uses) as a pixel word; anything else is grey. */
export function packColor(css: string): number {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css)
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1]
    const n = parseInt(h, 16)
    return packRgb((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
  }
  const hsl = /^hsla?\(\s*([\d.]+)(?:deg)?[\s,]+([\d.]+)%[\s,]+([\d.]+)%\s*\)$/i.exec(css)
  if (hsl) return packRgb(...hslToRgb(Number(hsl[1]), Number(hsl[2]), Number(hsl[3])))
  return packRgb(0x88, 0x88, 0x88)
}

/** Fills lines [y, y + height) from x0 to x1 (clipped to the raster) with one colour. */
export function fillRect(r: Raster, x0: number, y: number, x1: number, height: number, color: number): void {
  const a = Math.max(0, Math.floor(x0))
  const b = Math.min(r.width, Math.floor(x1))
  const top = Math.max(0, Math.floor(y))
  const bottom = Math.min(r.height, Math.floor(y + height))
  if (b <= a) return
  for (let line = top; line < bottom; line++) r.pixels.fill(color, line * r.stride + a, line * r.stride + b)
}

/**
 * Paints runs ([x, width, value] triples in pixels of `from`, sorted by x) into lines [y, y + height) of the raster,
 * which shows the window `to`. When the windows are the same the runs land pixel for pixel; otherwise they are
 * scaled and shifted, and a run that shrinks below a pixel still covers one. `minWidth` widens thin runs (marks).
 */
export function paintRuns(
  r: Raster,
  y: number,
  height: number,
  runs: Uint32Array,
  from: RunWindow,
  to: RunWindow,
  color: (value: number) => number,
  minWidth = 1,
): void {
  const top = Math.max(0, Math.floor(y))
  const bottom = Math.min(r.height, Math.floor(y + height))
  if (bottom <= top || runs.length === 0) return
  const { pixels, stride, width } = r
  const scale = from.nsPerPx / to.nsPerPx
  const shift = (from.startNs - to.startNs) / to.nsPerPx
  const same = Math.abs(scale - 1) < 1e-9 && Math.abs(shift - Math.round(shift)) < 1e-6
  const offset = Math.round(shift)
  const line0 = top * stride
  let minX = width
  let maxX = 0
  for (let k = 0; k < runs.length; k += 3) {
    let a: number
    let b: number
    if (same) {
      a = runs[k] + offset
      b = a + runs[k + 1]
    } else {
      a = Math.floor(runs[k] * scale + shift)
      b = Math.floor((runs[k] + runs[k + 1]) * scale + shift)
    }
    if (b - a < minWidth) b = a + minWidth
    if (b <= 0) continue
    if (a >= width) break
    if (a < 0) a = 0
    if (b > width) b = width
    pixels.fill(color(runs[k + 2]), line0 + a, line0 + b)
    if (a < minX) minX = a
    if (b > maxX) maxX = b
  }
  // Every line of a row is the same: copy the first (gaps included: they hold the background already).
  if (maxX <= minX) return
  for (let line = top + 1; line < bottom; line++) pixels.copyWithin(line * stride + minX, line0 + minX, line0 + maxX)
}
