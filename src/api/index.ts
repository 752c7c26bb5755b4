/**
 * mtwire's TL layer for its own schema (layer 228 + MTProto service types): the generated `Api`, and
 * encoding/decoding of any object by its `_`.
 */
import { decodeWith, type DecodeOptions, type TlObject } from '../tl/define.js';
import { encodeWith } from '../tl/writer.js';
import { readAny, writeAny } from '../generated/api/registry.js';
import { writeResultOf } from '../generated/api/result-writers.js';

export * from '../tl/runtime.js';
export {
  Api,
  LAYER,
  SCHEMA_TL,
  readObject,
  writeObject,
  readMethod,
  writeMethod,
  readAny,
  writeAny,
  readResultOf,
  writeResultOf,
  idOf,
  isMethodName,
} from '../generated/api/index.js';
export { objectFromJson, objectToJson } from './json.js';

/** The boxed serialization of any constructor or method object of the schema. */
export function encodeObject(value: TlObject): Uint8Array {
  return encodeWith(writeAny, value);
}

/** Decodes one boxed constructor or method object; trailing bytes are an error unless allowed. */
export function decodeObject(bytes: Uint8Array, options?: DecodeOptions): TlObject {
  return decodeWith(readAny, bytes, options);
}

/** The serialized result of `request` (the body of the rpc_result a server sends back): the mirror of `readResultOf`. */
export function encodeResult(request: TlObject, value: unknown): Uint8Array {
  return encodeWith((w, v: unknown) => writeResultOf(w, request, v), value);
}
