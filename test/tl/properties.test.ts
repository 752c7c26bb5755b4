/**
 * Property tests over EVERY constructor and method of the generated layer-228 schema (api.tl and the
 * MTProto service types), with values from `mtwire/testing`:
 *   (a) encode → decode gives a deep-equal object (through the entry's own value and the registry);
 *   (b) decode → encode gives the same bytes;
 *   (c) every proper prefix of an encoding (all of them, or a sample for long ones) throws TlDecodeError;
 *   (d) one more byte is a 'trailing-bytes' error unless `allowTrailing`;
 *   (e) a failed decode leaves nothing behind: the next valid decode works.
 * The encoding rules one at a time, with exact bytes, are in encoding-rules.test.ts.
 *
 * MTWIRE_PROP_RUNS (default 4) sets the fast-check runs per entry.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { constructorIdent, methodIdent, splitName } from '../../src/schema/naming.js';
import { allEntryNames, arbitraryFor, entryNamed } from '../../src/testing/index.js';
import { Api, decodeObject, encodeObject, idOf } from '../../src/api/index.js';
import type { TlEntryValue, TlObject } from '../../src/tl/runtime.js';
import { toHex } from '../helpers.js';
import { decodeFails, describeValue } from './helpers.js';

const RUNS = Number(process.env.MTWIRE_PROP_RUNS ?? 4);

/** `Api.phone.requestCall`, `Api.InputUser`, `Api.reqPqMulti`… for a TL name. */
function entryValue(name: string): TlEntryValue<TlObject> {
  const [ns, last] = splitName(name);
  const entry = entryNamed(name)!;
  const ident = entry.kind === 'method' ? methodIdent(last) : constructorIdent(last);
  const scope = (ns ? (Api as unknown as Record<string, unknown>)[ns] : Api) as Record<string, TlEntryValue<TlObject>>;
  const value = scope[ident];
  if (!value || value.tlName !== name) throw new Error(`no generated value for ${name}`);
  return value;
}

/**
 * Names whose id another entry also declares. By id, the registry keeps the entry declared last
 * (codegen/emit-registry.ts: tdlib's `invokeWith…Prefix` methods share their ids with the full
 * `invokeWith…` wrappers); such entries are checked through their own `Api` value only.
 */
const shadowed = new Set<string>();
{
  const owner = new Map<number, string>();
  for (const name of [...allEntryNames('constructor'), ...allEntryNames('method')]) {
    const id = idOf(name);
    if (id === undefined) continue;
    const before = owner.get(id);
    if (before) shadowed.add(before);
    owner.set(id, name);
  }
}

/** Every cut for short encodings; for long ones the first and last 64 and 64 spread between. */
function cutPoints(n: number): number[] {
  if (n <= 192) return Array.from({ length: n }, (_, i) => i);
  const cuts = new Set<number>();
  for (let i = 0; i < 64; i++) {
    cuts.add(i);
    cuts.add(n - 1 - i);
    cuts.add(64 + Math.floor((i * (n - 128)) / 64) + (i & 3));
  }
  return [...cuts].filter((c) => c < n).sort((a, b) => a - b);
}

/**
 * Deep equality with `toStrictEqual`'s rules for decoded objects (same keys, undefined included; bigints,
 * byte contents, Object.is for numbers), without expect's cost: the loops below compare many times.
 */
function same(a: unknown, b: unknown, path = '$'): void {
  if (Object.is(a, b)) return;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.constructor === b.constructor && a.length === b.length && a.every((x, i) => x === b[i])) return;
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length === b.length) return a.forEach((x, i) => same(x, b[i], `${path}[${i}]`));
  } else if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() === kb.join() && Object.getPrototypeOf(a) === Object.getPrototypeOf(b)) {
      for (const k of ka) same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
  }
  throw new Error(`${path}: ${describeValue(a)} differs from ${describeValue(b)}`);
}

/** (a)–(e) for one value of one entry. */
function checkAll(ev: TlEntryValue<TlObject>, value: TlObject, viaRegistry: boolean): void {
  // (a) encode → decode, through the entry's own value, from an unaligned view, and through the registry.
  const bytes = ev.encode(value);
  expect(bytes.length % 4).toBe(0);
  const decoded = ev.decode(bytes);
  expect(decoded).toStrictEqual(value);
  const unaligned = new Uint8Array(bytes.length + 3);
  unaligned.set(bytes, 3);
  same(ev.decode(unaligned.subarray(3)), value);
  same(ev.decode(bytes, { copyBytes: true }), value);
  if (viaRegistry) {
    expect(toHex(encodeObject(value))).toBe(toHex(bytes));
    same(decodeObject(bytes), value);
  }
  // (b) decode → encode.
  expect(toHex(ev.encode(decoded))).toBe(toHex(bytes));

  // (c) every proper prefix is an error, and one of ours; (e) a valid decode right after works.
  for (const cut of cutPoints(bytes.length)) {
    const prefix = bytes.slice(0, cut);
    const err = decodeFails(() => ev.decode(prefix), `${ev.tlName}: first ${cut} of ${bytes.length} bytes`);
    if (err.problem !== 'truncated' && err.problem !== 'bad-length') {
      throw new Error(`${ev.tlName}: first ${cut} bytes: unexpected problem ${err.problem}: ${err.message}`);
    }
    if (err.offset < 0 || err.offset > cut) throw new Error(`${ev.tlName}: first ${cut} bytes: offset ${err.offset} outside the input`);
    if (viaRegistry) decodeFails(() => decodeObject(prefix), `decodeObject of the first ${cut} of ${bytes.length} bytes of ${ev.tlName}`);
  }
  same(ev.decode(bytes), value);

  // (d) a trailing byte.
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  longer[bytes.length] = 0x5a;
  const trailing = decodeFails(() => ev.decode(longer), `${ev.tlName} with a trailing byte`);
  expect(trailing.problem).toBe('trailing-bytes');
  expect(trailing.offset).toBe(bytes.length);
  same(ev.decode(longer, { allowTrailing: true }), value);
  if (viaRegistry) {
    expect(decodeFails(() => decodeObject(longer), `decodeObject of ${ev.tlName} + 1 byte`).problem).toBe('trailing-bytes');
    same(decodeObject(longer, { allowTrailing: true }), value);
  }
  // (e) again, after the trailing-bytes failures.
  same(ev.decode(bytes), value);
}

function property(name: keyof Api.TypesByName): void {
  const ev = entryValue(name);
  const viaRegistry = !shadowed.has(name);
  fc.assert(
    fc.property(arbitraryFor(name), (value) => checkAll(ev, value, viaRegistry)),
    { numRuns: RUNS },
  );
}

const constructors = allEntryNames('constructor');
const methods = allEntryNames('method');
/** Constructors without an id (`mt_message`) are only ever written bare: they are checked inside a wrapper. */
const bareOnly = constructors.filter((n) => idOf(n) === undefined);

describe('every constructor', () => {
  test.each(constructors.filter((n) => idOf(n) !== undefined))('%s', property);
});

describe('every method', () => {
  test.each(methods)('%s', property);
});

describe('constructors without an id, inside msg_copy', () => {
  test.each(bareOnly)('%s', (name) => {
    expect(name).toBe('mt_message');
    fc.assert(
      fc.property(arbitraryFor('mt_message'), (message) => checkAll(entryValue('msg_copy'), Api.MsgCopy({ origMessage: message }), true)),
      { numRuns: RUNS * 5 },
    );
  });
});

test('the schema has what these tests expect', () => {
  expect(constructors.length).toBeGreaterThan(1500);
  expect(methods.length).toBeGreaterThan(700);
  expect(bareOnly).toEqual(['mt_message']);
  // Service types and api.tl are both there.
  for (const name of [
    'resPQ',
    'req_DH_params',
    'rpc_result',
    'msg_container',
    'gzip_packed',
    'inputUser',
    'phone.requestCall',
    'invokeWithLayer',
  ] as const) {
    expect(constructors.includes(name) || methods.includes(name)).toBe(true);
  }
  // The only ids declared twice are tdlib's four invokeWith…Prefix methods, which the full wrappers shadow.
  expect([...shadowed].sort()).toEqual([
    'invokeWithApnsSecretPrefix',
    'invokeWithBusinessConnectionPrefix',
    'invokeWithGooglePlayIntegrityPrefix',
    'invokeWithReCaptchaPrefix',
  ]);
});
