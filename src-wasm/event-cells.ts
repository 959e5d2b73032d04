// AssemblyScript, compiled to WebAssembly (npm run build:wasm): the EventStore's cell encoding
// (src-shared/trace/events.ts, where the layout is described). It is the busiest code of a decode, and a decode
// usually runs on code the JS engine has not optimized yet (the first trace of a process, a CLI run), where it cost
// more than the whole ordering engine; compiled ahead of time it is as fast on the first event as on the last.
//
// The store stages events (nine f64 each: type, time, M, P, G, four arguments) in this module's memory; encode() turns
// them into the columns of the chunk being filled, which the store copies out when the chunk is full (or when it is
// read). Values that do not fit their cells go to the spill list, for the store's maps; M IDs seen for the first time
// go to the new-M list, for the store's table of M IDs. Nothing here allocates: the memory is laid out once, at
// fixed offsets that the store reads through the exported functions.

const CHUNK: i32 = 1 << 16
const TIME_BLOCK_BITS: i32 = 8
const TIME_RUN_BITS: i32 = 5
const TIME_RUN: i32 = 1 << TIME_RUN_BITS
const RUN_WIDE: u32 = 0x80000000
const TIME_SPILLED: u32 = 0xffffffff
const ARG_BLOCK_BITS: i32 = 5
const ARG_GROUP_BITS: i32 = 3
const ARGS: i32 = 4
const SPILLED: i32 = -0x80000000
const M_BITS: i32 = 10
const M_SPILLED: i32 = (1 << M_BITS) - 1
const WIDE_ARGS: i32 = 1 << (8 + M_BITS)
const P_SHIFT: i32 = 9 + M_BITS
const P_SPILLED: i32 = -(1 << (31 - P_SHIFT))
const CTX_TABLE: i32 = 256

/** Staged events per encode() call, nine f64 each. */
export const STAGE: i32 = 4096
const FIELDS: i32 = 9

// Spill kinds (the store's maps).
const SPILL_TIME: f64 = 0
const SPILL_M: f64 = 1
const SPILL_P: f64 = 2
const SPILL_ARG: f64 = 3
const SPILL_EXTRA: f64 = 4

// Hash tables (open addressing, linear probing). The goroutine and context tables are per chunk: an entry counts
// only when its stamp is the current chunk's, so a new chunk clears nothing.
const M_SLOTS: i32 = 2048
/** M IDs below this (most of them: the runtime numbers its threads from 0) are found by direct index. */
const M_SMALL: i32 = 1024
const G_BITS_MIN: i32 = 12
const G_BITS_MAX: i32 = 17
const G_SLOTS: i32 = 1 << G_BITS_MAX
const CTX_SLOTS: i32 = 512

// The layout: [offset, bytes] of each region, 8-byte aligned, from 0.
let top: usize = (__heap_base + 7) & ~(<usize>7)
function region(bytes: i32): usize {
  const at = top
  top += (<usize>bytes + 7) & ~(<usize>7)
  return at
}
const stage = region(STAGE * FIELDS * 8)
const holes = region(256)
const cellCounts = region(256)
// The chunk being filled.
const type = region(CHUNK)
const ctx = region(CHUNK)
const ctxWords = region(CTX_TABLE * 4)
const ctxWide = region(CHUNK * 4)
const time = region(CHUNK * 2)
const timeRun = region((CHUNK >> TIME_RUN_BITS) * 4)
const timeBase = region((CHUNK >> TIME_BLOCK_BITS) * 8)
const timeWide = region(CHUNK * 4)
const g = region(CHUNK * 2)
const gIds = region(CHUNK * 4)
const gWide = region(CHUNK * 8)
const argBase = region((CHUNK >> ARG_BLOCK_BITS) * 4)
const argGroup = region(CHUNK >> ARG_GROUP_BITS)
const args = region(CHUNK * ARGS * 2 * 2)
// Outputs for the store.
const spills = region(STAGE * 12 * 3 * 8)
const newMs = region(STAGE * 8)
// Tables.
const mKeys = region(M_SLOTS * 8)
const mVals = region(M_SLOTS * 4)
const mSmall = region(M_SMALL * 4)
// A goroutine slot: its ID, then its stamp (high 16 bits) and index (low 16 bits).
const gSlots = region(G_SLOTS * 8)
const ctxKeys = region(CTX_SLOTS * 4)
const ctxVals = region(CTX_SLOTS * 4)
const ctxStamps = region(CTX_SLOTS * 4)
const end = top

/** Lays the memory out; returns false if it could not grow. */
export function init(): bool {
  const pages = <i32>((end + 0xffff) >> 16) - memory.size()
  if (pages > 0 && memory.grow(pages) < 0) return false
  reset()
  return true
}

/** Where each region starts, by name (the store makes its views from these). */
export function offsetOf(name: i32): usize {
  switch (name) {
    case 0: return stage
    case 1: return holes
    case 2: return cellCounts
    case 3: return type
    case 4: return ctx
    case 5: return ctxWords
    case 6: return ctxWide
    case 7: return time
    case 8: return timeRun
    case 9: return timeBase
    case 10: return timeWide
    case 11: return g
    case 12: return gIds
    case 13: return gWide
    case 14: return argBase
    case 15: return argGroup
    case 16: return args
    case 17: return spills
    case 18: return newMs
    default: return 0
  }
}

// The chunk being filled.
let fill: i32 = 0 // its events
let argLen: i32 = 0
let ctxCount: i32 = 0
let ctxIsWide = false
let lastWord: i32 = 0
let lastIndex: i32 = -1
let gCount: i32 = 0
let gIsWide = false
let lastG: f64 = NaN
let lastGi: i32 = 0
let timeWideLen: i32 = 0
let stamp: i32 = 0
// The goroutine table's size (it starts small and doubles, so that a chunk's few thousand goroutines stay in a cache),
// and its stamp (16 bits: the table is cleared when they wrap).
let gBits: i32 = G_BITS_MIN
let gStamp: i32 = 0
// The store's Ms (for the whole trace).
let mCount: i32 = 0
let lastM: f64 = NaN
let lastMi: i32 = 0
// This call's outputs.
let spillCount: i32 = 0
let newMCount: i32 = 0

export function filled(): i32 { return fill }
export function argCells(): i32 { return argLen }
export function contexts(): i32 { return ctxIsWide ? -1 : ctxCount }
export function goroutines(): i32 { return gIsWide ? -1 : gCount }
export function wideTimes(): i32 { return timeWideLen }
export function spilled(): i32 { return spillCount }
export function newMsCount(): i32 { return newMCount }

/** Starts a new chunk (the last one is full, or another store's chunk comes in: resume() follows). */
export function reset(): void {
  restart()
  // Offsets of wide runs and goroutines of a wide chunk are not written: read as 0, as in a new array.
  memory.fill(time, 0, CHUNK * 2)
  memory.fill(g, 0, CHUNK * 2)
}

function restart(): void {
  fill = 0
  argLen = 0
  ctxCount = 0
  ctxIsWide = false
  lastWord = 0
  lastIndex = -1
  gCount = 0
  gIsWide = false
  lastG = NaN
  lastGi = 0
  timeWideLen = 0
  stamp++
  gBits = G_BITS_MIN
  nextGStamp()
}

function nextGStamp(): void {
  if (++gStamp == 0x10000) {
    memory.fill(gSlots, 0, G_SLOTS * 8)
    gStamp = 1
  }
}

/** Forgets the Ms (a store starts, or another store's come in). */
export function resetMs(): void {
  mCount = 0
  lastM = NaN
  memory.fill(mVals, 0xff, M_SLOTS * 4)
  memory.fill(mSmall, 0xff, M_SMALL * 4)
}

/** Enters M id with the next index (a store taking the module back re-enters its Ms, in order). */
export function addM(id: f64): void {
  mPut(id == 0 ? 0 : id, mCount)
  mCount++
}

/**
 * Takes back a store's partly filled chunk, whose columns the store has copied into the regions after a reset()
 * (counts as given): rebuilds the tables of contexts and goroutines from them.
 */
export function resume(events: i32, cells: i32, contextCount: i32, goroutineCount: i32, wideTimeCount: i32): void {
  restart()
  fill = events
  argLen = cells
  timeWideLen = wideTimeCount
  if (contextCount < 0) ctxIsWide = true
  else {
    ctxCount = contextCount
    for (let k = 0; k < contextCount; k++) ctxPut(load<i32>(ctxWords + (<usize>k << 2)), k)
  }
  if (goroutineCount < 0) gIsWide = true
  else {
    // Each entered when it was first seen, so each finds its slot again (in the same order).
    for (let k = 0; k < goroutineCount; k++) {
      gPut(load<i32>(gIds + (<usize>k << 2)), k)
      gCount = k + 1
    }
  }
}

@inline function hash32(v: u32): u32 {
  v ^= v >> 16
  v *= 0x7feb352d
  v ^= v >> 15
  v *= 0x846ca68b
  v ^= v >> 16
  return v
}

function mGet(id: f64): i32 {
  if (id >= 0 && id < <f64>M_SMALL && id == Math.floor(id)) return load<i32>(mSmall + (<usize><i32>id << 2))
  const bits = reinterpret<u64>(id)
  let s = <i32>(hash32(<u32>bits ^ <u32>(bits >> 32)) & (M_SLOTS - 1))
  while (true) {
    const v = load<i32>(mVals + (<usize>s << 2))
    if (v < 0) return -1
    if (load<u64>(mKeys + (<usize>s << 3)) == bits) return v
    s = (s + 1) & (M_SLOTS - 1)
  }
  return -1
}
function mPut(id: f64, index: i32): void {
  if (id >= 0 && id < <f64>M_SMALL && id == Math.floor(id)) {
    store<i32>(mSmall + (<usize><i32>id << 2), index)
    return
  }
  const bits = reinterpret<u64>(id)
  let s = <i32>(hash32(<u32>bits ^ <u32>(bits >> 32)) & (M_SLOTS - 1))
  while (load<i32>(mVals + (<usize>s << 2)) >= 0) s = (s + 1) & (M_SLOTS - 1)
  store<u64>(mKeys + (<usize>s << 3), bits)
  store<i32>(mVals + (<usize>s << 2), index)
}

// The goroutine table has twice the slots of the goroutines in it (at least 4096: it starts small so that a chunk's
// few thousand goroutines stay in a cache), 8 bytes each. A probe goes at most G_PROBES slots: a goroutine that finds
// none free there is not taken (the chunk goes wide), so that no input makes lookups slow.
const G_PROBES: i32 = 64

@inline function gFirstSlot(id: i32): i32 {
  return <i32>hash32(<u32>id) & ((1 << gBits) - 1)
}

function gGet(id: i32): i32 {
  const mask = (1 << gBits) - 1
  let s = gFirstSlot(id)
  for (let probe = 0; probe < G_PROBES; probe++) {
    const at = gSlots + (<usize>s << 3)
    const v = load<i32>(at, 4)
    if (v >>> 16 != gStamp) return -1
    if (load<i32>(at) == id) return v & 0xffff
    s = (s + 1) & mask
  }
  return -1
}

/** Enters goroutine id with index; false when no slot within G_PROBES is free. */
function gPut(id: i32, index: i32): bool {
  if (gCount >= 1 << (gBits - 1) && gBits < G_BITS_MAX) {
    // Half full: twice the slots, and every goroutine entered again.
    gBits++
    nextGStamp()
    for (let k = 0; k < gCount; k++) gEnter(load<i32>(gIds + (<usize>k << 2)), k)
  }
  return gEnter(id, index)
}

function gEnter(id: i32, index: i32): bool {
  const mask = (1 << gBits) - 1
  let s = gFirstSlot(id)
  for (let probe = 0; probe < G_PROBES; probe++) {
    const at = gSlots + (<usize>s << 3)
    if (load<i32>(at, 4) >>> 16 != gStamp) {
      store<i32>(at, id)
      store<i32>(at, (gStamp << 16) | index, 4)
      return true
    }
    s = (s + 1) & mask
  }
  return false
}

function ctxGet(word: i32): i32 {
  let s = <i32>(hash32(<u32>word) & (CTX_SLOTS - 1))
  while (true) {
    const at = <usize>s << 2
    if (load<i32>(ctxStamps + at) != stamp) return -1
    if (load<i32>(ctxKeys + at) == word) return load<i32>(ctxVals + at)
    s = (s + 1) & (CTX_SLOTS - 1)
  }
  return -1
}
function ctxPut(word: i32, index: i32): void {
  let s = <i32>(hash32(<u32>word) & (CTX_SLOTS - 1))
  while (load<i32>(ctxStamps + (<usize>s << 2)) == stamp) s = (s + 1) & (CTX_SLOTS - 1)
  const at = <usize>s << 2
  store<i32>(ctxStamps + at, stamp)
  store<i32>(ctxKeys + at, word)
  store<i32>(ctxVals + at, index)
}

@inline function isInt32(v: f64): bool {
  return v >= -2147483648.0 && v <= 2147483647.0 && v == Math.floor(v)
}
@inline function isUint32(v: f64): bool {
  return v >= 0 && v <= 4294967295.0 && v == Math.floor(v)
}
@inline function isUint16(v: f64): bool {
  return v >= 0 && v <= 65535.0 && v == Math.floor(v)
}

function spill(kind: f64, key: f64, value: f64): void {
  const at = spills + (<usize>spillCount * 24)
  store<f64>(at, kind)
  store<f64>(at, key, 8)
  store<f64>(at, value, 16)
  spillCount++
}

/** Moves the run holding event j to per-event offsets (copying the events before j) and returns where j's goes. */
function widenRun(j: i32): i32 {
  const run = j >> TIME_RUN_BITS
  const first = run << TIME_RUN_BITS
  const at = timeWideLen
  const base = load<u32>(timeRun + (<usize>run << 2))
  for (let k = first; k < j; k++) store<u32>(timeWide + (<usize>(at + k - first) << 2), base + <u32>load<u16>(time + (<usize>k << 1)))
  store<u32>(timeRun + (<usize>run << 2), RUN_WIDE | <u32>(at >> TIME_RUN_BITS))
  timeWideLen = at + TIME_RUN
  return at + j - first
}

function setContext(j: i32, word: i32): void {
  if (ctxIsWide) {
    store<i32>(ctxWide + (<usize>j << 2), word)
    return
  }
  if (word == lastWord && lastIndex >= 0) {
    store<u8>(ctx + <usize>j, <u8>lastIndex)
    return
  }
  let index = ctxGet(word)
  if (index < 0) {
    if (ctxCount == CTX_TABLE) {
      // Too many M/P pairs for byte indexes: a word per event from now on.
      for (let k = 0; k < j; k++) store<i32>(ctxWide + (<usize>k << 2), load<i32>(ctxWords + (<usize>load<u8>(ctx + <usize>k) << 2)))
      store<i32>(ctxWide + (<usize>j << 2), word)
      ctxIsWide = true
      ctxCount = 0
      return
    }
    index = ctxCount++
    store<i32>(ctxWords + (<usize>index << 2), word)
    ctxPut(word, index)
  }
  store<u8>(ctx + <usize>j, <u8>index)
  lastWord = word
  lastIndex = index
}

function setGoroutine(j: i32, id: f64): void {
  if (gIsWide) {
    store<f64>(gWide + (<usize>j << 3), id)
    return
  }
  if (id == lastG) {
    store<u16>(g + (<usize>j << 1), <u16>lastGi)
    return
  }
  let gi = -1
  if (isInt32(id)) {
    const key = <i32>id
    gi = gGet(key)
    if (gi < 0 && gCount < CHUNK && gPut(key, gCount)) {
      gi = gCount++
      store<i32>(gIds + (<usize>gi << 2), key)
    }
  }
  if (gi >= 0) {
    store<u16>(g + (<usize>j << 1), <u16>gi)
    lastG = id
    lastGi = gi
    return
  }
  // A goroutine the table cannot take: Float64 IDs for the whole chunk.
  for (let k = 0; k < j; k++) store<f64>(gWide + (<usize>k << 3), <f64>load<i32>(gIds + (<usize>load<u16>(g + (<usize>k << 1)) << 2)))
  gIsWide = true
  store<f64>(gWide + (<usize>j << 3), id)
}

/**
 * Encodes staged events [from, to) (the first of them is the store's event `index`) into the chunk being filled, and
 * stops early when it is full. Returns where it stopped. The spill and new-M lists start empty at each call.
 */
export function encode(from: i32, to: i32, index: f64): i32 {
  spillCount = 0
  newMCount = 0
  let s = from
  for (; s < to && fill < CHUNK; s++) {
    const e = stage + (<usize>s * (FIELDS << 3))
    const typ = <i32>load<f64>(e) & 0xff
    const t = load<f64>(e, 8)
    let m = load<f64>(e, 16)
    const p = load<f64>(e, 24)
    const id = load<f64>(e, 32)
    let a0 = load<f64>(e, 40)
    let a1 = load<f64>(e, 48)
    let a2 = load<f64>(e, 56)
    let a3 = load<f64>(e, 64)
    const i = index + <f64>(s - from)
    const j = fill

    // Time: relative to the block's first event.
    const tb = <usize>(j >> TIME_BLOCK_BITS) << 3
    if ((j & ((1 << TIME_BLOCK_BITS) - 1)) == 0) store<f64>(timeBase + tb, t)
    const dt = t - load<f64>(timeBase + tb)
    const run = <usize>(j >> TIME_RUN_BITS) << 2
    let wideAt = -1
    if ((j & (TIME_RUN - 1)) == 0) {
      // A run starts: narrow unless its start is too far from (or before) the block's.
      if (isUint32(dt) && dt < <f64>RUN_WIDE) {
        store<u32>(timeRun + run, <u32>dt)
        store<u16>(time + (<usize>j << 1), 0)
      } else wideAt = widenRun(j)
    } else {
      const r = load<u32>(timeRun + run)
      if (r < RUN_WIDE) {
        const d = dt - <f64>r
        if (isUint16(d)) store<u16>(time + (<usize>j << 1), <u16>d)
        else wideAt = widenRun(j)
      } else wideAt = (<i32>(r - RUN_WIDE) << TIME_RUN_BITS) | (j & (TIME_RUN - 1))
    }
    if (wideAt >= 0) {
      if (isUint32(dt) && dt != <f64>TIME_SPILLED) store<u32>(timeWide + (<usize>wideAt << 2), <u32>dt)
      else {
        store<u32>(timeWide + (<usize>wideAt << 2), TIME_SPILLED)
        spill(SPILL_TIME, i, t)
      }
    }

    // Context: M as an index into the store's table of M IDs, P as itself.
    if (m == 0) m = 0 // -0 and 0 are one M, as in a Map
    let mi: i32
    if (m == lastM) mi = lastMi
    else {
      mi = mGet(m)
      if (mi < 0) {
        // A new M gets the next index while there are indexes left; after that every new M spills (and is not
        // entered anywhere: it would be new again at its next event).
        if (mCount < M_SPILLED) {
          mi = mCount
          store<f64>(newMs + (<usize>newMCount << 3), m)
          newMCount++
          addM(m)
        } else mi = M_SPILLED
      }
      lastM = m
      lastMi = mi
    }
    let word: i32 = 0
    if (mi < M_SPILLED) word |= mi << 8
    else {
      word |= M_SPILLED << 8
      spill(SPILL_M, i, m)
    }
    if (p > <f64>P_SPILLED && p < <f64>-P_SPILLED && p == Math.floor(p)) word |= <i32>p << P_SHIFT
    else {
      word |= P_SPILLED << P_SHIFT
      spill(SPILL_P, i, p)
    }
    setGoroutine(j, id)

    // Arguments: the cells the type keeps, without the hole.
    const hole = load<i8>(holes + <usize>typ)
    if (hole == 1) {
      a1 = a2
      a2 = a3
      a3 = 0
    } else if (hole == 0) {
      a0 = a1
      a1 = a2
      a2 = a3
      a3 = 0
    }
    const n = <i32>load<u8>(cellCounts + <usize>typ)
    if (n < ARGS && (a3 != 0 || (n < 3 && a2 != 0) || (n < 2 && a1 != 0) || (n < 1 && a0 != 0))) {
      const key = i * <f64>ARGS
      if (n <= 0 && a0 != 0) spill(SPILL_EXTRA, key, a0)
      if (n <= 1 && a1 != 0) spill(SPILL_EXTRA, key + 1, a1)
      if (n <= 2 && a2 != 0) spill(SPILL_EXTRA, key + 2, a2)
      if (a3 != 0) spill(SPILL_EXTRA, key + 3, a3)
    }
    const ab = <usize>(j >> ARG_BLOCK_BITS) << 2
    if ((j & ((1 << ARG_BLOCK_BITS) - 1)) == 0) store<u32>(argBase + ab, argLen)
    if ((j & ((1 << ARG_GROUP_BITS) - 1)) == 0) store<u8>(argGroup + <usize>(j >> ARG_GROUP_BITS), <u8>(argLen - load<u32>(argBase + ab)))
    if (n > 0) {
      const narrow = isUint16(a0) && (n < 2 || isUint16(a1)) && (n < 3 || isUint16(a2)) && (n < 4 || isUint16(a3))
      let at = argLen
      if (narrow) {
        store<u16>(args + (<usize>at << 1), <u16>a0)
        if (n > 1) store<u16>(args + (<usize>at << 1), <u16>a1, 2)
        if (n > 2) store<u16>(args + (<usize>at << 1), <u16>a2, 4)
        if (n > 3) store<u16>(args + (<usize>at << 1), <u16>a3, 6)
        at += n
      } else {
        word |= WIDE_ARGS
        const key = i * <f64>ARGS
        for (let k = 0; k < n; k++) {
          const v = k == 0 ? a0 : k == 1 ? a1 : k == 2 ? a2 : a3
          let cell: i32
          if (isInt32(v) && <i32>v != SPILLED) cell = <i32>v
          else {
            spill(SPILL_ARG, key + <f64>k, v)
            cell = SPILLED
          }
          store<u16>(args + (<usize>at << 1), <u16>(cell & 0xffff))
          store<u16>(args + (<usize>at << 1), <u16>(<u32>cell >>> 16), 2)
          at += 2
        }
      }
      argLen = at
    }
    store<u8>(type + <usize>j, <u8>typ)
    setContext(j, word)
    fill = j + 1
  }
  return s
}
