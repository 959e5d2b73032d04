/** Compiles src-wasm/event-cells.ts with asc; the module's bytes. */
export function compile(): Promise<Buffer>
/** The text of src-shared/trace/event-cells.wasm.ts for these bytes. */
export function moduleText(bytes: Buffer): string
export const ASC_FLAGS: string[]
