/**
 * The part of the WebAssembly JS API we use. Our TypeScript libs (ES2022 + Node types) do not declare
 * it, and reading it off globalThis also covers hosts without WebAssembly.
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * Compiles and instantiates a module that imports nothing, synchronously (our modules are a few KB, under
 * the 4 KB a browser's main thread allows). Throws where WebAssembly is missing or refuses the module
 * (e.g. under a CSP without 'wasm-unsafe-eval'): callers fall back to their JavaScript path.
 */
export function instantiate(bytes: Uint8Array): Record<string, unknown> {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error('no WebAssembly');
  return new api.Instance(new api.Module(bytes), {}).exports;
}

/** True on little-endian hosts, where typed-array views agree with WebAssembly's memory layout. */
export const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
