import { isStackOverflow, TlDecodeError, TlEncodeError } from './errors.js';
import { TlReader } from './reader.js';
import { TlWriter, encodeWith } from './writer.js';

/** Any TL object: a plain object whose `_` is the constructor's or method's TL name. */
export interface TlObject {
  _: string;
}

/** What a writer accepts for a field typed `T`: a `long` may also be given as a safe-integer number. */
type Loose<T> = [NonNullable<T>] extends [bigint]
  ? T | number
  : [NonNullable<T>] extends [bigint[]]
    ? (bigint | number)[] | Extract<T, undefined>
    : T;

/** The parameters of a constructor or method: its fields without `_`, longs also as numbers. */
export type ParamsOf<T extends TlObject> = { [K in keyof T as K extends '_' ? never : K]: Loose<T[K]> };

type ParamsArgs<T extends TlObject> = {} extends ParamsOf<T> ? [params?: ParamsOf<T>] : [params: ParamsOf<T>];

export interface DecodeOptions {
  /** Accept bytes after the complete object instead of throwing (default false). */
  allowTrailing?: boolean;
  /** Copy `bytes`/`int128`/`int256` values out of the input instead of viewing it (default false). */
  copyBytes?: boolean;
}

/**
 * A generated constructor or method value: call it (with or without `new`) to build a plain object,
 * and use it to check, encode and decode objects of exactly that constructor.
 *
 * `new Api.InputUser({ userId: 1n, accessHash: 2n })` → `{ _: 'inputUser', userId: 1n, accessHash: 2n }`
 */
export interface TlEntryValue<T extends TlObject> {
  new (...params: ParamsArgs<T>): T;
  (...params: ParamsArgs<T>): T;
  /** The TL name, the same as the `_` of the objects. */
  readonly tlName: T['_'];
  /** The constructor id from the schema text; 0 for a constructor declared without one (bare only), whose boxed forms throw. */
  readonly id: number;
  is(value: unknown): value is T;
  /** Writes the id and the fields. */
  write(w: TlWriter, value: T): void;
  /** Reads the id (which must be this one's) and the fields. */
  read(r: TlReader): T;
  /** The boxed serialization in a new array. */
  encode(value: T): Uint8Array;
  /** Decodes one boxed object of this constructor; throws on any other id or trailing bytes. */
  decode(bytes: Uint8Array, options?: DecodeOptions): T;
}

/**
 * Runs a reader over a whole buffer with the strictness rules of `DecodeOptions`. Types that contain
 * themselves (RichText, JSONValue, the `query:!X` wrappers...) nest at 4+ bytes a level, so a 20 KB input
 * can be deeper than the call stack: that overflow is bad input too, and is reported as a TlDecodeError.
 */
export function decodeWith<T>(read: (r: TlReader) => T, bytes: Uint8Array, options?: DecodeOptions): T {
  const r = new TlReader(bytes);
  if (options?.copyBytes) r.copyBytes = true;
  let value: T;
  try {
    value = read(r);
  } catch (error) {
    if (isStackOverflow(error)) throw new TlDecodeError('bad-value', r.pos - r.start, 'objects nested too deeply to decode');
    throw error;
  }
  if (!options?.allowTrailing) r.assertEnd();
  return value;
}

/** Where an entry value keeps the generated functions it was defined with. */
const WRITE_BODY = Symbol('mtwire.writeBody');
const READ_BODY = Symbol('mtwire.readBody');
/** The id the boxed forms write and accept: undefined for a constructor declared without one (bare only). */
const BOXED_ID = Symbol('mtwire.boxedId');

/** An entry value as `defineConstructor` builds it. */
interface Entry extends TlEntryValue<TlObject> {
  [WRITE_BODY]: (w: TlWriter, value: TlObject) => void;
  [READ_BODY]: (r: TlReader) => TlObject;
  [BOXED_ID]: number | undefined;
}

type Lazy = 'is' | 'write' | 'read' | 'encode' | 'decode';

/**
 * A getter that makes the entry's `key` function on first use and keeps it as the entry's own property,
 * so that it also works detached (`decodeStep(body, Api.reqDHParams.is)`). The API has ~2500 entries and
 * a program uses a few of them: making five closures for each at import cost about 1 MB of heap.
 */
function onFirstUse<K extends Lazy>(key: K, make: (entry: Entry) => Entry[K]): PropertyDescriptor {
  return {
    configurable: true,
    get(this: Entry): Entry[K] {
      const value = make(this);
      Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
      return value;
    },
  };
}

/** What every entry value inherits: the functions of `TlEntryValue` beyond the call itself. */
const ENTRY_PROTOTYPE: object = Object.create(Function.prototype, {
  is: onFirstUse('is', ({ tlName }) => {
    return (value: unknown): value is TlObject => (value as TlObject | null)?._ === tlName;
  }),
  write: onFirstUse('write', ({ tlName, [BOXED_ID]: id, [WRITE_BODY]: writeBody }) => {
    return (w: TlWriter, value: TlObject) => {
      if (id === undefined) throw new TlEncodeError(`a boxed object (${tlName} has no constructor id: it is only written bare)`, value);
      w.uint32(id);
      writeBody(w, value);
    };
  }),
  read: onFirstUse('read', ({ tlName, [BOXED_ID]: id, [READ_BODY]: readBody }) => {
    return (r: TlReader) => {
      const got = r.uint32();
      if (got !== id) throw r.unknown(got, tlName);
      return readBody(r);
    };
  }),
  encode: onFirstUse('encode', ({ write }) => {
    return (value: TlObject) => encodeWith(write, value);
  }),
  decode: onFirstUse('decode', ({ read }) => {
    return (bytes: Uint8Array, options?: DecodeOptions) => decodeWith(read, bytes, options);
  }),
});

const NO_LONGS: readonly string[] = [];

/**
 * Builds the value behind a generated constructor. `longs` names the fields of type `long` or
 * `Vector<long>`, whose numbers are turned into bigints so that the built object matches its type.
 */
export function defineConstructor<T extends TlObject>(
  name: T['_'],
  /** Undefined for a constructor without an id: it is only ever written and read bare, inside other objects. */
  id: number | undefined,
  writeBody: (w: TlWriter, value: T) => void,
  readBody: (r: TlReader) => T,
  longs: readonly string[] = NO_LONGS,
): TlEntryValue<T> {
  const entry = function (params?: Record<string, unknown>): TlObject {
    return build(name, longs, params);
  } as unknown as Entry;
  Object.setPrototypeOf(entry, ENTRY_PROTOTYPE);
  Object.assign(entry, { tlName: name, id: id ?? 0, [BOXED_ID]: id, [WRITE_BODY]: writeBody, [READ_BODY]: readBody });
  return entry as unknown as TlEntryValue<T>;
}

/**
 * Builds the value behind a generated method: like a constructor's, always with an id. It does not read
 * the method's result: a program that only sends a call would otherwise carry the reader of its result
 * and of every type inside it. Results are read by the module set's `readResultOf`.
 */
export function defineMethod<T extends TlObject>(
  name: T['_'],
  id: number,
  writeBody: (w: TlWriter, value: T) => void,
  readBody: (r: TlReader) => T,
  longs: readonly string[] = NO_LONGS,
): TlEntryValue<T> {
  return defineConstructor(name, id, writeBody, readBody, longs);
}

/** The object an entry value builds, called with or without `new`. */
function build(name: string, longs: readonly string[], params: Record<string, unknown> | undefined): TlObject {
  const obj: { _: string; [key: string]: unknown } = { _: name, ...params };
  obj._ = name;
  for (const key of longs) {
    const v = obj[key];
    if (typeof v === 'number') obj[key] = toBigInt(v);
    else if (Array.isArray(v)) obj[key] = v.map((x) => (typeof x === 'number' ? toBigInt(x) : x));
  }
  return obj;
}

function toBigInt(v: number): bigint | number {
  // A non-integer stays a number so that the writer reports it instead of BigInt throwing a RangeError here.
  return Number.isSafeInteger(v) ? BigInt(v) : v;
}
