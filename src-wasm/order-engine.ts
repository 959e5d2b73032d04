// AssemblyScript, compiled to WebAssembly (npm run build:wasm): the busy half of the ordering engine for Go 1.22+ traces
// (src-shared/trace/v2/order.ts and reader.ts are the other half, and describe the rules). On a fresh process or
// worker, JavaScript runs unoptimized for the first hundreds of thousands of events, which made a 10 MB trace slower to
// order than Go's own reader; this module is compiled ahead of time.
//
// It holds the state every event is checked against (goroutines, Ps, Ms, the GC's sequence number), reads each M's
// batches one event at a time (cursors), merges them in time order through the same heap as before (frontier), and
// advances the common events itself (goroutine and P transitions, syscalls, statuses, metrics), writing them to an
// output buffer. Any other event, and any event that breaks a rule, is left pending for the JavaScript engine, which
// reads and changes the same state through the exported functions and words every error. A handler here checks
// everything before it changes anything, so the JavaScript one can run the event again from the same state.
//
// Memory: a bump allocator over the module's memory (nothing is freed; a table that grows leaves its old arrays
// behind, at most as much again; a generation's bytes reuse their region when it is big enough).

// Results of run() and resolve().
export const GO_ON: i32 = -1
export const DONE: i32 = 0
export const STEPS: i32 = 1
export const LIMIT: i32 = 2
export const FULL: i32 = 3
export const PENDING: i32 = 4
export const STUCK: i32 = 5
export const BAD_EVENT: i32 = 6

// What a handler decided.
const NOT_READY: i32 = 0
const ADVANCED: i32 = 1
const TO_JS: i32 = 2

const NONE: f64 = -1

// Wire statuses and states (spec.ts).
const G_RUNNABLE: i32 = 1
const G_RUNNING: i32 = 2
const G_SYSCALL: i32 = 3
const G_WAITING: i32 = 4
const P_RUNNING: i32 = 1
const P_IDLE: i32 = 2
const P_SYSCALL: i32 = 3
const P_ABANDONED: i32 = 4

// Event types (spec.ts EV).
const EV_PROCS_CHANGE: i32 = 9
const EV_PROC_START: i32 = 10
const EV_PROC_STOP: i32 = 11
const EV_PROC_STEAL: i32 = 12
const EV_GO_CREATE: i32 = 14
const EV_GO_START: i32 = 16
const EV_GO_DESTROY: i32 = 17
const EV_GO_STOP: i32 = 19
const EV_GO_BLOCK: i32 = 20
const EV_GO_UNBLOCK: i32 = 21
const EV_SYSCALL_BEGIN: i32 = 22
const EV_SYSCALL_END: i32 = 23
const EV_SYSCALL_END_BLOCKED: i32 = 24
const EV_GO_STATUS: i32 = 25
const EV_HEAP_ALLOC: i32 = 37
const EV_HEAP_GOAL: i32 = 38
const EV_GO_LABEL: i32 = 39
const EV_USER_LOG: i32 = 44
const EV_GO_CREATE_BLOCKED: i32 = 47
const EV_GO_STATUS_STACK: i32 = 48

/** Records in the output buffer, nine f64 each: type, time, M, P, G, four arguments. */
export const OUT_CAP: i32 = 4096
const RECORD: i32 = 9 * 8

// ---- Memory ----

let top: usize = (__heap_base + 15) & ~(<usize>15)

/**
 * Memory for `bytes` more. Past what WebAssembly can address (4 GiB), or when the host gives no more, it traps: the
 * JavaScript side turns that into an error that keeps the generations decoded before (see engine.ts).
 */
function alloc(bytes: usize): usize {
  const at = top
  const end = (<u64>top + <u64>bytes + 15) & ~(<u64>15)
  if (end > 0xffff0000) unreachable()
  top = <usize>end
  const pages = <i32>((<u64>top + 0xffff) >> 16) - memory.size()
  if (pages > 0 && memory.grow(pages) < 0) unreachable()
  return at
}

// Fixed regions.
const timedArgs = alloc(256) // argument count of each timed event type; -1: invalid or untimed (engine.ts TIMED_ARGS)
const out = alloc(<usize>OUT_CAP * RECORD)
// Per event type: the indexes of its (up to two) stack arguments, then of its (up to two) string arguments; 0xff: none.
const idArgs = alloc(256 * 4)
// Output records whose IDs the writer's step could not move (see emit), by index.
const fixups = alloc(<usize>OUT_CAP * 4)

// Where the fixed regions are, for the JavaScript side's views.
export function timedArgsAt(): usize {
  return timedArgs
}
export function idArgsAt(): usize {
  return idArgs
}
export function outputAt(): usize {
  return out
}
export function fixupsAt(): usize {
  return fixups
}

// ---- Hash tables: f64 ID -> slot (open addressing, linear probing; -1 marks an empty entry) ----
// A table is five u32 words in memory: keys (f64 array), values (i32 array), mask, count, mode.
//
// IDs are entered at their own low bits first (mode DIRECT, where no entry is more than LONG_PROBE from its home): the
// runtime numbers goroutines, Ps and Ms one after another, so the live ones fill neighbouring entries without colliding
// and a lookup touches one cache line (against a mixing hash, that took a third off the time of the whole merge). IDs
// a trace chose to collide would make probes long, so a probe longer than LONG_PROBE turns the table to MIXED: IDs
// mixed with a seed the trace cannot know.

const DIRECT: u32 = 0
const MIXED: u32 = 1
const LONG_PROBE: u32 = 64
let seed: u64 = 0x9e3779b97f4a7c15

/** Seeds the hash of tables that turn MIXED (the JavaScript side passes a random number). */
export function setSeed(lo: u32, hi: u32): void {
  seed = (<u64>hi << 32) | <u64>lo
}

@inline function hashOf(mode: u32, key: f64): u32 {
  // IDs are integers below 2^64, read as int64; anything else only needs some hash.
  const v = key > -9.2e18 && key < 9.2e18 ? <u64><i64>key : reinterpret<u64>(key)
  if (mode == DIRECT) return <u32>v
  let h = v ^ seed
  h ^= h >> 33
  h *= 0xff51afd7ed558ccd
  h ^= h >> 33
  h *= 0xc4ceb9fe1a85ec53
  h ^= h >> 33
  return <u32>h
}

function tableNew(bits: i32): usize {
  const t = alloc(20)
  const n = <usize>1 << bits
  const keys = alloc(n * 8)
  const vals = alloc(n * 4)
  memory.fill(vals, 0xff, n * 4)
  store<u32>(t, <u32>keys)
  store<u32>(t + 4, <u32>vals)
  store<u32>(t + 8, <u32>(n - 1))
  store<u32>(t + 12, 0)
  store<u32>(t + 16, DIRECT)
  return t
}

function tableGet(t: usize, key: f64): i32 {
  const keys = <usize>load<u32>(t)
  const vals = <usize>load<u32>(t + 4)
  const mask = load<u32>(t + 8)
  const mode = load<u32>(t + 16)
  let i = hashOf(mode, key) & mask
  for (let probe: u32 = 0; ; probe++) {
    const v = load<i32>(vals + (<usize>i << 2))
    if (v < 0) return -1
    if (load<f64>(keys + (<usize>i << 3)) == key) return v
    // A DIRECT table keeps every entry within LONG_PROBE of its home (see put).
    if (probe == LONG_PROBE && mode == DIRECT) return -1
    i = (i + 1) & mask
  }
  return -1
}

function tableSet(t: usize, key: f64, val: i32): void {
  const mask = load<u32>(t + 8)
  const count = load<u32>(t + 12)
  // At most half full.
  if ((count + 1) * 2 > mask + 1) rehash(t, (<usize>mask + 1) * 2, load<u32>(t + 16))
  if (!tablePut(t, key, val)) {
    rehash(t, <usize>load<u32>(t + 8) + 1, MIXED)
    tablePut(t, key, val)
  }
  store<u32>(t + 12, count + 1)
}

/** Enters the table's entries again into `size` entries (new arrays), hashed by `mode`. */
function rehash(t: usize, size: usize, mode: u32): void {
  const oldKeys = <usize>load<u32>(t)
  const oldVals = <usize>load<u32>(t + 4)
  const oldSize = <usize>load<u32>(t + 8) + 1
  const keys = alloc(size * 8)
  const vals = alloc(size * 4)
  memory.fill(vals, 0xff, size * 4)
  store<u32>(t, <u32>keys)
  store<u32>(t + 4, <u32>vals)
  store<u32>(t + 8, <u32>(size - 1))
  store<u32>(t + 16, mode)
  for (let i: usize = 0; i < oldSize; i++) {
    const v = load<i32>(oldVals + (i << 2))
    // A long probe while rehashing DIRECT: the whole table again, MIXED (once: MIXED always puts).
    if (v >= 0 && !tablePut(t, load<f64>(oldKeys + (i << 3)), v)) {
      store<u32>(t, <u32>oldKeys)
      store<u32>(t + 4, <u32>oldVals)
      store<u32>(t + 8, <u32>(oldSize - 1))
      rehash(t, size, MIXED)
      return
    }
  }
}

/** Puts an entry; false (nothing put) when a DIRECT table would need a long probe. */
function tablePut(t: usize, key: f64, val: i32): bool {
  const keys = <usize>load<u32>(t)
  const vals = <usize>load<u32>(t + 4)
  const mask = load<u32>(t + 8)
  const mode = load<u32>(t + 16)
  let i = hashOf(mode, key) & mask
  for (let probe: u32 = 0; load<i32>(vals + (<usize>i << 2)) >= 0; probe++) {
    if (probe == LONG_PROBE && mode == DIRECT) return false
    i = (i + 1) & mask
  }
  store<f64>(keys + (<usize>i << 3), key)
  store<i32>(vals + (<usize>i << 2), val)
  return true
}

/** Removes key (backward-shift deletion: no tombstones, probes stay short). */
function tableDelete(t: usize, key: f64): void {
  const keys = <usize>load<u32>(t)
  const vals = <usize>load<u32>(t + 4)
  const mask = load<u32>(t + 8)
  const mode = load<u32>(t + 16)
  let i = hashOf(mode, key) & mask
  for (;;) {
    const v = load<i32>(vals + (<usize>i << 2))
    if (v < 0) return
    if (load<f64>(keys + (<usize>i << 3)) == key) break
    i = (i + 1) & mask
  }
  let j = i
  for (;;) {
    j = (j + 1) & mask
    const v = load<i32>(vals + (<usize>j << 2))
    if (v < 0) break
    // In a DIRECT table nothing further can belong at i (a run of neighbouring IDs can be long).
    if (mode == DIRECT && ((j - i) & mask) > LONG_PROBE) break
    const k = load<f64>(keys + (<usize>j << 3))
    const home = hashOf(mode, k) & mask
    // The entry at j may move to the hole at i unless its home lies cyclically in (i, j].
    if (i <= j ? i < home && home <= j : i < home || home <= j) continue
    store<f64>(keys + (<usize>i << 3), k)
    store<i32>(vals + (<usize>i << 2), v)
    i = j
  }
  store<i32>(vals + (<usize>i << 2), -1)
  store<u32>(t + 12, load<u32>(t + 12) - 1)
}

/** A new column of `cap` entries of `width` bytes, holding the first `used` of `old`'s. */
function grownColumn(old: usize, used: i32, cap: i32, width: usize): usize {
  const at = alloc(<usize>cap * width)
  if (used > 0) memory.copy(at, old, <usize>used * width)
  return at
}

// ---- Goroutines: a slot each (reused once the goroutine is gone), columns by slot ----

const gTable = tableNew(12)
let gCap: i32 = 0
let gUsed: i32 = 0
let gStatusCol: usize = 0 // u8
let gFlagCol: usize = 0 // u8: the JavaScript engine keeps ranges or regions for this slot
let gSeqGenCol: usize = 0 // f64
let gSeqCol: usize = 0 // f64
let gFree: usize = 0 // i32 stack of free slots
let gFreeLen: i32 = 0

function gGrow(): void {
  const cap = gCap == 0 ? 4096 : gCap * 2
  gStatusCol = grownColumn(gStatusCol, gCap, cap, 1)
  gFlagCol = grownColumn(gFlagCol, gCap, cap, 1)
  gSeqGenCol = grownColumn(gSeqGenCol, gCap, cap, 8)
  gSeqCol = grownColumn(gSeqCol, gCap, cap, 8)
  gFree = grownColumn(gFree, gFreeLen, cap, 4)
  gCap = cap
}

/** Whether the goroutine table has turned MIXED (IDs that collided at their low bits). */
export function gMixed(): bool {
  return load<u32>(gTable + 16) == MIXED
}
export function gSlot(id: f64): i32 {
  return tableGet(gTable, id)
}
export function gAdd(id: f64, status: i32, gen: f64): i32 {
  let s: i32
  if (gFreeLen > 0) s = load<i32>(gFree + (<usize>(--gFreeLen) << 2))
  else {
    if (gUsed == gCap) gGrow()
    s = gUsed++
  }
  store<u8>(gStatusCol + <usize>s, <u8>status)
  store<u8>(gFlagCol + <usize>s, 0)
  gSequence(s, gen, 0)
  tableSet(gTable, id, s)
  return s
}
export function gRemove(id: f64): void {
  const s = tableGet(gTable, id)
  if (s < 0) return
  tableDelete(gTable, id)
  store<i32>(gFree + (<usize>(gFreeLen++) << 2), s)
}
export function gStatus(s: i32): i32 {
  return load<u8>(gStatusCol + <usize>s)
}
export function gSetStatus(s: i32, status: i32): void {
  store<u8>(gStatusCol + <usize>s, <u8>status)
}
export function gFlag(s: i32): i32 {
  return load<u8>(gFlagCol + <usize>s)
}
export function gSetFlag(s: i32): void {
  store<u8>(gFlagCol + <usize>s, 1)
}
export function gSeqGen(s: i32): f64 {
  return load<f64>(gSeqGenCol + (<usize>s << 3))
}
export function gSeq(s: i32): f64 {
  return load<f64>(gSeqCol + (<usize>s << 3))
}
export function gSequence(s: i32, gen: f64, seq: f64): void {
  store<f64>(gSeqGenCol + (<usize>s << 3), gen)
  store<f64>(gSeqCol + (<usize>s << 3), seq)
}
@inline function gSucceeds(s: i32, gen: f64, seq: f64): bool {
  return gen == load<f64>(gSeqGenCol + (<usize>s << 3)) && seq == load<f64>(gSeqCol + (<usize>s << 3)) + 1
}

// ---- Ps and Ms: never removed; slots in order of entry ----

const pTable = tableNew(6)
let pCap: i32 = 0
let pCount: i32 = 0
let pStatusCol: usize = 0 // i32
let pSeqGenCol: usize = 0 // f64
let pSeqCol: usize = 0 // f64

export function pSlot(id: f64): i32 {
  return tableGet(pTable, id)
}
export function pAdd(id: f64, status: i32, gen: f64, seq: f64): i32 {
  if (pCount == pCap) {
    const cap = pCap == 0 ? 64 : pCap * 2
    pStatusCol = grownColumn(pStatusCol, pCount, cap, 4)
    pSeqGenCol = grownColumn(pSeqGenCol, pCount, cap, 8)
    pSeqCol = grownColumn(pSeqCol, pCount, cap, 8)
    pCap = cap
  }
  const s = pCount++
  store<i32>(pStatusCol + (<usize>s << 2), status)
  pSequence(s, gen, seq)
  tableSet(pTable, id, s)
  return s
}
export function pStatus(s: i32): i32 {
  return load<i32>(pStatusCol + (<usize>s << 2))
}
export function pSetStatus(s: i32, status: i32): void {
  store<i32>(pStatusCol + (<usize>s << 2), status)
}
export function pSeqGen(s: i32): f64 {
  return load<f64>(pSeqGenCol + (<usize>s << 3))
}
export function pSeq(s: i32): f64 {
  return load<f64>(pSeqCol + (<usize>s << 3))
}
export function pSequence(s: i32, gen: f64, seq: f64): void {
  store<f64>(pSeqGenCol + (<usize>s << 3), gen)
  store<f64>(pSeqCol + (<usize>s << 3), seq)
}
@inline function pSucceeds(s: i32, gen: f64, seq: f64): bool {
  return gen == load<f64>(pSeqGenCol + (<usize>s << 3)) && seq == load<f64>(pSeqCol + (<usize>s << 3)) + 1
}

const mTable = tableNew(6)
let mCap: i32 = 0
let mCount: i32 = 0
let mIdCol: usize = 0 // f64
let mGCol: usize = 0 // f64
let mPCol: usize = 0 // f64

/** Thread id's slot; -1 when it has none. Slots count from 0 in order of entry (the JavaScript side iterates them). */
export function mSlot(id: f64): i32 {
  return tableGet(mTable, id)
}
export function mAdd(id: f64, g: f64, p: f64): i32 {
  if (mCount == mCap) {
    const cap = mCap == 0 ? 64 : mCap * 2
    mIdCol = grownColumn(mIdCol, mCount, cap, 8)
    mGCol = grownColumn(mGCol, mCount, cap, 8)
    mPCol = grownColumn(mPCol, mCount, cap, 8)
    mCap = cap
  }
  const s = mCount++
  store<f64>(mIdCol + (<usize>s << 3), id)
  mSet(s, g, p)
  tableSet(mTable, id, s)
  return s
}
export function mCountOf(): i32 {
  return mCount
}
export function mId(s: i32): f64 {
  return load<f64>(mIdCol + (<usize>s << 3))
}
export function mG(s: i32): f64 {
  return load<f64>(mGCol + (<usize>s << 3))
}
export function mP(s: i32): f64 {
  return load<f64>(mPCol + (<usize>s << 3))
}
export function mSet(s: i32, g: f64, p: f64): void {
  store<f64>(mGCol + (<usize>s << 3), g)
  store<f64>(mPCol + (<usize>s << 3), p)
}
function mSlotOrAdd(id: f64): i32 {
  const s = tableGet(mTable, id)
  return s >= 0 ? s : mAdd(id, NONE, NONE)
}

// ---- The GC and the first generation ----

let gcSeqValue: f64 = 0
let gcStateValue: i32 = 0
let initialGenValue: f64 = 0
export function gcSeq(): f64 {
  return gcSeqValue
}
export function gcState(): i32 {
  return gcStateValue
}
export function gcSet(seq: f64, state: i32): void {
  gcSeqValue = seq
  gcStateValue = state
}
export function initialGen(): f64 {
  return initialGenValue
}

// ---- A generation's batches and cursors ----

// A batch: where its bytes are (u32 offset from input), length (u32), file offset of its first byte (f64), start time
// in ticks (f64).
const BATCH: usize = 24
// A cursor: see the C_ offsets.
const CURSOR: usize = 104
const C_M: usize = 0 // f64
const C_TIME: usize = 8 // f64: the current event's time, in ns
const C_ARGS: usize = 16 // 4 x f64
const C_BASE: usize = 48 // f64: file offset of the current batch's first byte
const C_MSLOT: usize = 56 // i32: -1 when M is NONE
const C_TYP: usize = 60 // i32
const C_NEXT_BATCH: usize = 64 // i32: index of the batch after the current one
const C_END_BATCH: usize = 68 // i32
const C_DATA: usize = 72 // u32: the current batch's first byte
const C_POS: usize = 76 // u32: the next event's first byte
const C_END: usize = 80 // u32: the current batch's end
const C_EV: usize = 84 // u32: the current event's first byte
const C_BATCH: usize = 88 // i32: the current batch's index

let input: usize = 0
let inputCap: usize = 0
let arenaLen: usize = 0
let batches: usize = 0
let batchCap: i32 = 0
let cursors: usize = 0
let frontier: usize = 0 // u32 cursor addresses, a min-heap on time
let scratch: usize = 0 // as many, for sorting the frontier
let cursorCap: i32 = 0
let cursorCount: i32 = 0
let frontierLen: i32 = 0
let freq: f64 = 0
let gen: f64 = 0

/**
 * Keeps the bytes of the generation being read, n at a time: where the caller is to write the next n bytes (an offset
 * from inputAt(), which moves when the region grows). arenaReset() starts the next generation's.
 */
export function arenaPut(n: i32): u32 {
  if (<u64>arenaLen + <u64>n > 0xffff0000) unreachable()
  const need = arenaLen + <usize>n
  if (need > inputCap) {
    // (A multiple of 16, as alloc rounds: the region then ends where the next allocation starts.)
    const cap = <usize>((min(max(max(<u64>need, <u64>inputCap * 2), <u64>1 << 20), <u64>0xffff0000) + 15) & ~(<u64>15))
    if (inputCap > 0 && input + inputCap == top) {
      // The last region allocated (nothing is allocated while a generation is read): it grows where it is.
      alloc(cap - inputCap)
    } else {
      const grown = alloc(cap)
      if (arenaLen > 0) memory.copy(grown, input, arenaLen)
      input = grown
    }
    inputCap = cap
  }
  const at = arenaLen
  arenaLen = need
  return <u32>at
}
export function arenaReset(): void {
  arenaLen = 0
}

/**
 * Prepares to order a generation whose bytes are kept (arenaPut), in `batchCount` batches from `cursorCount` Ms. The
 * caller then writes the batches at batchesAt() and adds the cursors.
 */
export function generation(f: f64, g: f64, batchCount: i32, cursorCount_: i32): void {
  freq = f
  gen = g
  if (batchCount > batchCap) {
    batchCap = max(batchCount, batchCap * 2)
    batches = alloc(<usize>batchCap * BATCH)
  }
  if (cursorCount_ > cursorCap) {
    cursorCap = max(cursorCount_, cursorCap * 2)
    cursors = alloc(<usize>cursorCap * CURSOR)
    frontier = alloc(<usize>cursorCap * 4)
    scratch = alloc(<usize>cursorCap * 4)
  }
  cursorCount = 0
  frontierLen = 0
  mode = NORMAL
  trying = 0
  outCount = 0
}
export function inputAt(): usize {
  return input
}
export function batchesAt(): usize {
  return batches
}

/** A cursor over batches [first, end) of thread m; BAD_EVENT if its first event does not decode, else GO_ON. */
export function addCursor(m: f64, first: i32, end: i32): i32 {
  const c = cursors + <usize>(cursorCount++) * CURSOR
  store<f64>(c + C_M, m)
  // The thread's state is made here, in this order, as the JavaScript engine made it (it iterates threads in order).
  const ms = mSlotOrAdd(m)
  store<i32>(c + C_MSLOT, m == NONE ? -1 : ms)
  store<i32>(c + C_NEXT_BATCH, first)
  store<i32>(c + C_END_BATCH, end)
  store<u32>(c + C_DATA, 0)
  store<u32>(c + C_POS, 0)
  store<u32>(c + C_END, 0)
  store<f64>(c + C_TIME, 0)
  const r = next(c)
  if (r < 0) {
    badCursor = c
    return BAD_EVENT
  }
  if (r > 0) {
    store<u32>(frontier + (<usize>frontierLen << 2), <u32>c)
    heapUp(frontierLen++)
  }
  return GO_ON
}

@inline function trunc(x: f64): f64 {
  return Math.trunc(x)
}

/** Moves cursor c to its next event: 1, or 0 when it has none, or -1 when the event does not decode. */
@inline function next(c: usize): i32 {
  let pos = <usize>load<u32>(c + C_POS)
  let end = <usize>load<u32>(c + C_END)
  let time = load<f64>(c + C_TIME)
  if (pos == end) {
    let b = load<i32>(c + C_NEXT_BATCH)
    const last = load<i32>(c + C_END_BATCH)
    while (b < last && load<u32>(batches + <usize>b * BATCH + 4) == 0) b++
    if (b == last) {
      store<i32>(c + C_NEXT_BATCH, b)
      return 0
    }
    const at = batches + <usize>b * BATCH
    pos = input + <usize>load<u32>(at)
    end = pos + <usize>load<u32>(at + 4)
    store<u32>(c + C_DATA, <u32>pos)
    store<u32>(c + C_END, <u32>end)
    store<f64>(c + C_BASE, load<f64>(at + 8))
    store<i32>(c + C_BATCH, b)
    store<i32>(c + C_NEXT_BATCH, b + 1)
    time = trunc(load<f64>(at + 16) * freq)
  }
  store<u32>(c + C_EV, <u32>pos)
  const typ = <i32>load<u8>(pos)
  const n = <i32>load<i8>(timedArgs + <usize>typ)
  if (n < 0) return -1
  pos++
  let dt: f64 = 0
  for (let k = -1; k < n; k++) {
    if (pos >= end) return -1
    let b = <u32>load<u8>(pos++)
    let v: f64
    if (b < 0x80) v = <f64>b
    else {
      let x = <u64>(b & 0x7f)
      let shift: u64 = 7
      for (let i = 1; ; i++) {
        if (pos >= end) return -1
        b = <u32>load<u8>(pos++)
        // A tenth byte may only hold the 64th bit.
        if (i == 9 && b > 1) return -1
        x |= <u64>(b & 0x7f) << shift
        if (b < 0x80) break
        shift += 7
      }
      // As the JavaScript reader reads a uint64: exact below 2^53, rounded above, and 2^63 and more as int64 (2^64-1: -1).
      v = (x >> 63) != 0 ? <f64><i64>x : <f64>x
    }
    if (k < 0) dt = v
    else store<f64>(c + C_ARGS + (<usize>k << 3), v)
  }
  for (let k = n; k < 4; k++) store<f64>(c + C_ARGS + (<usize>k << 3), 0)
  store<i32>(c + C_TYP, typ)
  store<f64>(c + C_TIME, time + trunc(dt * freq))
  store<u32>(c + C_POS, <u32>pos)
  return 1
}

// ---- The frontier: the same heap as reader.ts had, so that events of equal time come out in the same order ----

@inline function fAt(i: i32): usize {
  return <usize>load<u32>(frontier + (<usize>i << 2))
}
@inline function fSet(i: i32, c: usize): void {
  store<u32>(frontier + (<usize>i << 2), <u32>c)
}
@inline function timeOf(c: usize): f64 {
  return load<f64>(c + C_TIME)
}

function heapUp(i: i32): i32 {
  const c = fAt(i)
  const t = timeOf(c)
  while (i > 0) {
    const p = (i - 1) >> 1
    const parent = fAt(p)
    if (timeOf(parent) <= t) break
    fSet(i, parent)
    i = p
  }
  fSet(i, c)
  return i
}

@inline function heapDown(i: i32): void {
  const n = frontierLen
  if (i >= n) return
  const c = fAt(i)
  const t = timeOf(c)
  for (;;) {
    const l = 2 * i + 1
    if (l >= n) break
    let m = l
    let minT = timeOf(fAt(l))
    if (l + 1 < n && timeOf(fAt(l + 1)) < minT) {
      m = l + 1
      minT = timeOf(fAt(m))
    }
    if (minT >= t) break
    fSet(i, fAt(m))
    i = m
  }
  fSet(i, c)
}

function heapRemove(i: i32): void {
  const c = fAt(i)
  while (i > 0) {
    const p = (i - 1) >> 1
    fSet(i, fAt(p))
    i = p
  }
  fSet(0, c)
  frontierLen--
  if (frontierLen > 0) {
    fSet(0, fAt(frontierLen))
    heapDown(0)
  }
}

/**
 * Sorts the frontier by time, keeping the order of equal times (as Array.prototype.sort does): a merge sort, bottom
 * up, through `scratch`, so that a frontier of many Ms far from sorted (a heap can be) costs n log n, not n^2.
 */
function sortFrontier(): void {
  const n = frontierLen
  let from = frontier
  let to = scratch
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = min(lo + width, n)
      const hi = min(lo + 2 * width, n)
      let i = lo
      let j = mid
      for (let k = lo; k < hi; k++) {
        const a = i < mid ? <usize>load<u32>(from + (<usize>i << 2)) : 0
        const b = j < hi ? <usize>load<u32>(from + (<usize>j << 2)) : 0
        // The right run's first only if strictly earlier: stable (and NaN times keep their order).
        if (j >= hi || (i < mid && !(timeOf(b) < timeOf(a)))) {
          store<u32>(to + (<usize>k << 2), <u32>a)
          i++
        } else {
          store<u32>(to + (<usize>k << 2), <u32>b)
          j++
        }
      }
    }
    const t = from
    from = to
    to = t
  }
  if (from != frontier) memory.copy(frontier, from, <usize>n << 2)
}

// ---- The merge ----

const NORMAL: i32 = 0
const FALLBACK: i32 = 1
let mode: i32 = NORMAL
/** The frontier index of the cursor being advanced (0 but in the fallback, after the first refused). */
let trying: i32 = 0
let advancedCount: i32 = 0
let badCursor: usize = 0
let outCount: i32 = 0

/** Moves the cursor at frontier index i on, after its event advanced. */
@inline function moveOn(i: i32): i32 {
  const c = fAt(i)
  const r = next(c)
  if (r > 0) {
    if (heapUp(i) == i) heapDown(i)
  } else if (r == 0) heapRemove(i)
  else {
    badCursor = c
    return BAD_EVENT
  }
  return GO_ON
}

/**
 * Advances up to `steps` events in time order while the frontier's earliest is not after `limit` (a CPU sample's
 * time: the sample comes first). Returns why it stopped; advanced() says how many events it advanced.
 */
export function run(steps: i32, limit: f64): i32 {
  advancedCount = 0
  for (;;) {
    if (mode == NORMAL) {
      if (advancedCount >= steps) return STEPS
      if (frontierLen == 0) return DONE
      if (limit < timeOf(fAt(0))) return LIMIT
      if (outCount > OUT_CAP - 2) return FULL
      trying = 0
      const r = advanceEvent(fAt(0))
      if (r == ADVANCED) {
        advancedCount++
        const m = moveOn(0)
        if (m != GO_ON) return m
        continue
      }
      if (r == TO_JS) return PENDING
      sortFrontier()
      mode = FALLBACK
      trying = 1
    }
    // The fallback: the other cursors in time order, until one advances.
    for (; trying < frontierLen; trying++) {
      if (outCount > OUT_CAP - 2) return FULL
      const r = advanceEvent(fAt(trying))
      if (r == TO_JS) return PENDING
      if (r == ADVANCED) break
    }
    if (trying == frontierLen) return STUCK
    mode = NORMAL
    advancedCount++
    const i = trying
    trying = 0
    const m = moveOn(i)
    if (m != GO_ON) return m
  }
  return STUCK
}

/** The JavaScript engine's answer for the pending event: taken (the cursor moves on) or not ready yet. */
export function resolve(taken: bool): i32 {
  if (taken) {
    const i = trying
    mode = NORMAL
    trying = 0
    return moveOn(i)
  }
  if (mode == NORMAL) {
    sortFrontier()
    mode = FALLBACK
    trying = 1
  } else trying++
  if (trying == frontierLen) return STUCK
  return GO_ON
}

export function advanced(): i32 {
  return advancedCount
}
export function outputCount(): i32 {
  return outCount
}
export function drained(): void {
  outCount = 0
  fixupCount = 0
}
export function frontierSize(): i32 {
  return frontierLen
}
export function tryingIndex(): i32 {
  return trying
}
/** The cursor at frontier index i (for the pending event, the stuck frontier's description), or the bad one (-1). */
export function cursorAt(i: i32): usize {
  return i < 0 ? badCursor : fAt(i)
}
// A cursor's current event.
export function cursorType(c: usize): i32 {
  return load<i32>(c + C_TYP)
}
export function cursorTime(c: usize): f64 {
  return load<f64>(c + C_TIME)
}
export function cursorM(c: usize): f64 {
  return load<f64>(c + C_M)
}
export function cursorArg(c: usize, k: i32): f64 {
  return load<f64>(c + C_ARGS + (<usize>k << 3))
}
/** File offset of a cursor's current event. */
export function eventOffset(c: usize): f64 {
  return load<f64>(c + C_BASE) + <f64>(load<u32>(c + C_EV) - load<u32>(c + C_DATA))
}
/** The batch a cursor is in, and where its current event starts in it. */
export function eventBatch(c: usize): i32 {
  return load<i32>(c + C_BATCH)
}
export function eventStart(c: usize): i32 {
  return <i32>(load<u32>(c + C_EV) - load<u32>(c + C_DATA))
}

// ---- The handlers ----

// The event being advanced: its context, and the context after it.
let curM: f64 = NONE
let curP: f64 = NONE
let curG: f64 = NONE
let nextP: f64 = NONE
let nextG: f64 = NONE

function advanceEvent(c: usize): i32 {
  if (initialGenValue == 0) initialGenValue = gen
  const typ = load<i32>(c + C_TYP)
  const ms = load<i32>(c + C_MSLOT)
  curM = load<f64>(c + C_M)
  if (ms >= 0) {
    curP = mP(ms)
    curG = mG(ms)
  } else {
    curP = NONE
    curG = NONE
  }
  nextP = curP
  nextG = curG
  const time = load<f64>(c + C_TIME)
  const a = c + C_ARGS
  let r: i32
  switch (typ) {
    case EV_GO_START: r = goStart(typ, time, a); break
    case EV_GO_BLOCK:
    case EV_GO_STOP:
    case EV_GO_DESTROY: r = goLeave(typ, time, a); break
    case EV_GO_UNBLOCK: r = goUnblock(typ, time, a); break
    case EV_GO_CREATE:
    case EV_GO_CREATE_BLOCKED: r = goCreate(typ, time, a); break
    case EV_PROC_START: r = procStart(typ, time, a); break
    case EV_PROC_STOP: r = procStop(typ, time, a); break
    case EV_PROC_STEAL: r = procSteal(typ, time, a); break
    case EV_SYSCALL_BEGIN: r = syscallBegin(typ, time, a); break
    case EV_SYSCALL_END: r = syscallEnd(typ, time, a); break
    case EV_SYSCALL_END_BLOCKED: r = syscallEndBlocked(typ, time, a); break
    case EV_GO_STATUS:
    case EV_GO_STATUS_STACK: r = goStatus(typ, time, a); break
    case EV_HEAP_ALLOC:
    case EV_HEAP_GOAL: r = curM == NONE || curP == NONE ? TO_JS : emitted(typ, time, a); break
    case EV_PROCS_CHANGE:
    case EV_GO_LABEL:
    case EV_USER_LOG: r = curM == NONE || curP == NONE || curG == NONE ? TO_JS : emitted(typ, time, a); break
    default: r = TO_JS
  }
  if (r == ADVANCED && ms >= 0) mSet(ms, nextG, nextP)
  return r
}

@inline function arg(a: usize, k: i32): f64 {
  return load<f64>(a + (<usize>k << 3))
}

@inline function emit(typ: i32, time: f64, m: f64, p: f64, g: f64, a0: f64, a1: f64, a2: f64, a3: f64): void {
  const i = outCount++
  const r = out + <usize>i * RECORD
  if (writing) {
    // The writer's step (writer.ts): times strictly increasing, and stack and string IDs moved to the store's.
    if (time <= lastTs) time = lastTs + 1
    lastTs = time
    const ids = idArgs + (<usize>typ << 2)
    if (load<u32>(ids) != 0xffffffff) {
      let miss = false
      let b0 = a0
      let b1 = a1
      let b2 = a2
      let b3 = a3
      for (let k = 0; k < 4; k++) {
        const at = <i32>load<u8>(ids + <usize>k)
        if (at == 0xff) continue
        const id = at == 0 ? a0 : at == 1 ? a1 : at == 2 ? a2 : a3
        if (id == 0) continue
        const v = k < 2 ? stackMapped(id) : stringMapped(id)
        if (v < 0) {
          miss = true
          break
        }
        if (at == 0) b0 = v
        else if (at == 1) b1 = v
        else if (at == 2) b2 = v
        else b3 = v
      }
      if (miss) store<i32>(fixups + (<usize>(fixupCount++) << 2), i)
      else {
        a0 = b0
        a1 = b1
        a2 = b2
        a3 = b3
      }
    }
  }
  store<f64>(r, <f64>typ)
  store<f64>(r + 8, time)
  store<f64>(r + 16, m)
  store<f64>(r + 24, p)
  store<f64>(r + 32, g)
  store<f64>(r + 40, a0)
  store<f64>(r + 48, a1)
  store<f64>(r + 56, a2)
  store<f64>(r + 64, a3)
}

// ---- The writer's step, when this thread also stores the events (writer.ts, EngineWriter) ----
// A record whose stack or string ID is not in the maps yet keeps the generation's IDs and is listed in the fixups:
// the JavaScript writer checks it against the generation's tables and moves it, and enters what it moved here.

let writing = false
let lastTs: f64 = 0
let fixupCount: i32 = 0
let stackMap: usize = 0
let stackCap: i32 = 0
let stringMap: usize = 0
let stringCap: i32 = 0
// The highest ID mapped in this generation (-1: none).
let stackHigh: i32 = -1
let stringHigh: i32 = -1
/** IDs from this one up go to the JavaScript writer every time (a generation's are small, counted from 1). */
const DENSE: i32 = 1 << 20

export function startWriting(): void {
  writing = true
}
export function fixupsCount(): i32 {
  return fixupCount
}

/** A generation begins: its IDs are its own (only what the last one mapped is cleared: a map may be large). */
export function writerGeneration(): void {
  if (stackHigh >= 0) memory.fill(stackMap, 0xff, <usize>(stackHigh + 1) * 4)
  if (stringHigh >= 0) memory.fill(stringMap, 0xff, <usize>(stringHigh + 1) * 4)
  stackHigh = -1
  stringHigh = -1
}

@inline function dense(id: f64): bool {
  return id >= 0 && id < <f64>DENSE && id == Math.floor(id)
}
@inline function stackMapped(id: f64): f64 {
  if (!dense(id) || <i32>id >= stackCap) return -1
  return <f64>load<i32>(stackMap + (<usize><i32>id << 2))
}
@inline function stringMapped(id: f64): f64 {
  if (!dense(id) || <i32>id >= stringCap) return -1
  return <f64>load<i32>(stringMap + (<usize><i32>id << 2))
}

/** The size a map grows to, to hold `id`. */
function mapSize(cap: i32, id: i32): i32 {
  let size = max(cap * 2, 1024)
  while (size <= id) size *= 2
  return size
}

function mapGrown(map: usize, cap: i32, size: i32): usize {
  const grown = alloc(<usize>size * 4)
  memory.fill(grown, 0xff, <usize>size * 4)
  if (cap > 0) memory.copy(grown, map, <usize>cap * 4)
  return grown
}

/** Generation-local stack `id` is the store's stack `v` (from now on, until the next generation). */
export function mapStack(id: f64, v: i32): void {
  if (!dense(id)) return
  const i = <i32>id
  if (i >= stackCap) {
    const size = mapSize(stackCap, i)
    stackMap = mapGrown(stackMap, stackCap, size)
    stackCap = size
  }
  if (i > stackHigh) stackHigh = i
  store<i32>(stackMap + (<usize>i << 2), v)
}
export function mapString(id: f64, v: i32): void {
  if (!dense(id)) return
  const i = <i32>id
  if (i >= stringCap) {
    const size = mapSize(stringCap, i)
    stringMap = mapGrown(stringMap, stringCap, size)
    stringCap = size
  }
  if (i > stringHigh) stringHigh = i
  store<i32>(stringMap + (<usize>i << 2), v)
}

/** Appends an event the JavaScript side emits, its IDs already moved (the time is made strictly increasing); its index. */
export function put(typ: i32, time: f64, m: f64, p: f64, g: f64, a0: f64, a1: f64, a2: f64, a3: f64): i32 {
  if (time <= lastTs) time = lastTs + 1
  lastTs = time
  const i = outCount++
  const r = out + <usize>i * RECORD
  store<f64>(r, <f64>typ)
  store<f64>(r + 8, time)
  store<f64>(r + 16, m)
  store<f64>(r + 24, p)
  store<f64>(r + 32, g)
  store<f64>(r + 40, a0)
  store<f64>(r + 48, a1)
  store<f64>(r + 56, a2)
  store<f64>(r + 64, a3)
  return i
}

/** Emits the event in its context, as it came; ADVANCED. */
function emitted(typ: i32, time: f64, a: usize): i32 {
  emit(typ, time, curM, curP, curG, arg(a, 0), arg(a, 1), arg(a, 2), arg(a, 3))
  return ADVANCED
}

function goStart(typ: i32, time: f64, a: usize): i32 {
  const id = arg(a, 0)
  const st = gSlot(id)
  if (st < 0 || gStatus(st) != G_RUNNABLE || !gSucceeds(st, gen, arg(a, 1))) return NOT_READY
  if (curM == NONE || curP == NONE || curG != NONE) return TO_JS
  gSetStatus(st, G_RUNNING)
  gSequence(st, gen, arg(a, 1))
  nextG = id
  return emitted(typ, time, a)
}

/** GoDestroy, GoStop, GoBlock: the running goroutine leaves its M. */
function goLeave(typ: i32, time: f64, a: usize): i32 {
  if (curM == NONE || curP == NONE || curG == NONE) return TO_JS
  const st = gSlot(curG)
  if (st < 0 || gStatus(st) != G_RUNNING) return TO_JS
  if (typ == EV_GO_DESTROY) {
    if (gFlag(st) != 0) return TO_JS
    gRemove(curG)
  } else gSetStatus(st, typ == EV_GO_STOP ? G_RUNNABLE : G_WAITING)
  nextG = NONE
  return emitted(typ, time, a)
}

function goUnblock(typ: i32, time: f64, a: usize): i32 {
  const st = gSlot(arg(a, 0))
  if (st < 0 || gStatus(st) != G_WAITING || !gSucceeds(st, gen, arg(a, 1))) return NOT_READY
  gSetStatus(st, G_RUNNABLE)
  gSequence(st, gen, arg(a, 1))
  return emitted(typ, time, a)
}

function goCreate(typ: i32, time: f64, a: usize): i32 {
  if (curM == NONE || curP == NONE) return TO_JS
  const creator = gSlot(curG)
  if (creator >= 0 && gStatus(creator) != G_RUNNING) return TO_JS
  const id = arg(a, 0)
  if (gSlot(id) >= 0) return TO_JS
  gAdd(id, typ == EV_GO_CREATE_BLOCKED ? G_WAITING : G_RUNNABLE, gen)
  return emitted(typ, time, a)
}

function procStart(typ: i32, time: f64, a: usize): i32 {
  const pid = arg(a, 0)
  const st = pSlot(pid)
  if (st < 0 || pStatus(st) != P_IDLE || !pSucceeds(st, gen, arg(a, 1)) || curP != NONE) return NOT_READY
  if (curM == NONE) return TO_JS
  pSetStatus(st, P_RUNNING)
  pSequence(st, gen, arg(a, 1))
  nextP = pid
  return emitted(typ, time, a)
}

function procStop(typ: i32, time: f64, a: usize): i32 {
  const st = pSlot(curP)
  if (st < 0) return TO_JS
  const status = pStatus(st)
  if (status != P_RUNNING && status != P_SYSCALL) return TO_JS
  if (curM == NONE || curP == NONE) return TO_JS
  pSetStatus(st, P_IDLE)
  nextP = NONE
  return emitted(typ, time, a)
}

function procSteal(typ: i32, time: f64, a: usize): i32 {
  const pid = arg(a, 0)
  const st = pSlot(pid)
  if (st < 0) return NOT_READY
  const old = pStatus(st)
  if ((old != P_SYSCALL && old != P_ABANDONED) || !pSucceeds(st, gen, arg(a, 1))) return NOT_READY
  if (curM == NONE) return TO_JS
  const mid = arg(a, 2)
  let other = -1
  if (old != P_ABANDONED) {
    if (mid == curM) {
      if (curP != pid) return TO_JS
      nextP = NONE
    } else {
      other = mSlot(mid)
      if (other < 0 || mP(other) != pid) return TO_JS
    }
  }
  pSetStatus(st, P_IDLE)
  pSequence(st, gen, arg(a, 1))
  if (other >= 0) mSet(other, mG(other), NONE)
  emit(typ, time, curM, curP, curG, pid, arg(a, 1), mid, <f64>old)
  return ADVANCED
}

function syscallBegin(typ: i32, time: f64, a: usize): i32 {
  if (curM == NONE || curP == NONE || curG == NONE) return TO_JS
  const st = gSlot(curG)
  if (st < 0 || gStatus(st) != G_RUNNING) return TO_JS
  const ps = pSlot(curP)
  if (ps < 0 || !pSucceeds(ps, gen, arg(a, 0))) return TO_JS
  gSetStatus(st, G_SYSCALL)
  pSetStatus(ps, P_SYSCALL)
  pSequence(ps, gen, arg(a, 0))
  return emitted(typ, time, a)
}

function syscallEnd(typ: i32, time: f64, a: usize): i32 {
  if (curM == NONE || curP == NONE || curG == NONE) return TO_JS
  const st = gSlot(curG)
  if (st < 0 || gStatus(st) != G_SYSCALL) return TO_JS
  const ps = pSlot(curP)
  if (ps < 0 || pStatus(ps) != P_SYSCALL) return TO_JS
  gSetStatus(st, G_RUNNING)
  pSetStatus(ps, P_RUNNING)
  return emitted(typ, time, a)
}

function syscallEndBlocked(typ: i32, time: f64, a: usize): i32 {
  if (curP != NONE) {
    const ps = pSlot(curP)
    if (ps < 0) return TO_JS
    if (pStatus(ps) == P_SYSCALL) return NOT_READY
  }
  if (curM == NONE || curG == NONE) return TO_JS
  const st = gSlot(curG)
  if (st < 0 || gStatus(st) != G_SYSCALL) return TO_JS
  gSetStatus(st, G_RUNNABLE)
  nextG = NONE
  return emitted(typ, time, a)
}

// Go's high-level state of each wire status (spec.ts goStatusToState); Undetermined is 0.
@inline function stateOf(status: i32): i32 {
  return status == G_RUNNABLE ? 2 : status == G_RUNNING ? 3 : status == G_SYSCALL ? 5 : 4
}

function goStatus(typ: i32, time: f64, a: usize): i32 {
  const gid = arg(a, 0)
  const mid = arg(a, 1)
  const sv = arg(a, 2)
  if (!(sv >= 1 && sv <= 4) || sv != Math.floor(sv)) return TO_JS
  const status = <i32>sv
  let old = stateOf(status)
  const s = gSlot(gid)
  if (s >= 0) {
    if (gStatus(s) != status) return TO_JS
  } else if (gen == initialGenValue) old = 0
  else return TO_JS
  let m = curM
  let g = curG
  let addM = false
  if (status == G_SYSCALL) {
    if (mid == NONE) return TO_JS
    if (mid == curM) {
      if (gen != initialGenValue && curG != gid) return TO_JS
    } else {
      const ms = mSlot(mid)
      if (ms >= 0) {
        if (mG(ms) != gid) return TO_JS
        g = gid
      } else addM = true
      m = mid
    }
  }
  // Checked: now the changes.
  if (s >= 0) gSequence(s, gen, 0)
  else gAdd(gid, status, gen)
  if (status == G_RUNNING || (status == G_SYSCALL && mid == curM)) nextG = gid
  if (addM) mAdd(mid, gid, NONE)
  emit(typ, time, m, curP, g, gid, mid, <f64>(status | (old << 8)), typ == EV_GO_STATUS_STACK ? arg(a, 3) : 0)
  return ADVANCED
}
