import { CodeWriter, encodeModule, type FuncDef, type ValueType } from '../../src/base/wasm/encoder.js';
import { instantiate } from '../../src/base/wasm/instantiate.js';

/** The part of the WebAssembly JS API the tests use (our TS libs do not declare it). */
export const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** A function definition whose body `build` writes (encodeModule adds the final `end`). */
export function func(
  name: string,
  params: ValueType[],
  result: ValueType | undefined,
  build: (c: CodeWriter) => CodeWriter,
  locals: ValueType[] = [],
): FuncDef {
  return { name, params, locals, result, body: build(new CodeWriter()) };
}

/** Encodes, checks that the module validates, and instantiates it. */
export function load<T = Record<string, (...args: never[]) => unknown>>(funcs: FuncDef[], pages = 1): T {
  const bytes = encodeModule(pages, funcs);
  if (!wasm.validate(bytes)) throw new Error('module does not validate');
  return instantiate(bytes) as T;
}
