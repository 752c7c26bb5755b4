/**
 * What generated code needs at run time, and nothing that depends on a particular schema: generated
 * modules (ours for layer 228, and any `mtwire gen` output) import from here (`mtwire/tl`).
 */
export { TlReader } from './reader.js';
export { TlWriter, encodeWith, VECTOR_ID, BOOL_TRUE_ID, BOOL_FALSE_ID } from './writer.js';
export { TlDecodeError, TlEncodeError, type TlDecodeProblem } from './errors.js';
export {
  defineConstructor,
  defineMethod,
  decodeWith,
  type TlObject,
  type TlEntryValue,
  type TlMethodValue,
  type ParamsOf,
  type DecodeOptions,
} from './define.js';
export { defineRegistry, type TlRegistry, type RegistryEntry, type RegistryMethod } from './registry.js';
