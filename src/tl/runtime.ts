/**
 * What generated code needs at run time, and nothing that depends on a particular schema: generated
 * modules (ours for layer 228, and any `mtwire gen` output) import from here (`mtwire/tl`).
 */
export { TlReader } from './reader.js';
export { TlWriter, encodeWith, VECTOR_ID, BOOL_TRUE_ID, BOOL_FALSE_ID } from './writer.js';
export { TlDecodeError, TlEncodeError, TlDescriptorError, type TlDecodeProblem } from './errors.js';
export {
  defineConstructor,
  defineMethod,
  decodeWith,
  type TlObject,
  type TlEntryValue,
  type ParamsOf,
  type DecodeOptions,
} from './define.js';
export {
  TlDescriptor,
  type TlEntryDescriptor,
  type TlConstructorDescriptor,
  type TlMethodDescriptor,
  type TlFieldDescriptor,
  type TlCondition,
  type TlType,
} from './descriptor.js';
export { objectToJson, objectFromJsonWith, type TlJson } from './json.js';
export { readBoxed, writeBoxed, zipTable, boxedWriters, type FieldsReader, type FieldsWriter, type BoxedWriter } from './registry.js';
