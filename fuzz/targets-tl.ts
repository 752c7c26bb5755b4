/**
 * TL reader targets: decodeObject / readObject / readMethod / readAny on random and on mutated valid
 * encodings, each generated `Api.X.decode` by entry, and each method's result reader.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { constructorIdent, methodIdent, splitName } from '../src/schema/naming.js';
import { createArbitraries } from '../src/testing/index.js';
import {
  Api,
  DESCRIPTOR,
  decodeObject,
  encodeObject,
  encodeResult,
  idOf,
  readAny,
  readMethod,
  readObject,
  readResultOf,
} from '../src/api/index.js';
import { decodeWith, type TlEntryValue, type TlObject } from '../src/tl/define.js';
import type { TlType } from '../src/tl/descriptor.js';
import { decodeUtf8 } from '../src/tl/utf8.js';
import { concat, mutated, randomBytes, u16le, u32le, withPrefix, ByteSource } from './bytes.js';
import { checkTyped, ContractViolation, type FuzzTarget } from './harness.js';

/** Untyped by name (`createArbitraries` without the name map): the fuzzer walks the names the descriptor lists. */
const { allEntryNames, arbitraryFor, entryNamed } = createArbitraries(DESCRIPTOR);

export function repoRoot(): string {
  return process.env.MTWIRE_ROOT ?? process.cwd();
}

export const ENTRY_NAMES: readonly string[] = [...allEntryNames('constructor'), ...allEntryNames('method')];
export const METHOD_NAMES: readonly string[] = allEntryNames('method');

/** Every constructor and method id: the dictionary the mutator inserts and repeats. */
export const DICTIONARY: readonly number[] = [...new Set(ENTRY_NAMES.map((n) => idOf(n)).filter((id): id is number => id !== undefined))];

/** `Api.phone.requestCall`, `Api.InputUser`… for a TL name (each entry's own value, also for ids another entry shadows). */
export function entryValue(name: string): TlEntryValue<TlObject> | undefined {
  const [ns, last] = splitName(name);
  const entry = entryNamed(name);
  if (!entry) return undefined;
  const ident = entry.kind === 'method' ? methodIdent(last) : constructorIdent(last);
  const scope = (ns ? (Api as unknown as Record<string, unknown>)[ns] : Api) as Record<string, TlEntryValue<TlObject>> | undefined;
  const value = scope?.[ident];
  return value && value.tlName === name ? value : undefined;
}

const SEED_OPTIONS = { maxDepth: 2, maxVectorLength: 3, maxStringLength: 12, maxBytesLength: 24 } as const;
const encodings = new Map<string, fc.Arbitrary<Uint8Array>>();

/** Valid encodings of one entry (empty bytes for the rare entry the arbitraries cannot build). */
export function encodingsOf(name: string): fc.Arbitrary<Uint8Array> {
  let arb = encodings.get(name);
  if (!arb) {
    try {
      arb = arbitraryFor(name, SEED_OPTIONS).map((v) => {
        try {
          return encodeObject(v);
        } catch {
          return new Uint8Array(0);
        }
      });
    } catch {
      arb = fc.constant(u32le(idOf(name) ?? 0));
    }
    encodings.set(name, arb);
  }
  return arb;
}

/** Valid encodings of any entry of the schema. */
export const anyEncoding: fc.Arbitrary<Uint8Array> = fc.nat(ENTRY_NAMES.length - 1).chain((i) => encodingsOf(ENTRY_NAMES[i]!));

let payloads: Uint8Array[] | undefined;
/** fixtures/payloads/*.hex: real layer-228 objects from other implementations. */
export function payloadSeeds(): Uint8Array[] {
  if (!payloads) {
    const dir = join(repoRoot(), 'fixtures/payloads');
    payloads = readdirSync(dir)
      .filter((f) => f.endsWith('.hex'))
      .sort()
      .map((f) => new Uint8Array(Buffer.from(readFileSync(join(dir, f), 'utf8').replace(/\s+/g, ''), 'hex')));
  }
  return payloads;
}

/** Objects that nest their own type: a few levels of them, for the repeat mutation to deepen. */
const NESTING = ['textBold', 'textItalic', 'jsonArray', 'invokeWithoutUpdates', 'invokeWithLayer', 'pageBlockCover', 'textConcat'];
const nestedSeeds: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.constantFrom(...NESTING.filter((n) => idOf(n) !== undefined)), fc.nat(40), anyEncoding)
  .map(([name, depth, tail]) => {
    const id = u32le(idOf(name)!);
    const head =
      name === 'invokeWithLayer'
        ? concat(id, u32le(228))
        : name === 'textConcat' || name === 'jsonArray'
          ? concat(id, u32le(0x1cb5c415), u32le(1))
          : id;
    return concat(...Array.from({ length: depth }, () => head), tail);
  });

/** The TL seed pool: schema arbitraries, the real payloads, nesting chains. */
export function tlSeeds(): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 6, arbitrary: anyEncoding },
    { weight: 2, arbitrary: fc.constantFrom(...payloadSeeds()) },
    { weight: 1, arbitrary: nestedSeeds },
  );
}

function readAll(data: Uint8Array): unknown {
  const out: unknown[] = [];
  out.push(checkTyped(() => decodeObject(data)));
  out.push(checkTyped(() => decodeObject(data, { allowTrailing: true, copyBytes: true })));
  out.push(checkTyped(() => decodeWith(readObject, data, { allowTrailing: true })));
  out.push(checkTyped(() => decodeWith(readMethod, data, { allowTrailing: true })));
  out.push(checkTyped(() => decodeWith(readAny, data)));
  return out;
}

const idThenRandom = fc.tuple(fc.constantFrom(...DICTIONARY), randomBytes(256)).map(([id, rest]) => concat(u32le(id), rest));

export const tlObjectRandom: FuzzTarget = {
  name: 'tl-object-random',
  description: 'decodeObject / readObject / readMethod / readAny on random bytes (often after a real constructor id)',
  cost: 'cheap',
  arbitrary: fc.oneof(randomBytes(512), idThenRandom),
  run: readAll,
};

export const tlObjectMutated: FuzzTarget = {
  name: 'tl-object-mutated',
  description:
    'decodeObject / readObject / readMethod / readAny on mutated valid encodings (schema arbitraries, fixtures/payloads, nesting chains)',
  cost: 'cheap',
  arbitrary: mutated(tlSeeds(), DICTIONARY),
  run: readAll,
};

/** `u16 entry index | body`: the index picks the generated value whose decode runs. */
export const tlEntry: FuzzTarget = {
  name: 'tl-entry',
  description: 'each generated Api.X.decode (strict and allowTrailing), entry chosen by the first two bytes',
  cost: 'cheap',
  arbitrary: fc
    .nat(ENTRY_NAMES.length - 1)
    .chain((i) =>
      withPrefix(
        fc.constant(u16le(i)),
        fc.oneof({ weight: 4, arbitrary: mutated(encodingsOf(ENTRY_NAMES[i]!), DICTIONARY) }, { weight: 1, arbitrary: randomBytes(128) }),
      ),
    ),
  run(data) {
    const src = new ByteSource(data);
    const value = entryValue(ENTRY_NAMES[src.u16() % ENTRY_NAMES.length]!);
    const body = src.rest();
    if (!value) return undefined;
    return [checkTyped(() => value.decode(body)), checkTyped(() => value.decode(body, { allowTrailing: true, copyBytes: true }))];
  },
};

const requests = new Map<string, TlObject | null>();
/** One fixed request per method (its result reader may look at it: invokeWithLayer's query, for one). */
function requestFor(name: string): TlObject | null {
  let request = requests.get(name);
  if (request === undefined) {
    try {
      request = fc.sample(arbitraryFor(name, { ...SEED_OPTIONS, maxDepth: 1 }), { numRuns: 1, seed: name.length })[0] ?? null;
    } catch {
      request = null;
    }
    requests.set(name, request);
  }
  return request;
}

/** The boxed type that `arbitraryFor` builds values of for a result type: a union, Bool, or Object. */
function boxedTypeName(type: TlType): string | undefined {
  if (type.kind === 'union') return type.type;
  if (type.kind === 'Bool') return 'Bool';
  return type.kind === 'object' ? 'Object' : undefined;
}

/** Valid result encodings of a method: of its result type where the arbitraries know it, else any object. */
function resultEncodings(name: string): fc.Arbitrary<Uint8Array> {
  const request = requestFor(name);
  const entry = entryNamed(name);
  const result = entry?.kind === 'method' ? entry.result : undefined;
  const element = result?.kind === 'vector' && result.boxed ? boxedTypeName(result.element) : undefined;
  const single = result && boxedTypeName(result);
  let values: fc.Arbitrary<unknown> | undefined;
  try {
    if (element) values = fc.array(arbitraryFor(element, SEED_OPTIONS), { maxLength: 3 });
    else if (single) values = arbitraryFor(single, SEED_OPTIONS);
  } catch {
    values = undefined;
  }
  if (!request || !values) return anyEncoding;
  return values.map((v) => {
    try {
      return encodeResult(request, v);
    } catch {
      return new Uint8Array(0);
    }
  });
}

/** `u16 method index | body`: the body of an rpc_result read by that method's result reader. */
export const tlResult: FuzzTarget = {
  name: 'tl-result',
  description: "each method's readResultOf (the rpc_result body a client decodes), method chosen by the first two bytes",
  cost: 'cheap',
  arbitrary: fc
    .nat(METHOD_NAMES.length - 1)
    .chain((i) =>
      withPrefix(
        fc.constant(u16le(i)),
        fc.oneof(
          { weight: 4, arbitrary: mutated(resultEncodings(METHOD_NAMES[i]!), DICTIONARY) },
          { weight: 1, arbitrary: randomBytes(128) },
        ),
      ),
    ),
  run(data) {
    const src = new ByteSource(data);
    const request = requestFor(METHOD_NAMES[src.u16() % METHOD_NAMES.length]!);
    const body = src.rest();
    if (!request) return undefined;
    return checkTyped(() => decodeWith((r) => readResultOf(r, request), body));
  },
};

const platformUtf8 = new TextDecoder('utf-8', { ignoreBOM: true }); // a leading U+FEFF is content in TL
const textUnits = fc.constantFrom('a', 'Z', ' ', '.', '\n', 'é', 'ж', 'Я', 'ё', '€', '中', '\u07ff', '\u0800', '\uffff', '\u{1f389}');

/**
 * The reader's UTF-8 decoder (JS for short strings, WebAssembly for long mixed ones) against the platform's
 * TextDecoder on mutated text and random bytes: the same string, U+FFFD replacements included. Inputs
 * start with a byte that moves the string within the buffer (alignment and offsets).
 */
export const utf8Decode: FuzzTarget = {
  name: 'utf8-decode',
  description: 'decodeUtf8 (JS and WebAssembly paths) against TextDecoder on mutated mixed-script text and random bytes, any offset',
  cost: 'cheap',
  arbitrary: withPrefix(
    fc.nat(255).map((n) => Uint8Array.of(n)),
    fc.oneof(
      {
        weight: 4,
        arbitrary: mutated(
          fc.string({ unit: textUnits, maxLength: 900 }).map((t) => new TextEncoder().encode(t)),
          [],
          3,
        ),
      },
      { weight: 1, arbitrary: randomBytes(700) },
    ),
  ),
  run(data) {
    const src = new ByteSource(data);
    const shift = src.u8() & 7;
    const body = src.rest();
    const start = Math.min(shift, body.length);
    const expected = platformUtf8.decode(body.subarray(start));
    const actual = decodeUtf8(body, start, body.length);
    if (actual !== expected) throw new ContractViolation(`decodeUtf8 differs from TextDecoder on ${body.length - start} bytes`);
    return actual;
  },
};

export const tlTargets: FuzzTarget[] = [tlObjectRandom, tlObjectMutated, tlEntry, tlResult, utf8Decode];
