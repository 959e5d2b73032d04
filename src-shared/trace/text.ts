// Trace strings are bytes (Go may cut them mid-character at 1024 bytes). We keep them as "byte strings" (one JS
// char per byte) so that printing is exact, and decode UTF-8 only for display.

export function byteString(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096))
  return s
}

/** Decodes a byte string as UTF-8, replacing invalid sequences with U+FFFD (like TextDecoder). */
export function utf8(bs: string): string {
  let ascii = true
  for (let i = 0; i < bs.length; i++) if (bs.charCodeAt(i) > 0x7f) { ascii = false; break }
  if (ascii) return bs
  let out = ''
  for (let i = 0; i < bs.length; ) {
    const [cp, n] = decodeRune(bs, i)
    out += cp < 0 ? '\ufffd' : String.fromCodePoint(cp)
    i += n
  }
  return out
}

/** Decodes one UTF-8 rune at i: [code point or -1 if invalid, bytes consumed]. Follows Go's utf8.DecodeRune. */
function decodeRune(bs: string, i: number): [number, number] {
  const c0 = bs.charCodeAt(i)
  if (c0 < 0x80) return [c0, 1]
  const need = c0 >= 0xf0 && c0 <= 0xf4 ? 3 : c0 >= 0xe0 && c0 <= 0xef ? 2 : c0 >= 0xc2 && c0 <= 0xdf ? 1 : -1
  if (need < 0) return [-1, 1]
  let lo = 0x80
  let hi = 0xbf
  if (c0 === 0xe0) lo = 0xa0
  else if (c0 === 0xed) hi = 0x9f
  else if (c0 === 0xf0) lo = 0x90
  else if (c0 === 0xf4) hi = 0x8f
  let cp = need === 1 ? c0 & 0x1f : need === 2 ? c0 & 0x0f : c0 & 0x07
  for (let k = 1; k <= need; k++) {
    if (i + k >= bs.length) return [-1, 1]
    const c = bs.charCodeAt(i + k)
    if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return [-1, 1]
    cp = (cp << 6) | (c & 0x3f)
  }
  return [cp, need + 1]
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u

/** Go's strconv.Quote of a byte string, as a byte string (one char per output byte). */
export function goQuote(bs: string): string {
  let out = '"'
  for (let i = 0; i < bs.length; ) {
    const [cp, n] = decodeRune(bs, i)
    if (cp < 0) {
      out += '\\x' + bs.charCodeAt(i).toString(16).padStart(2, '0')
      i += 1
      continue
    }
    i += n
    if (cp === 0x22 || cp === 0x5c) out += '\\' + String.fromCharCode(cp)
    else if (cp < 0x80 && cp >= 0x20 && cp !== 0x7f) out += String.fromCharCode(cp)
    // Printable non-ASCII runes stay as their UTF-8 bytes: the result is a byte string like its input.
    else if (cp >= 0x80 && PRINTABLE.test(String.fromCodePoint(cp))) out += bs.slice(i - n, i)
    else {
      switch (cp) {
        case 7: out += '\\a'; break
        case 8: out += '\\b'; break
        case 12: out += '\\f'; break
        case 10: out += '\\n'; break
        case 13: out += '\\r'; break
        case 9: out += '\\t'; break
        case 11: out += '\\v'; break
        default:
          if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0')
          else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0')
          else out += '\\U' + cp.toString(16).padStart(8, '0')
      }
    }
  }
  return out + '"'
}
