// Instantiating the decoder's WebAssembly modules (generated into *.wasm.ts by scripts/build-wasm.mjs), in any host:
// src-shared sees neither DOM nor Node types, so the little of the WebAssembly API used here is declared here.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: unknown }
}

const compiled = new Map<string, object>()

/**
 * A new instance of the module in `base64`, compiled once per thread. Synchronous: the modules are small (a few KB to
 * a few tens of KB) and compile in a millisecond or two. `what` names the module's user in the error a host without
 * WebAssembly gets.
 */
export function instantiate<T>(base64: string, what: string): T {
  const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly
  if (!wasm) throw new Error(`this JavaScript host has no WebAssembly, which ${what} needs`)
  let module = compiled.get(base64)
  if (!module) {
    module = new wasm.Module(bytesOf(base64))
    compiled.set(base64, module)
  }
  return new wasm.Instance(module, {}).exports as T
}

function bytesOf(base64: string): Uint8Array {
  const text = (globalThis as unknown as { atob(s: string): string }).atob(base64)
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i)
  return out
}
