export interface WasmModule {
  source: string
  target: string
  name: string
}
export const MODULES: WasmModule[]
export const ASC_FLAGS: string[]
export function compile(source: string): Promise<Buffer>
export function moduleText(module: WasmModule, bytes: Buffer): string
