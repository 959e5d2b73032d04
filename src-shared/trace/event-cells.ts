// The EventStore's cell encoder, in WebAssembly (src-wasm/event-cells.ts; the bytes are generated into
// event-cells.wasm.ts by scripts/build-wasm.mjs). One module instance per thread, lent to one store at a time: the
// store that pushes takes it, and a store that had it first gives back its chunk being filled (copied out, see
// EventStore.settle). Two stores filled by turns (a comparison's two traces in one worker) hand it back and forth.
import { EVENT_CELLS_WASM } from './event-cells.wasm'
import { instantiate } from './wasm'

export interface CellExports {
  readonly memory: { readonly buffer: ArrayBuffer }
  readonly STAGE: { readonly value: number }
  init(): number
  offsetOf(region: number): number
  filled(): number
  argCells(): number
  /** Entries of the context table; -1 when the chunk keeps a word per event. */
  contexts(): number
  /** Entries of the goroutine table; -1 when the chunk keeps Float64 IDs. */
  goroutines(): number
  wideTimes(): number
  spilled(): number
  newMsCount(): number
  reset(): void
  resetMs(): void
  addM(id: number): void
  resume(events: number, cells: number, contexts: number, goroutines: number, wideTimes: number): void
  encode(from: number, to: number, index: number): number
}

/** Staged values per event: type, time, M, P, G, four arguments. */
export const FIELDS = 9

/** What a store gives back when another takes the encoder. */
export interface CellOwner {
  release(): void
}

export class CellEncoder {
  private static shared: CellEncoder | null = null

  /** This thread's encoder (made on first use). */
  static get(): CellEncoder {
    return (CellEncoder.shared ??= new CellEncoder())
  }

  readonly ex: CellExports
  readonly stageSize: number
  // Views of the regions (the memory never grows after init, so they stay valid).
  readonly stage: Float64Array
  readonly type: Uint8Array
  readonly ctx: Uint8Array
  readonly ctxWords: Int32Array
  readonly ctxWide: Int32Array
  readonly time: Uint16Array
  readonly timeRun: Uint32Array
  readonly timeBase: Float64Array
  readonly timeWide: Uint32Array
  readonly g: Uint16Array
  readonly gIds: Int32Array
  readonly gWide: Float64Array
  readonly argBase: Uint32Array
  readonly argGroup: Uint8Array
  readonly args: Uint16Array
  readonly spills: Float64Array
  readonly newMs: Float64Array
  private owner: WeakRef<CellOwner> | null = null

  private constructor() {
    this.ex = instantiate<CellExports>(EVENT_CELLS_WASM, 'the event store')
    if (!this.ex.init()) throw new Error('the event store could not get memory for its encoder')
    const buffer = this.ex.memory.buffer
    const at = (region: number) => this.ex.offsetOf(region)
    const chunk = 1 << 16
    this.stageSize = this.ex.STAGE.value
    this.stage = new Float64Array(buffer, at(0), this.stageSize * FIELDS)
    this.type = new Uint8Array(buffer, at(3), chunk)
    this.ctx = new Uint8Array(buffer, at(4), chunk)
    this.ctxWords = new Int32Array(buffer, at(5), 256)
    this.ctxWide = new Int32Array(buffer, at(6), chunk)
    this.time = new Uint16Array(buffer, at(7), chunk)
    this.timeRun = new Uint32Array(buffer, at(8), chunk >> 5)
    this.timeBase = new Float64Array(buffer, at(9), chunk >> 8)
    this.timeWide = new Uint32Array(buffer, at(10), chunk)
    this.g = new Uint16Array(buffer, at(11), chunk)
    this.gIds = new Int32Array(buffer, at(12), chunk)
    this.gWide = new Float64Array(buffer, at(13), chunk)
    this.argBase = new Uint32Array(buffer, at(14), chunk >> 5)
    this.argGroup = new Uint8Array(buffer, at(15), chunk >> 3)
    this.args = new Uint16Array(buffer, at(16), chunk * 8)
    this.spills = new Float64Array(buffer, at(17), this.stageSize * 12 * 3)
    this.newMs = new Float64Array(buffer, at(18), this.stageSize)
  }

  /** Gives the tables of cells per type (the store's, events.ts) to the module. */
  tables(holes: Int8Array, cells: Uint8Array): void {
    const buffer = this.ex.memory.buffer
    new Int8Array(buffer, this.ex.offsetOf(1), 256).set(holes)
    new Uint8Array(buffer, this.ex.offsetOf(2), 256).set(cells)
  }

  /** Whether `store` has the encoder. */
  owns(store: CellOwner): boolean {
    return this.owner?.deref() === store
  }

  /** Lends the encoder to `store`: the store that had it gives back what it holds. The caller loads its own state. */
  lend(store: CellOwner): void {
    const previous = this.owner?.deref()
    if (previous && previous !== store) previous.release()
    this.owner = new WeakRef(store)
  }
}
