// The ordering engine's WebAssembly half (src-wasm/order-engine.ts, generated into order-engine.wasm.ts by
// scripts/build-wasm.mjs): the state of goroutines, Ps, Ms and the GC, the per-M cursors, the merge, and the handlers of
// the common events. One instance per decode (its memory is that decode's state). The JavaScript half (order.ts) reads
// and changes the same state through these functions; reader.ts drives the merge.
import { SPECS } from '../spec'
import { instantiate } from '../wasm'
import { ORDER_ENGINE_WASM } from './order-engine.wasm'

interface Constant {
  readonly value: number
}

export interface EngineExports {
  readonly memory: { readonly buffer: ArrayBuffer }
  // What run() and resolve() return.
  readonly GO_ON: Constant
  readonly DONE: Constant
  readonly STEPS: Constant
  readonly LIMIT: Constant
  readonly FULL: Constant
  readonly PENDING: Constant
  readonly STUCK: Constant
  readonly BAD_EVENT: Constant
  /** Records the output buffer holds. */
  readonly OUT_CAP: Constant
  // Where the fixed regions are: the timed-argument and ID-argument tables (written at the start), the output records
  // and the fixups' record indexes.
  timedArgsAt(): number
  idArgsAt(): number
  outputAt(): number
  fixupsAt(): number
  // Goroutines: a slot each (-1: none), columns by slot.
  gSlot(id: number): number
  /** Whether the goroutine table turned to mixing IDs (they collided at their low bits: a crafted trace). */
  gMixed(): number
  gAdd(id: number, status: number, gen: number): number
  gRemove(id: number): void
  gStatus(slot: number): number
  gSetStatus(slot: number, status: number): void
  /** Marks a slot the JavaScript half keeps ranges or regions for (the WebAssembly half then leaves its GoDestroy here). */
  gSetFlag(slot: number): void
  gSeqGen(slot: number): number
  gSeq(slot: number): number
  gSequence(slot: number, gen: number, seq: number): void
  // Ps.
  pSlot(id: number): number
  pAdd(id: number, status: number, gen: number, seq: number): number
  pStatus(slot: number): number
  pSetStatus(slot: number, status: number): void
  pSeqGen(slot: number): number
  pSeq(slot: number): number
  pSequence(slot: number, gen: number, seq: number): void
  // Ms (slots 0 to mCountOf()-1, in order of entry).
  mSlot(id: number): number
  mAdd(id: number, g: number, p: number): number
  mCountOf(): number
  mId(slot: number): number
  mG(slot: number): number
  mP(slot: number): number
  mSet(slot: number, g: number, p: number): void
  gcSeq(): number
  gcState(): number
  gcSet(seq: number, state: number): void
  initialGen(): number
  setSeed(lo: number, hi: number): void
  // A generation's merge.
  arenaPut(n: number): number
  arenaReset(): void
  generation(freq: number, gen: number, batches: number, cursors: number): void
  inputAt(): number
  batchesAt(): number
  addCursor(m: number, first: number, end: number): number
  run(steps: number, limit: number): number
  resolve(taken: boolean): number
  advanced(): number
  outputCount(): number
  drained(): void
  frontierSize(): number
  tryingIndex(): number
  /** The cursor at frontier index i; -1: the one whose next event did not decode. */
  cursorAt(i: number): number
  cursorType(c: number): number
  cursorTime(c: number): number
  cursorM(c: number): number
  cursorArg(c: number, k: number): number
  eventOffset(c: number): number
  eventBatch(c: number): number
  eventStart(c: number): number
  // The writer's step (writer.ts, EngineWriter).
  startWriting(): void
  writerGeneration(): void
  mapStack(id: number, v: number): void
  mapString(id: number, v: number): void
  put(typ: number, time: number, m: number, p: number, g: number, a0: number, a1: number, a2: number, a3: number): number
  fixupsCount(): number
}

/** A batch's entry in the engine's table: offset of its bytes, length (u32), file offset, start time in ticks (f64). */
export const BATCH_ENTRY = 24
/** Output records: nine f64 each (type, time, M, P, G, four arguments). */
export const RECORD_FIELDS = 9

/** Argument count of each timed event type; -1 for types that are invalid or untimed in a batch. */
export const TIMED_ARGS = Int8Array.from({ length: 256 }, (_, typ) => {
  const spec = SPECS[typ]
  return typ > 136 || (typ >= 53 && typ < 128) || !spec || !spec.timed ? -1 : spec.args.length
})

/** Per event type: the indexes of its stack arguments (two places), then of its string arguments (two); 0xff: none. */
export const ID_ARGS = Uint8Array.from({ length: 256 * 4 }, (_, i) => {
  const spec = SPECS[i >> 2]
  const k = i & 3
  const list = k < 2 ? spec?.stackArgs : spec?.stringArgs
  const at = list?.[k & 1]
  // (CPUSample's stack is its fifth value: those the JavaScript writer moves.)
  return at !== undefined && at < 4 ? at : 0xff
})

/**
 * Views of an engine's memory: its bytes, output records and fixups. Growing the memory replaces its buffer (and
 * detaches views of the old one), so take them from `now` again after any call into the engine that may allocate.
 */
export class EngineViews {
  private buffer: ArrayBuffer | null = null
  private views = { bytes: new Uint8Array(0), records: new Float64Array(0), fixups: new Int32Array(0) }

  constructor(private readonly ex: EngineExports) {}

  get now(): { readonly bytes: Uint8Array; readonly records: Float64Array; readonly fixups: Int32Array } {
    const ex = this.ex
    const buffer = ex.memory.buffer
    if (buffer !== this.buffer) {
      this.buffer = buffer
      this.views = {
        bytes: new Uint8Array(buffer),
        records: new Float64Array(buffer, ex.outputAt(), ex.OUT_CAP.value * RECORD_FIELDS),
        fixups: new Int32Array(buffer, ex.fixupsAt(), ex.OUT_CAP.value),
      }
    }
    return this.views
  }
}

/** A new engine, for one decode. */
export function orderEngine(): EngineExports {
  const ex = instantiate<EngineExports>(ORDER_ENGINE_WASM, 'the decoder')
  new Int8Array(ex.memory.buffer, ex.timedArgsAt(), 256).set(TIMED_ARGS)
  new Uint8Array(ex.memory.buffer, ex.idArgsAt(), 256 * 4).set(ID_ARGS)
  // Only where a table's entries go depends on it (see hashOf in the source), never what comes out.
  ex.setSeed((Math.random() * 2 ** 32) >>> 0, (Math.random() * 2 ** 32) >>> 0)
  return ex
}
