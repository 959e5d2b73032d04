// Lifeline WASM spike (not shipped): the per-event decode loop of a Go 1.22+ ("v2") execution trace, in
// AssemblyScript, with raw loads/stores into linear memory (stub runtime, no GC, no AS arrays).
//
// Memory layout (set up by prepare()): [static data][input bytes][records ...][g state (pass 2)]
// A record is 6 f64 = 48 bytes: [typ + 256*mIdx, time ns, a0, a1, a2, a3]; args are the varints as f64, with
// Go's "none" (2^64-1) as -1. Time = int64(hdrTime*nsPerTick) + sum of int64(dt*nsPerTick), as Go's reader computes it.
//
// Records: every timed event of every per-M event batch, and every CPU sample (time absolute). Strings, stacks, the
// sync batch (Frequency, ClockSnapshot) and experimental batches are walked/skipped, not recorded.
// The same algorithm is in ../js/decode.mjs.

@external("env", "emit")
declare function emit(typ: i32, time: f64, a0: f64): void

const REC: usize = 48
const MAX_MS: i32 = 4096

// Argument count after dt, per timed event type; -1 = not a timed event. 9..48 per the v2 table (1.22-1.26),
// 51 ClockSnapshot, 128..136 the AllocFree experiment. Generated (same values as js/decode.mjs).
const ARGS: usize = memory.data<i8>([-1, -1, -1, -1, -1, -1, -1, -1, -1, 2, 2, 0, 3, 2, 3, 1, 2, 0, 0, 2, 2, 3, 2, 0, 0, 3, 2, 0, 1, 2, 1, 1, 1, 2, 1, 1, 0, 1, 1, 1, 4, 2, 3, 3, 4, 2, 2, 3, 4, -1, -1, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 3, 3, 1, 2, 2, 1, 2, 2, 1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1])
// M ids seen (as f64: -1 for NoThread), index = mIdx.
const MIDS: usize = memory.data(MAX_MS * 8)
// Pass 2: running goroutine per mIdx.
const CURG: usize = memory.data(MAX_MS * 8)
// Pass 2: transition counts [old*8+new].
const TRANS: usize = memory.data(64 * 8)

export let inPtr: usize = 0
export let inLen: usize = 0
export let recPtr: usize = 0
export let recCap: usize = 0
export let recCount: usize = 0
export let nM: i32 = 0
export let nGen: i32 = 0
export let nBatches: i32 = 0
export let errPos: i32 = -1
export let emitMode: i32 = 0
// Pass 2 results.
export let runTotal: f64 = 0
export let maxG: usize = 0
let gPtr: usize = 0
let gCap: usize = 0

function ensure(end: usize): void {
  const have = (<usize>memory.size()) << 16
  if (end <= have) return
  const pages = <i32>((end - have + 0xffff) >> 16)
  if (memory.grow(pages) < 0) unreachable()
}

/** Lays out memory for an input of n bytes; returns where JS must copy the file. */
export function prepare(n: usize): usize {
  const base = (__heap_base + 0xffff) & ~<usize>0xffff
  inPtr = base
  inLen = n
  recPtr = (base + n + 0xffff) & ~<usize>0xffff
  // Initial capacity: one record per 5 input bytes (these traces average ~6 bytes an event); doubled when full.
  recCap = n / 5 + 1024
  ensure(recPtr + recCap * REC)
  recCount = 0
  nM = 0
  nGen = 0
  nBatches = 0
  errPos = -1
  return base
}

// Varint at p (bounds checked against end): returns the value; the new position is in global vpos.
// Used only for batch headers and table sections (not the hot event loop, which inlines its own).
let vpos: usize = 0
function uvarint(p: usize, end: usize): u64 {
  let v: u64 = 0
  let shift: u64 = 0
  for (;;) {
    if (p >= end || shift > 63) { errPos = <i32>(p - inPtr); vpos = end; return 0 }
    const c = <u32>load<u8>(p++)
    v |= (<u64>(c & 0x7f)) << shift
    if (c < 0x80) break
    shift += 7
  }
  vpos = p
  return v
}

@inline function asF64(v: u64): f64 {
  return v == 0xffffffffffffffff ? -1.0 : <f64>v
}

function mIndex(m: f64): i32 {
  for (let i = 0; i < nM; i++) if (load<f64>(MIDS + (<usize>i << 3)) == m) return i
  if (nM == MAX_MS) unreachable()
  store<f64>(MIDS + (<usize>nM << 3), m)
  return nM++
}

/** The timed events of one per-M batch body [p, end): one record each. Exported so that Binaryen keeps it a
 *  function of its own (V8 tiers a WASM function up only between calls: there is no on-stack replacement). */
export function decodeEvents(p: usize, end: usize, startTime: f64, nsPerTick: f64, mIdx: i32): i32 {
  let time = startTime
  let n = recCount
  let cap = recCap
  let out = recPtr + n * REC
  const tag = <f64>(mIdx << 8)
  while (p < end) {
    const typ = <i32>load<u8>(p)
    const nargs = <i32>load<i8>(ARGS + typ)
    if (nargs < 0) { errPos = <i32>(p - inPtr); return -1 }
    p++
    if (n == cap) {
      cap <<= 1
      ensure(recPtr + cap * REC)
      recCap = cap
    }
    store<f64>(out, tag + <f64>typ)
    // k = -1: dt; k = 0..nargs-1: args. Args not present are stored as 0.
    store<f64>(out, 0, 16)
    store<f64>(out, 0, 24)
    store<f64>(out, 0, 32)
    store<f64>(out, 0, 40)
    for (let k = -1; k < nargs; k++) {
      if (p >= end) { errPos = <i32>(p - inPtr); return -1 }
      let c = <u32>load<u8>(p++)
      let v: u64 = <u64>c
      if (c >= 0x80) {
        v &= 0x7f
        let shift: u64 = 7
        do {
          if (p >= end || shift > 63) { errPos = <i32>(p - inPtr); return -1 }
          c = <u32>load<u8>(p++)
          v |= (<u64>(c & 0x7f)) << shift
          shift += 7
        } while (c >= 0x80)
      }
      if (k < 0) {
        time += trunc(<f64>v * nsPerTick)
        store<f64>(out, time, 8)
      } else {
        store<f64>(out + (<usize>k << 3), asF64(v), 16)
      }
    }
    if (emitMode) emit(typ, time, load<f64>(out, 16))
    out += REC
    n++
  }
  recCount = n
  return 0
}

function record(typ: i32, mIdx: i32, time: f64, a0: f64, a1: f64, a2: f64, a3: f64): void {
  if (recCount == recCap) {
    recCap <<= 1
    ensure(recPtr + recCap * REC)
  }
  const out = recPtr + recCount * REC
  store<f64>(out, <f64>(typ + (mIdx << 8)))
  store<f64>(out, time, 8)
  store<f64>(out, a0, 16)
  store<f64>(out, a1, 24)
  store<f64>(out, a2, 32)
  store<f64>(out, a3, 40)
  if (emitMode) emit(typ, time, a0)
  recCount++
}

/** A table/sample/sync batch body: walk it by its events. Returns 0, or -1 on a format error. */
function decodeSpecial(kind: i32, p: usize, end: usize, nsPerTick: f64, mIdx: i32): i32 {
  while (p < end) {
    const typ = <i32>load<u8>(p++)
    if (kind == 4) { // Strings: String id len bytes
      if (typ != 5) { errPos = <i32>(p - 1 - inPtr); return -1 }
      uvarint(p, end); p = vpos
      const len = <usize>uvarint(p, end); p = vpos + len
    } else if (kind == 2) { // Stacks: Stack id nframes {pc func file line}*nframes
      if (typ != 3) { errPos = <i32>(p - 1 - inPtr); return -1 }
      uvarint(p, end); p = vpos
      const nf = <i32>uvarint(p, end); p = vpos
      for (let i = 0; i < nf * 4; i++) { uvarint(p, end); p = vpos }
    } else if (kind == 6) { // CPUSamples: CPUSample time m p g stack (time absolute)
      if (typ != 7) { errPos = <i32>(p - 1 - inPtr); return -1 }
      const t = uvarint(p, end); p = vpos
      const m = uvarint(p, end); p = vpos
      const pp = uvarint(p, end); p = vpos
      const g = uvarint(p, end); p = vpos
      const st = uvarint(p, end); p = vpos
      record(7, mIdx, trunc(<f64>t * nsPerTick), asF64(m), asF64(pp), asF64(g), asF64(st))
    } else { // Sync (50): Frequency freq, ClockSnapshot dt mono sec nsec; or a lone Frequency (8, Go <= 1.24)
      if (typ == 50) continue
      if (typ == 8) { uvarint(p, end); p = vpos; continue }
      if (typ == 51) { for (let i = 0; i < 4; i++) { uvarint(p, end); p = vpos } continue }
      errPos = <i32>(p - 1 - inPtr); return -1
    }
    if (errPos >= 0) return -1
  }
  if (p != end) { errPos = <i32>(end - inPtr); return -1 }
  return 0
}

/** Pass 1: every batch of every generation. Returns the record count, or -1 (errPos says where). */
export function decode(): i32 {
  const end = inPtr + inLen
  let pos = inPtr + 16
  while (pos < end) {
    // Scan this generation's batch headers: where it ends, and its frequency.
    let gen: u64 = 0
    let have = false
    let freq: u64 = 0
    let q = pos
    let genEnd = end
    let next = end
    while (q < end) {
      const b = <i32>load<u8>(q)
      if (b == 52) { genEnd = q; next = q + 1; break }
      if (b != 1 && b != 49) { errPos = <i32>(q - inPtr); return -1 }
      let h = q + 1
      if (b == 49) h++
      const g = uvarint(h, end); h = vpos
      if (have && g != gen) { genEnd = q; next = q; break } // Go <= 1.25: the generation ends at a new gen
      gen = g; have = true
      uvarint(h, end); h = vpos // m
      uvarint(h, end); h = vpos // time
      const size = <usize>uvarint(h, end); h = vpos
      if (errPos >= 0 || size > 65536 || h + size > end) { errPos = <i32>(q - inPtr); return -1 }
      if (b == 1 && size > 0) {
        const first = <i32>load<u8>(h)
        if (first == 50 && size > 1 && load<u8>(h + 1) == 8) freq = uvarint(h + 2, h + size)
        else if (first == 8) freq = uvarint(h + 1, h + size)
      }
      q = h + size
    }
    if (freq == 0) { errPos = <i32>(pos - inPtr); return -1 }
    const nsPerTick: f64 = 1e9 / <f64>freq
    nGen++
    // Decode the generation's batches.
    q = pos
    while (q < genEnd) {
      const b = <i32>load<u8>(q)
      let h = q + 1
      if (b == 49) h++
      uvarint(h, end); h = vpos // gen
      const m = asF64(uvarint(h, end)); h = vpos
      const t = uvarint(h, end); h = vpos
      const size = <usize>uvarint(h, end); h = vpos
      q = h + size
      nBatches++
      if (b == 49 || size == 0) continue // experimental batch: skipped by its length
      const mIdx = mIndex(m)
      const first = <i32>load<u8>(h)
      let r: i32
      if (first == 4 || first == 2 || first == 6 || first == 50 || first == 8) r = decodeSpecial(first, first == 8 || first == 50 ? h : h + 1, q, nsPerTick, mIdx)
      else r = decodeEvents(h, q, trunc(<f64>t * nsPerTick), nsPerTick, mIdx)
      if (r < 0) return -1
    }
    pos = next
  }
  return <i32>recCount
}

// ---- Pass 2: a per-goroutine state machine over the records (a stand-in for the ordering engine's dispatch). ----
// States: 0 none, 1 runnable, 2 running, 3 syscall, 4 waiting, 5 dead. Per g: 16 bytes [f64 running since][u32 state][pad].

const G_LIMIT: usize = 1 << 24

@inline function gslot(g: usize): usize {
  if (g > maxG) {
    if (g >= gCap) {
      let c = gCap << 1
      while (c <= g) c <<= 1
      ensure(gPtr + c * 16)
      memory.fill(gPtr + gCap * 16, 0, (c - gCap) * 16) // fresh pages are zero already; grown-over ones may not be
      gCap = c
    }
    maxG = g
  }
  return gPtr + (g << 4)
}

function setG(gf: f64, s: u32, t: f64): void {
  if (gf <= 0 || gf >= <f64>G_LIMIT) return
  const slot = gslot(<usize>gf)
  const old = load<u32>(slot, 8)
  if (old == 2) runTotal += t - load<f64>(slot)
  if (s == 2) store<f64>(slot, t)
  store<u32>(slot, s, 8)
  const tr = TRANS + (<usize>(old * 8 + s) << 3)
  store<u64>(tr, load<u64>(tr) + 1)
}

export function statePass(): f64 {
  gPtr = (recPtr + recCount * REC + 0xffff) & ~<usize>0xffff
  gCap = 1 << 16
  ensure(gPtr + gCap * 16)
  memory.fill(gPtr, 0, gCap * 16)
  maxG = 0
  runTotal = 0
  memory.fill(TRANS, 0, 64 * 8)
  memory.fill(CURG, 0, MAX_MS * 8)
  // In chunks, so that V8 can swap in the TurboFan code of stateRange between calls.
  for (let i: usize = 0; i < recCount; i += CHUNK) stateRange(i, min(i + CHUNK, recCount))
  // Checksum: running time plus the transition counts, weighted by position.
  let sum = runTotal
  for (let i = 0; i < 64; i++) sum += <f64>load<u64>(TRANS + (<usize>i << 3)) * <f64>(i + 1)
  return sum
}

const CHUNK: usize = 4096

/** Records [from, to). Exported for the same reason as decodeEvents. */
export function stateRange(from: usize, to: usize): void {
  let r = recPtr + from * REC
  for (let i = from; i < to; i++, r += REC) {
    const tag = <i32>load<f64>(r)
    const typ = tag & 255
    const cg = CURG + (<usize>(tag >> 8) << 3)
    const t = load<f64>(r, 8)
    const a0 = load<f64>(r, 16)
    switch (typ) {
      case 14: case 47: // GoCreate, GoCreateBlocked
        setG(a0, typ == 47 ? 4 : 1, t); break
      case 15: // GoCreateSyscall
        setG(a0, 3, t); store<f64>(cg, a0); break
      case 16: // GoStart
        setG(a0, 2, t); store<f64>(cg, a0); break
      case 19: // GoStop
        setG(load<f64>(cg), 1, t); store<f64>(cg, 0); break
      case 20: // GoBlock
        setG(load<f64>(cg), 4, t); store<f64>(cg, 0); break
      case 17: case 18: // GoDestroy, GoDestroySyscall
        setG(load<f64>(cg), 5, t); store<f64>(cg, 0); break
      case 21: // GoUnblock
        setG(a0, 1, t); break
      case 22: // GoSyscallBegin
        setG(load<f64>(cg), 3, t); break
      case 23: // GoSyscallEnd
        setG(load<f64>(cg), 2, t); break
      case 24: // GoSyscallEndBlocked
        setG(load<f64>(cg), 1, t); store<f64>(cg, 0); break
      case 25: case 48: { // GoStatus, GoStatusStack: g m status (1 runnable 2 running 3 syscall 4 waiting)
        const st = <u32>load<f64>(r, 32)
        setG(a0, st <= 4 ? st : 0, t)
        if (st == 2 || st == 3) store<f64>(cg, a0)
        break
      }
      case 45: case 46: // GoSwitch, GoSwitchDestroy
        setG(load<f64>(cg), typ == 45 ? 4 : 5, t); setG(a0, 2, t); store<f64>(cg, a0); break
      default: break
    }
  }
}

export function transCount(i: i32): f64 {
  return <f64>load<u64>(TRANS + (<usize>i << 3))
}
