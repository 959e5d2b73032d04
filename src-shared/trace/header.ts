// The 16-byte header "go 1.NN trace\0\0\0": which format follows.
import { TraceFormatError } from './errors'

export const SUPPORTED = [11, 19, 21, 22, 23, 25, 26] as const
export const LEGACY = new Set([11, 19, 21])

export function supportedText(): string {
  return SUPPORTED.map((v) => `go 1.${v}`).join(', ')
}

/** Returns the minor version (e.g. 26) or throws naming the supported versions. */
export function parseHeader(bytes: Uint8Array): number {
  if (bytes.length < 16) {
    throw new TraceFormatError('header', `not a Go execution trace: the file is ${bytes.length} bytes, shorter than the 16-byte header`, 0)
  }
  let text = ''
  for (let i = 0; i < 16; i++) text += String.fromCharCode(bytes[i]!)
  const m = /^go 1\.(\d+) trace\0*$/.exec(text)
  if (!m) {
    const shown = text.replace(/[^\x20-\x7e]/g, '.')
    throw new TraceFormatError('header', `not a Go execution trace: header "${shown}" is not "go 1.NN trace" (supported: ${supportedText()})`, 0)
  }
  const v = Number(m[1])
  if (!(SUPPORTED as readonly number[]).includes(v)) {
    throw new TraceFormatError('header', `unknown or unsupported trace version go 1.${v}; Lifeline reads ${supportedText()}`, 0)
  }
  return v
}
