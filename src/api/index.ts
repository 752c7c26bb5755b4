/**
 * mtwire's TL layer for its own schema (layer 228 + MTProto service types): the generated `Api`, and
 * encoding/decoding of any object by its `_`.
 */
import { decodeWith, type DecodeOptions, type TlObject } from '../tl/define.js';
import { objectFromJsonWith } from '../tl/json.js';
import { encodeWith } from '../tl/writer.js';
import { DESCRIPTOR } from '../generated/api/descriptor.js';
import { readAny, writeAny } from '../generated/api/registry.js';
import { writeResultOf } from '../generated/api/result-writers.js';

export * from '../tl/runtime.js';
export { DESCRIPTOR };
export {
  Api,
  LAYER,
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

/** The boxed serialization of any constructor or method object of the schema. */
export function encodeObject(value: TlObject): Uint8Array {
  return encodeWith(writeAny, value);
}

/** Decodes one boxed constructor or method object; trailing bytes are an error unless allowed. */
export function decodeObject(bytes: Uint8Array, options?: DecodeOptions): TlObject {
  return decodeWith(readAny, bytes, options);
}

/**
 * Builds a typed object of the schema from its JSON shape (`long` as a decimal string, bytes as hex);
 * the mirror of `objectToJson`. Throws TlEncodeError naming the path of the first field that does not fit.
 */
export function objectFromJson(json: unknown): TlObject {
  return objectFromJsonWith(DESCRIPTOR, json);
}

/** The serialized result of `request` (the body of the rpc_result a server sends back): the mirror of `readResultOf`. */
export function encodeResult(request: TlObject, value: unknown): Uint8Array {
  return encodeWith((w, v: unknown) => writeResultOf(w, request, v), value);
}
