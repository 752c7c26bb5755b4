/**
 * Encoding and decoding driven by a descriptor instead of generated code, for schemas that are not
 * compiled in: a user's schema read at run time (`mtwire encode/decode --schema my.tl`; executing freshly
 * generated TypeScript would need a compiler the published package does not ship) and the older API
 * layers of the layer store. It walks the same field list the generated codec is emitted from, so both
 * produce the same bytes; it is slower, which is why layer 228 keeps its generated codec.
 */
import type { LeafKind } from '../base/descriptor-format.js';
import type { TlObject } from './define.js';
import type { TlConstructorDescriptor, TlDescriptor, TlEntryDescriptor, TlType } from './descriptor.js';
import { TlEncodeError } from './errors.js';
import { TlReader } from './reader.js';
import { encodeWith, type TlWriter } from './writer.js';

type Fields = Record<string, unknown>;

/** What an unknown id was expected to be at the top level: the generated registry's words, matched by the CLI. */
export const ANY_ENTRY = 'any constructor or method';
/** The leaf types that are written without looking anything up. */
type ScalarKind = Exclude<LeafKind, 'object'>;

const join = (path: string, prop: string): string => (path ? `${path}.${prop}` : prop);

export class DescriptorCodec {
  /** By id; a method declared after a constructor with its id wins, as in the generated registry. */
  private readonly byId = new Map<number, TlEntryDescriptor>();

  constructor(private readonly descriptor: TlDescriptor) {
    for (const entry of [...descriptor.constructors, ...descriptor.methods]) {
      if (entry.id !== undefined) this.byId.set(entry.id, entry);
    }
  }

  /** The boxed serialization of one constructor or method object. */
  encode(value: TlObject): Uint8Array {
    return encodeWith((w, v: TlObject) => this.writeBoxed(w, v, undefined, ''), value);
  }

  /** One boxed constructor or method object; trailing bytes are an error. */
  decode(bytes: Uint8Array): TlObject {
    const reader = new TlReader(bytes);
    const value = this.readBoxed(reader, undefined);
    reader.assertEnd();
    return value;
  }

  /** The serialization of a value of type `type`: a method's result (`Vector<long>`, `Bool`, `Updates`…). */
  encodeValue(type: TlType, value: unknown): Uint8Array {
    return encodeWith((w, v: unknown) => this.writeValue(w, type, v, ''), value);
  }

  /** One value of type `type`; trailing bytes are an error. */
  decodeValue(type: TlType, bytes: Uint8Array): unknown {
    const reader = new TlReader(bytes);
    const value = this.readValue(reader, type);
    reader.assertEnd();
    return value;
  }

  private writeBoxed(w: TlWriter, value: unknown, type: string | undefined, path: string): void {
    const name = (value as { _?: unknown } | null)?._;
    const entry = typeof name === 'string' ? this.descriptor.entry(name) : undefined;
    if (!entry || entry.id === undefined) throw new TlEncodeError('an object with a known `_`', value, path);
    if (type !== undefined && (entry.kind !== 'constructor' || entry.type !== type)) {
      throw new TlEncodeError(`a constructor of type ${type}`, name, path);
    }
    w.uint32(entry.id);
    this.writeFields(w, entry, value as Fields, path);
  }

  private writeFields(w: TlWriter, entry: TlEntryDescriptor, value: Fields, path: string): void {
    for (const field of entry.fields) {
      if (field.kind === 'flags') {
        w.uint32(this.flagsOf(entry, field.prop, value));
        continue;
      }
      const v = value[field.prop];
      if (field.condition && !isPresent(field.type, v)) continue;
      this.writeValue(w, field.type, v, join(path, field.prop));
    }
  }

  /** One bit per conditional field that is present (`true` for a `?true` field). */
  private flagsOf(entry: TlEntryDescriptor, flagsProp: string, value: Fields): number {
    let bits = 0;
    for (const field of entry.fields) {
      if (field.kind !== 'value' || field.condition?.flags !== flagsProp) continue;
      if (isPresent(field.type, value[field.prop])) bits |= 1 << field.condition.bit;
    }
    return bits >>> 0;
  }

  private writeValue(w: TlWriter, t: TlType, v: unknown, path: string): void {
    switch (t.kind) {
      case 'vector': {
        const items = v as unknown[];
        withPath(path, () => (t.boxed ? w.vector(items) : w.bareVector(items)));
        items.forEach((item, i) => this.writeValue(w, t.element, item, `${path}[${i}]`));
        return;
      }
      case 'union':
        return this.writeBoxed(w, v, t.type, path);
      case 'object':
      case 'generic':
        return this.writeBoxed(w, v, undefined, path);
      case 'bare':
        if (!v || typeof v !== 'object') throw new TlEncodeError(`an object of ${t.ctor.name}`, v, path);
        return this.writeFields(w, t.ctor, v as Fields, path);
      default:
        // `object` is handled above; TlType's leaf member lists it among the leaf kinds, so TS cannot narrow.
        return withPath(path, () => writeLeaf(w, t.kind as ScalarKind, v));
    }
  }

  /** A boxed object of the boxed type `type`, or of any entry when undefined (`Object`, `!X`, the top level). */
  private readBoxed(r: TlReader, type: string | undefined): TlObject {
    const id = r.uint32();
    const entry = this.byId.get(id);
    if (!entry) throw r.unknown(id, type ?? ANY_ENTRY);
    if (type !== undefined && (entry.kind !== 'constructor' || entry.type !== type)) throw r.unknown(id, type);
    return this.readFields(r, entry);
  }

  private readFields(r: TlReader, entry: TlEntryDescriptor | TlConstructorDescriptor): TlObject {
    const out: Fields = { _: entry.name };
    const flags: Record<string, number> = {};
    for (const field of entry.fields) {
      if (field.kind === 'flags') {
        flags[field.prop] = r.uint32();
        continue;
      }
      const condition = field.condition;
      const present = !condition || ((flags[condition.flags] ?? 0) & (1 << condition.bit)) !== 0;
      // A `?true` field reads as false when unset, as in generated code; other absent fields stay undefined.
      if (field.type.kind === 'true') out[field.prop] = present;
      else if (present) out[field.prop] = this.readValue(r, field.type);
    }
    return out as unknown as TlObject;
  }

  private readValue(r: TlReader, t: TlType): unknown {
    switch (t.kind) {
      case 'vector': {
        const count = t.boxed ? r.vector() : r.bareVector();
        return Array.from({ length: count }, () => this.readValue(r, t.element));
      }
      case 'union':
        return this.readBoxed(r, t.type);
      case 'object':
      case 'generic':
        return this.readBoxed(r, undefined);
      case 'bare':
        return this.readFields(r, t.ctor);
      case 'int':
        return r.int32();
      case 'long':
        return r.int64();
      case 'double':
        return r.double();
      case 'string':
        return r.string();
      case 'bytes':
        return r.bytes();
      case 'int128':
        return r.fixed(16);
      case 'int256':
        return r.fixed(32);
      case 'Bool':
        return r.bool();
      case 'true':
        return true;
    }
  }
}

function writeLeaf(w: TlWriter, kind: ScalarKind, v: unknown): void {
  switch (kind) {
    case 'int':
      return w.int32(v as number);
    case 'long':
      return w.int64(v as bigint);
    case 'double':
      return w.double(v as number);
    case 'string':
      if (typeof v !== 'string') throw new TlEncodeError('string', v);
      return w.string(v);
    case 'bytes':
      if (!(v instanceof Uint8Array)) throw new TlEncodeError('bytes', v);
      return w.bytes(v);
    case 'int128':
      return w.fixed(v as Uint8Array, 16);
    case 'int256':
      return w.fixed(v as Uint8Array, 32);
    case 'Bool':
      return w.bool(v as boolean);
    case 'true':
      return;
  }
}

/** Whether a conditional field is set: a `?true` field by its truth, any other by being defined (a Bool may be false). */
function isPresent(type: TlType, v: unknown): boolean {
  return type.kind === 'true' ? Boolean(v) : v !== undefined;
}

/** Runs a write whose errors do not know the field they are about, and names it. */
function withPath(path: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    throw error instanceof TlEncodeError && !error.path && path ? error.within(path) : error;
  }
}
