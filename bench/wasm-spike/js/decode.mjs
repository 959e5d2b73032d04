// Lifeline WASM spike (not shipped): the same per-event decode loop as ../assembly/decode.ts, in plain JS with typed
// arrays. Same record layout (6 f64 = 48 bytes: [typ + 256*mIdx, time ns, a0..a3], 2^64-1 as -1), same growth policy
// (capacity bytes/5 + 1024 records, doubled when full: here a new Float64Array and a copy, as JS must), same split
// into per-batch / per-chunk functions.

// Argument count after dt, per timed event type; -1 = not a timed event (same table as the AssemblyScript build).
const ARGS = new Int8Array(256).fill(-1)
;[2, 2, 0, 3, 2, 3, 1, 2, 0, 0, 2, 2, 3, 2, 0, 0, 3, 2, 0, 1, 2, 1, 1, 1, 2, 1, 1, 0, 1, 1, 1, 4, 2, 3, 3, 4, 2, 2, 3, 4]
  .forEach((c, i) => (ARGS[9 + i] = c))
ARGS[51] = 3
;[3, 3, 1, 2, 2, 1, 2, 2, 1].forEach((c, i) => (ARGS[128 + i] = c))

const REC = 6
const MAX_MS = 4096

export class Decoder {
  constructor(bytes, emit = null) {
    this.d = bytes
    this.emit = emit
    this.recCap = ((bytes.length / 5) | 0) + 1024
    this.recs = new Float64Array(this.recCap * REC)
    this.recCount = 0
    this.mids = new Float64Array(MAX_MS)
    this.nM = 0
    this.nGen = 0
    this.nBatches = 0
    this.errPos = -1
    this.vpos = 0
    // pass 2
    this.runTotal = 0
    this.maxG = 0
    this.gStart = new Float64Array(0)
    this.gState = new Uint32Array(0)
    this.trans = new Float64Array(64)
    this.curg = new Float64Array(MAX_MS)
  }

  grow() {
    const cap = this.recCap * 2
    const r = new Float64Array(cap * REC)
    r.set(this.recs.subarray(0, this.recCount * REC))
    this.recs = r
    this.recCap = cap
  }

  // Exact uvarint for headers/tables (numbers; 2^64-1 as -1). New position in this.vpos.
  uvarint(p, end) {
    const d = this.d
    let v = 0
    let mul = 1
    const start = p
    for (;;) {
      if (p >= end || mul > 2 ** 63) { this.errPos = p; this.vpos = end; return 0 }
      const c = d[p++]
      v += (c & 0x7f) * mul
      if (c < 0x80) break
      mul *= 128
    }
    this.vpos = p
    if (p - start > 7) return exactVarint(d, start, p)
    return v
  }

  mIndex(m) {
    const mids = this.mids
    for (let i = 0; i < this.nM; i++) if (mids[i] === m) return i
    if (this.nM === MAX_MS) throw new Error('too many Ms')
    mids[this.nM] = m
    return this.nM++
  }

  decodeEvents(p, end, startTime, nsPerTick, mIdx) {
    const d = this.d
    let time = startTime
    let n = this.recCount
    let cap = this.recCap
    let recs = this.recs
    let out = n * REC
    const tag = mIdx << 8
    const emit = this.emit
    while (p < end) {
      const typ = d[p]
      const nargs = ARGS[typ]
      if (nargs < 0) { this.errPos = p; return -1 }
      p++
      if (n === cap) {
        this.recCount = n
        this.grow()
        recs = this.recs
        cap = this.recCap
      }
      recs[out] = tag + typ
      recs[out + 2] = 0
      recs[out + 3] = 0
      recs[out + 4] = 0
      recs[out + 5] = 0
      for (let k = -1; k < nargs; k++) {
        if (p >= end) { this.errPos = p; return -1 }
        const start = p
        let c = d[p++]
        let v = c
        if (c >= 0x80) {
          v &= 0x7f
          let shift = 7
          let mul = 268435456 // 2^28: from the fifth byte on, doubles (no 2 ** shift: that is a pow() call)
          do {
            if (p >= end || shift > 63) { this.errPos = p; return -1 }
            c = d[p++]
            if (shift < 28) v |= (c & 0x7f) << shift
            else { v += (c & 0x7f) * mul; mul *= 128 }
            shift += 7
          } while (c >= 0x80)
          if (shift > 49) v = exactVarint(d, start, p) // 8+ bytes: not exact in the sum above
        }
        if (k < 0) {
          time += Math.trunc(v * nsPerTick)
          recs[out + 1] = time
        } else recs[out + 2 + k] = v
      }
      if (emit !== null) emit(typ, time, recs[out + 2])
      out += REC
      n++
    }
    this.recCount = n
    return 0
  }

  record(typ, mIdx, time, a0, a1, a2, a3) {
    if (this.recCount === this.recCap) this.grow()
    const r = this.recs
    const out = this.recCount * REC
    r[out] = typ + (mIdx << 8)
    r[out + 1] = time
    r[out + 2] = a0
    r[out + 3] = a1
    r[out + 4] = a2
    r[out + 5] = a3
    if (this.emit !== null) this.emit(typ, time, a0)
    this.recCount++
  }

  decodeSpecial(kind, p, end, nsPerTick, mIdx) {
    const d = this.d
    while (p < end) {
      const typ = d[p++]
      if (kind === 4) {
        if (typ !== 5) { this.errPos = p - 1; return -1 }
        this.uvarint(p, end); p = this.vpos
        const len = this.uvarint(p, end); p = this.vpos + len
      } else if (kind === 2) {
        if (typ !== 3) { this.errPos = p - 1; return -1 }
        this.uvarint(p, end); p = this.vpos
        const nf = this.uvarint(p, end); p = this.vpos
        for (let i = 0; i < nf * 4; i++) { this.uvarint(p, end); p = this.vpos }
      } else if (kind === 6) {
        if (typ !== 7) { this.errPos = p - 1; return -1 }
        const t = this.uvarint(p, end); p = this.vpos
        const m = this.uvarint(p, end); p = this.vpos
        const pp = this.uvarint(p, end); p = this.vpos
        const g = this.uvarint(p, end); p = this.vpos
        const st = this.uvarint(p, end); p = this.vpos
        this.record(7, mIdx, Math.trunc(t * nsPerTick), m, pp, g, st)
      } else {
        if (typ === 50) continue
        if (typ === 8) { this.uvarint(p, end); p = this.vpos; continue }
        if (typ === 51) { for (let i = 0; i < 4; i++) { this.uvarint(p, end); p = this.vpos } continue }
        this.errPos = p - 1; return -1
      }
      if (this.errPos >= 0) return -1
    }
    if (p !== end) { this.errPos = end; return -1 }
    return 0
  }

  decode() {
    const d = this.d
    const end = d.length
    let pos = 16
    while (pos < end) {
      let gen = 0
      let have = false
      let freq = 0
      let q = pos
      let genEnd = end
      let next = end
      while (q < end) {
        const b = d[q]
        if (b === 52) { genEnd = q; next = q + 1; break }
        if (b !== 1 && b !== 49) { this.errPos = q; return -1 }
        let h = q + 1
        if (b === 49) h++
        const g = this.uvarint(h, end); h = this.vpos
        if (have && g !== gen) { genEnd = q; next = q; break }
        gen = g; have = true
        this.uvarint(h, end); h = this.vpos
        this.uvarint(h, end); h = this.vpos
        const size = this.uvarint(h, end); h = this.vpos
        if (this.errPos >= 0 || size > 65536 || h + size > end) { this.errPos = q; return -1 }
        if (b === 1 && size > 0) {
          const first = d[h]
          if (first === 50 && size > 1 && d[h + 1] === 8) freq = this.uvarint(h + 2, h + size)
          else if (first === 8) freq = this.uvarint(h + 1, h + size)
        }
        q = h + size
      }
      if (freq === 0) { this.errPos = pos; return -1 }
      const nsPerTick = 1e9 / freq
      this.nGen++
      q = pos
      while (q < genEnd) {
        const b = d[q]
        let h = q + 1
        if (b === 49) h++
        this.uvarint(h, end); h = this.vpos
        const m = this.uvarint(h, end); h = this.vpos
        const t = this.uvarint(h, end); h = this.vpos
        const size = this.uvarint(h, end); h = this.vpos
        q = h + size
        this.nBatches++
        if (b === 49 || size === 0) continue
        const mIdx = this.mIndex(m)
        const first = d[h]
        let r
        if (first === 4 || first === 2 || first === 6 || first === 50 || first === 8) r = this.decodeSpecial(first, first === 8 || first === 50 ? h : h + 1, q, nsPerTick, mIdx)
        else r = this.decodeEvents(h, q, Math.trunc(t * nsPerTick), nsPerTick, mIdx)
        if (r < 0) return -1
      }
      pos = next
    }
    return this.recCount
  }

  // ---- Pass 2 (same as the AssemblyScript statePass) ----
  gslot(g) {
    if (g > this.maxG) {
      if (g >= this.gState.length) {
        let c = this.gState.length * 2
        while (c <= g) c *= 2
        const s = new Uint32Array(c); s.set(this.gState); this.gState = s
        const t = new Float64Array(c); t.set(this.gStart); this.gStart = t
      }
      this.maxG = g
    }
    return g
  }

  setG(gf, s, t) {
    if (gf <= 0 || gf >= 1 << 24) return
    const g = this.gslot(gf)
    const old = this.gState[g]
    if (old === 2) this.runTotal += t - this.gStart[g]
    if (s === 2) this.gStart[g] = t
    this.gState[g] = s
    this.trans[old * 8 + s]++
  }

  statePass() {
    this.gState = new Uint32Array(1 << 16)
    this.gStart = new Float64Array(1 << 16)
    this.maxG = 0
    this.runTotal = 0
    this.trans.fill(0)
    this.curg.fill(0)
    const n = this.recCount
    for (let i = 0; i < n; i += 4096) this.stateRange(i, Math.min(i + 4096, n))
    let sum = this.runTotal
    for (let i = 0; i < 64; i++) sum += this.trans[i] * (i + 1)
    return sum
  }

  stateRange(from, to) {
    const recs = this.recs
    const cg = this.curg
    for (let i = from, r = from * REC; i < to; i++, r += REC) {
      const tag = recs[r] | 0
      const typ = tag & 255
      const m = tag >> 8
      const t = recs[r + 1]
      const a0 = recs[r + 2]
      switch (typ) {
        case 14: case 47:
          this.setG(a0, typ === 47 ? 4 : 1, t); break
        case 15:
          this.setG(a0, 3, t); cg[m] = a0; break
        case 16:
          this.setG(a0, 2, t); cg[m] = a0; break
        case 19:
          this.setG(cg[m], 1, t); cg[m] = 0; break
        case 20:
          this.setG(cg[m], 4, t); cg[m] = 0; break
        case 17: case 18:
          this.setG(cg[m], 5, t); cg[m] = 0; break
        case 21:
          this.setG(a0, 1, t); break
        case 22:
          this.setG(cg[m], 3, t); break
        case 23:
          this.setG(cg[m], 2, t); break
        case 24:
          this.setG(cg[m], 1, t); cg[m] = 0; break
        case 25: case 48: {
          const st = recs[r + 4] >>> 0
          this.setG(a0, st <= 4 ? st : 0, t)
          if (st === 2 || st === 3) cg[m] = a0
          break
        }
        case 45: case 46:
          this.setG(cg[m], typ === 45 ? 4 : 5, t); this.setG(a0, 2, t); cg[m] = a0; break
        default: break
      }
    }
  }
}

/** Exact value of the varint d[start..end) as a number (2^64-1 as -1), for 8- to 10-byte varints. */
function exactVarint(d, start, end) {
  if (end - start === 10 && d[end - 1] === 0x01) {
    let all = true
    for (let i = start; i < end - 1; i++) if (d[i] !== 0xff) { all = false; break }
    if (all) return -1
  }
  let v = 0n
  for (let i = end - 1; i >= start; i--) v = (v << 7n) | BigInt(d[i] & 0x7f)
  return Number(BigInt.asUintN(64, v))
}
