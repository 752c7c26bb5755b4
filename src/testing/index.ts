/**
 * `mtwire/testing`: fast-check arbitraries for every constructor, method and boxed type of a TL schema,
 * derived from the descriptor the generator emits beside each module set (mtwire's own layer-228
 * schema by default; `createArbitraries(DESCRIPTOR)` for a module from `mtwire gen`).
 *
 * Generated objects have exactly the shape a decoder returns, so `decode(encode(x))` deep-equals `x`:
 * `?true` fields are always booleans, an absent optional field is a key whose value is `undefined`
 * (or no key at all with `absentFields: 'omit'`), fields that share one flag bit are present together,
 * `long` values are bigints over the whole signed 64-bit range, and strings are well-formed Unicode.
 *
 * ```ts
 * import fc from 'fast-check';
 * import { arbitraryFor } from 'mtwire/testing';
 * fc.assert(fc.property(arbitraryFor('phone.requestCall'), (call) => { ... }));
 * ```
 *
 * Recursion always ends: objects nest at most `maxDepth` levels with full variety; below that, optional
 * fields are absent, vectors are empty, and each boxed type takes its constructor with the cheapest
 * required fields.
 *
 * fast-check is a peer of this module: install it in the project that runs the tests.
 */
import type fc from 'fast-check';
import type { TlObject } from '../tl/define.js';
import type { TlDescriptor, TlEntryDescriptor } from '../tl/descriptor.js';
import { DESCRIPTOR } from '../generated/api/descriptor.js';
import type { TypesByName } from '../generated/api/types/index.js';
import { Builder, type Settings } from './builder.js';

export interface ArbitraryOptions {
  /** Levels of nesting with full variety below the root object (default 3). */
  maxDepth?: number;
  /** Longest generated vector (default 3). */
  maxVectorLength?: number;
  /** Longest ordinary string, in code points (default 20). */
  maxStringLength?: number;
  /** Longest ordinary `bytes` value (default 40). */
  maxBytesLength?: number;
  /**
   * Lengths in bytes that strings and bytes sometimes take besides the short ones (default [253, 254]:
   * the largest 1-byte length header and the smallest 4-byte one). `[]` turns them off.
   */
  edgeLengths?: readonly number[];
  /** Sometimes use the limits of `int` and `long` (-2^31, 2^31-1, -2^63, 2^63-1, -4294967296, 0, -1…) (default true). */
  edgeValues?: boolean;
  /** An optional field is absent about once in this many values (default 2). */
  optionalFrequency?: number;
  /** Constructors that `Object` fields (rpc_result.result, mt_message.body) hold. */
  objects?: readonly string[];
  /** Methods that `!X` fields (invokeWithLayer.query and the like) hold. */
  methods?: readonly string[];
  /** How an absent optional field appears: a key with value undefined, as decoders return (default), or no key. */
  absentFields?: 'undefined' | 'omit';
}

/**
 * Arbitraries over one schema. `Names` maps each TL name to its type: the generated `TypesByName` of the
 * module set (`createArbitraries<TypesByName>(DESCRIPTOR)`), so that `arbitraryFor('inputUser')` is an
 * `Arbitrary<InputUser>` and a name the schema does not have does not compile. Without it, any string is
 * accepted and gives `Arbitrary<TlObject>`.
 */
export interface TlArbitraries<Names extends object = Record<string, TlObject>> {
  /**
   * Objects of a constructor (`'inputUser'`), calls of a method (`'phone.requestCall'`), or objects of
   * any constructor of a boxed type (`'InputUser'`, `'phone.PhoneCall'`, `'Object'`). Throws RangeError
   * for a name the schema does not have.
   */
  arbitraryFor<N extends keyof Names & string>(name: N, options?: ArbitraryOptions): fc.Arbitrary<Names[N]>;
  /**
   * Objects of one entry of the schema: its descriptor entry, or any object naming the same declaration
   * (a parsed schema entry with the same kind, name and id). Throws RangeError for any other entry.
   */
  arbitraryForEntry<T extends TlObject = TlObject>(entry: TlEntryRef, options?: ArbitraryOptions): fc.Arbitrary<T>;
  /** Names of every generated constructor and method, in schema order; or only those of one kind. */
  allEntryNames(kind?: 'constructor' | 'method'): (keyof Names & string)[];
  /** Names of every boxed type that has a constructor with an id. */
  allTypeNames(): (keyof Names & string)[];
  /** The descriptor entry of a constructor or method, or undefined. */
  entryNamed(name: string): TlEntryDescriptor | undefined;
}

/** What names one entry of a schema: enough to find it in the schema's descriptor. */
export interface TlEntryRef {
  readonly kind: 'constructor' | 'method';
  readonly name: string;
  readonly id: number | undefined;
}

const DEFAULT_OBJECTS = ['boolTrue', 'inputPeerSelf', 'inputUser', 'peerUser', 'pong', 'rpc_error', 'msgs_ack', 'error'];
const DEFAULT_METHODS = ['help.getConfig', 'help.getNearestDc', 'updates.getState', 'ping', 'get_future_salts'];

/**
 * Arbitraries over the schema of a generated module set, given its descriptor: the `DESCRIPTOR` of the
 * `descriptor.ts` that `mtwire gen` writes (`import { DESCRIPTOR } from './my-api/descriptor.js'`).
 */
export function createArbitraries<Names extends object = Record<string, TlObject>>(
  descriptor: TlDescriptor,
  defaults: ArbitraryOptions = {},
): TlArbitraries<Names> {
  type Name = keyof Names & string;
  const builders = new Map<string, Builder>();

  const builder = (options: ArbitraryOptions | undefined): Builder => {
    const s = settings(descriptor, { ...defaults, ...options });
    const key = JSON.stringify(s);
    let b = builders.get(key);
    if (!b) {
      b = new Builder(descriptor, s);
      builders.set(key, b);
    }
    return b;
  };

  return {
    arbitraryFor<N extends Name>(name: N, options?: ArbitraryOptions): fc.Arbitrary<Names[N]> {
      const b = builder(options);
      const entry = descriptor.entry(name);
      const arb = entry ? b.entry(entry, 0) : b.type(name, 0);
      if (!arb) throw new RangeError(`"${name}" is not a constructor, method or boxed type of the schema`);
      return arb as fc.Arbitrary<Names[N]>;
    },
    arbitraryForEntry<T extends TlObject = TlObject>(entry: TlEntryRef, options?: ArbitraryOptions): fc.Arbitrary<T> {
      const own = descriptor.entry(entry.name);
      if (!own || own.kind !== entry.kind || own.id !== entry.id) {
        throw new RangeError(`the ${entry.kind} "${entry.name}" with this id is not an entry of the schema`);
      }
      return builder(options).entry(own, 0) as fc.Arbitrary<T>;
    },
    allEntryNames(kind?: 'constructor' | 'method'): Name[] {
      const { constructors, methods } = descriptor;
      const entries = kind === 'constructor' ? constructors : kind === 'method' ? methods : [...constructors, ...methods];
      // The descriptor and `Names` come from one generation: its names are the keys of `Names`.
      return entries.map((e) => e.name as Name);
    },
    allTypeNames(): Name[] {
      return descriptor.typeNames() as Name[];
    },
    entryNamed(name: string): TlEntryDescriptor | undefined {
      return descriptor.entry(name);
    },
  };
}

function settings(descriptor: TlDescriptor, o: ArbitraryOptions): Settings {
  const count = (v: number | undefined, fallback: number, what: string): number => {
    const n = v ?? fallback;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${String(v)}`);
    return n;
  };
  const lengths = o.edgeLengths ?? [253, 254];
  for (const n of lengths) count(n, 0, 'edgeLengths entries');
  const frequency = count(o.optionalFrequency, 2, 'optionalFrequency');
  if (frequency < 1) throw new RangeError('optionalFrequency must be at least 1');
  // The default choices that this schema has (a custom schema may have none of them).
  const has = (kind: 'constructor' | 'method') => (name: string) => descriptor.entry(name)?.kind === kind;
  return {
    maxDepth: count(o.maxDepth, 3, 'maxDepth'),
    maxVectorLength: count(o.maxVectorLength, 3, 'maxVectorLength'),
    maxStringLength: count(o.maxStringLength, 20, 'maxStringLength'),
    maxBytesLength: count(o.maxBytesLength, 40, 'maxBytesLength'),
    edgeLengths: [...lengths],
    edgeValues: o.edgeValues ?? true,
    optionalFrequency: frequency,
    objects: [...(o.objects ?? DEFAULT_OBJECTS.filter(has('constructor')))],
    methods: [...(o.methods ?? DEFAULT_METHODS.filter(has('method')))],
    absentFields: o.absentFields ?? 'undefined',
  };
}

let library: TlArbitraries<TypesByName> | undefined;
/** The arbitraries of mtwire's own schema (api.tl layer 228 + the MTProto service types), made on first use. */
function own(): TlArbitraries<TypesByName> {
  return (library ??= createArbitraries<TypesByName>(DESCRIPTOR));
}

/**
 * See {@link TlArbitraries.arbitraryFor}; over mtwire's own schema, typed by name:
 * `arbitraryFor('phone.requestCall')` is an `Arbitrary<Api.phone.requestCall>`.
 */
export function arbitraryFor<N extends keyof TypesByName>(name: N, options?: ArbitraryOptions): fc.Arbitrary<TypesByName[N]> {
  return own().arbitraryFor(name, options);
}

/** See {@link TlArbitraries.arbitraryForEntry}; over mtwire's own schema. */
export function arbitraryForEntry<T extends TlObject = TlObject>(entry: TlEntryRef, options?: ArbitraryOptions): fc.Arbitrary<T> {
  return own().arbitraryForEntry<T>(entry, options);
}

/** Every generated constructor and method name of mtwire's own schema (or those of one kind). */
export function allEntryNames(kind?: 'constructor' | 'method'): (keyof TypesByName)[] {
  return own().allEntryNames(kind);
}

/** Every boxed type name of mtwire's own schema. */
export function allTypeNames(): (keyof TypesByName)[] {
  return own().allTypeNames();
}

/** The descriptor entry of a constructor or method of mtwire's own schema. */
export function entryNamed(name: string): TlEntryDescriptor | undefined {
  return own().entryNamed(name);
}

export type { TlEntryDescriptor } from '../tl/descriptor.js';
