// Unsigned LEB128 varints over a byte array. Values below 2^53 decode exactly as numbers; larger ones (e.g. the
// "no thread" M = 2^64-1) are reduced to Go's int64 reading of them, which is what every printer wants.
import { TraceFormatError } from './errors'


export class ByteCursor {
  pos: number
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
    /** Offset of bytes[0] in the file, for error messages. */
    readonly fileOffset = 0,
  ) {
    this.pos = start
  }

  get remaining(): number {
    return this.end - this.pos
  }

  fail(message: string, kind: 'corrupt' | 'truncated' = 'corrupt'): never {
    throw new TraceFormatError(kind, message, this.fileOffset + this.pos)
  }

  byte(what: string): number {
    if (this.pos >= this.end) this.fail(`unexpected end of data reading ${what}`, 'truncated')
    return this.bytes[this.pos++]!
  }

  /** Reads a uvarint; returns -1 (Go's int64 view) for 2^64-1 and any value >= 2^63 as its int64 reading. */
  uvarint(what: string): number {
    const b = this.bytes
    let pos = this.pos
    let lo = 0
    let shift = 0
    // Fast path: up to 4 bytes (28 bits) fit in a 32-bit integer.
    for (let i = 0; i < 4; i++) {
      if (pos >= this.end) this.fail(`unexpected end of data reading ${what}`, 'truncated')
      const c = b[pos++]!
      lo |= (c & 0x7f) << shift
      if (c < 0x80) {
        this.pos = pos
        return lo >>> 0
      }
      shift += 7
    }
    // Slow path: accumulate exactly with BigInt-free arithmetic while it fits, else BigInt.
    let value = lo >>> 0
    let mul = 2 ** 28
    for (let i = 4; i < 10; i++) {
      if (pos >= this.end) this.fail(`unexpected end of data reading ${what}`, 'truncated')
      const c = b[pos++]!
      if (i === 9 && c > 1) {
        this.pos = pos - 1
        this.fail(`varint overflows 64 bits reading ${what}`)
      }
      value += (c & 0x7f) * mul
      if (c < 0x80) {
        this.pos = pos
        return value < 2 ** 53 ? value : Number(BigInt.asIntN(64, varintBig(b, this.pos - (i + 1), this.pos)))
      }
      mul *= 128
    }
    this.pos = pos
    this.fail(`varint longer than 10 bytes reading ${what}`)
  }

  /**
   * The varint that starts at `at` as Go prints a uint64: in decimal, exact however large (uvarint() reads 2^53 and
   * more rounded, and 2^63 and more as negative). For the messages about sizes and counts out of range.
   */
  uvarintText(at: number): string {
    return BigInt.asUintN(64, varintBig(this.bytes, at, this.end)).toString()
  }

  take(n: number, what: string): Uint8Array {
    if (n < 0 || this.pos + n > this.end) this.fail(`unexpected end of data reading ${what}`, 'truncated')
    const out = this.bytes.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }
}

/**
 * The varint at b[start] (up to its last byte, ten bytes or `end`), exact however long: for values of 2^53 and more
 * (rare: sentinels, fuzzed input and the messages about them).
 */
function varintBig(b: Uint8Array, start: number, end: number): bigint {
  let v = 0n
  for (let i = 0, pos = start; i < 10 && pos < end; i++, pos++) {
    const c = b[pos]!
    v |= BigInt(c & 0x7f) << BigInt(7 * i)
    if (c < 0x80) break
  }
  return v
}

/** Decimal text of a value read by uvarint() when the field is unsigned in Go (task IDs, metric values). */
export function unsignedText(v: number): string {
  return v < 0 ? BigInt.asUintN(64, BigInt(v)).toString() : String(v)
}

export function hex(v: number): string {
  return v < 0 ? BigInt.asUintN(64, BigInt(v)).toString(16) : v.toString(16)
}

