import { describe, expect, it } from 'vitest'
import { fillRect, hslToRgb, packColor, packRgb, paintRuns, type Raster } from '../../../src-shared/timeline/raster'
import { pixelsOf, runsOf } from '../../../src-shared/timeline/pyramid'
import { SpanBuilder } from '../../../src-shared/timeline/spans'

function raster(width: number, height: number, stride = width): Raster {
  return { pixels: new Uint32Array(stride * height), stride, width, height }
}

const line = (r: Raster, y: number) => [...r.pixels.subarray(y * r.stride, y * r.stride + r.width)]
const id = (v: number) => v

describe('colours as pixel words', () => {
  it('packs hex and hsl as ImageData bytes (R, G, B, A in memory)', () => {
    const bytes = new Uint8Array(new Uint32Array([packColor('#3fbf5f')]).buffer)
    expect([...bytes]).toEqual([0x3f, 0xbf, 0x5f, 0xff])
    expect(packColor('#fff')).toBe(packRgb(255, 255, 255))
    expect(packColor('hsl(0 100% 50%)')).toBe(packRgb(255, 0, 0))
    expect(packColor('hsl(120 100% 25%)')).toBe(packRgb(0, 128, 0))
  })

  it('converts hsl as CSS does', () => {
    expect(hslToRgb(210, 55, 48)).toEqual([55, 122, 190])
    expect(hslToRgb(0, 0, 100)).toEqual([255, 255, 255])
  })
})

describe('paintRuns', () => {
  it('lands runs of the same window pixel for pixel on every line of the row, the rest untouched', () => {
    const r = raster(10, 4, 12)
    paintRuns(r, 1, 2, Uint32Array.from([0, 2, 7, 5, 3, 9]), { startNs: 0, nsPerPx: 10 }, { startNs: 0, nsPerPx: 10 }, id)
    expect(line(r, 0)).toEqual(new Array(10).fill(0))
    expect(line(r, 1)).toEqual([7, 7, 0, 0, 0, 9, 9, 9, 0, 0])
    expect(line(r, 2)).toEqual(line(r, 1))
    expect(line(r, 3)).toEqual(new Array(10).fill(0))
    // Padding beyond the width is never written.
    expect(r.pixels[1 * 12 + 10]).toBe(0)
  })

  it('matches drawing the target window directly when it is the source shifted by whole pixels', () => {
    const b = new SpanBuilder()
    for (let i = 0; i < 200; i++) b.push(i * 50, i * 50 + 30 + (i % 3) * 5, 1 + (i % 4))
    const spans = b.finish()
    const px = new Uint32Array(500)
    pixelsOf(spans, { startNs: -1000, nsPerPx: 10, width: 500 }, px, () => null)
    const wide = runsOf(px, 500)
    const r = raster(100, 1)
    paintRuns(r, 0, 1, wide, { startNs: -1000, nsPerPx: 10 }, { startNs: 2000, nsPerPx: 10 }, id)
    const direct = new Uint32Array(100)
    pixelsOf(spans, { startNs: 2000, nsPerPx: 10, width: 100 }, direct, () => null)
    expect(line(r, 0)).toEqual([...direct])
  })

  it('scales runs into a zoomed window (a preview), a run that shrinks below a pixel still covers one', () => {
    const r = raster(8, 1)
    // Source: 1 ns per pixel; target: 2 ns per pixel, shifted by 2 ns.
    paintRuns(r, 0, 1, Uint32Array.from([2, 4, 5, 7, 1, 6]), { startNs: 0, nsPerPx: 1 }, { startNs: 2, nsPerPx: 2 }, id)
    expect(line(r, 0)).toEqual([5, 5, 6, 0, 0, 0, 0, 0])
  })

  it('clips to the raster and widens thin marks', () => {
    const r = raster(6, 1)
    paintRuns(r, 0, 1, Uint32Array.from([0, 1, 3, 4, 5, 4]), { startNs: 0, nsPerPx: 1 }, { startNs: 0, nsPerPx: 1 }, id, 2)
    expect(line(r, 0)).toEqual([3, 3, 0, 0, 4, 4])
  })

  it('fillRect clips', () => {
    const r = raster(4, 3)
    fillRect(r, -2, 1, 2, 5, 8)
    expect([...r.pixels]).toEqual([0, 0, 0, 0, 8, 8, 0, 0, 8, 8, 0, 0])
  })
})
