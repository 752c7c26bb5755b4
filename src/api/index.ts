/**
 * mtwire's TL layer for its own schema (layer 228 + MTProto service types): the generated `Api`, and
 * encoding/decoding of any object by its `_`.
 *
 * Decoding, from the most to the least specific:
 * - `Api.X.decode(bytes, options)`: one boxed object of the constructor X (any other id is an error);
 * - `decodeObject(bytes, options)`: one boxed constructor or method object of the schema, by its id;
 * - `decodeResult(request, bytes, options)`: the body of the rpc_result that answers `request`, typed by it.
 *
 * Each has a form that reads from a `TlReader` at its position and leaves the reader after what it read,
 * for values inside a larger message: `Api.X.read(r)`, `readObject(r)` / `readMethod(r)` / `readAny(r)`
 * and `readResultOf(r, request)`. `decodeWith(read, bytes, options)` runs any such reader over a whole
 * buffer with the rules of `DecodeOptions` (trailing bytes are an error unless `allowTrailing`; `bytes`
 * values view the input unless `copyBytes`; nesting deeper than the stack is a TlDecodeError).
 */
import { decodeWith, type DecodeOptions, type TlObject } from '../tl/define.js';
import type { TlReader } from '../tl/reader.js';
import type * as Api from '../generated/api/types/index.js';
import { objectFromJsonWith } from '../tl/json.js';
import { encodeWith } from '../tl/writer.js';
import { DESCRIPTOR } from '../generated/api/descriptor.js';
import { readAny, writeAny, writeMethod } from '../generated/api/registry.js';
import { readResultOf } from '../generated/api/codec.js';
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

/**
 * The boxed serialization of a method call: what a client sends. Anything else is a TlEncodeError. It
 * reaches only the method writers (and the writers of the types they send), where `encodeObject` reaches
 * every writer of the schema: a client that encodes its requests with it carries no writer of User,
 * Message or any other type that only a server sends.
 */
export function encodeMethod(value: TlObject): Uint8Array {
  return encodeWith(writeMethod, value);
}

/** Decodes one boxed constructor or method object; trailing bytes are an error unless allowed. */
export function decodeObject(bytes: Uint8Array, options?: DecodeOptions): TlObject {
  return decodeWith(readAny, bytes, options);
}

/**
 * Decodes the result of `request` (the body of the rpc_result that answers it), looking through wrappers
 * such as invokeWithLayer, typed as `Api.ResultOf<M>`: `decodeResult(new Api.help.getConfig(), body)` is an
 * `Api.TypeConfig`. Trailing bytes are an error unless allowed.
 */
export function decodeResult<M extends TlObject>(request: M, bytes: Uint8Array, options?: DecodeOptions): Api.ResultOf<M> {
  // Read as a plain TlObject: inferring through ResultOf of a generic M is more than tsc can represent.
  const read = (r: TlReader): unknown => readResultOf(r, request as TlObject);
  return decodeWith(read, bytes, options) as Api.ResultOf<M>;
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
