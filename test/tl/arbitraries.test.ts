/** The public API of `mtwire/testing` as a user of the library sees it. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  allEntryNames,
  allTypeNames,
  arbitraryFor,
  arbitraryForEntry,
  createArbitraries,
  entryNamed,
  type ArbitraryOptions,
} from '../../src/testing/index.js';
import { Api, decodeObject, encodeObject, type TlObject } from '../../src/api/index.js';
import { descriptorOf, librarySchema } from '../schema-helpers.js';

const sample = <T>(arb: fc.Arbitrary<T>, n = 50, seed = 42): T[] => fc.sample(arb, { numRuns: n, seed });
const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Every value reachable from `v` (objects, arrays and field values, not `_` names), with its depth in objects. */
function* walk(v: unknown, depth = 0): Generator<[unknown, number]> {
  yield [v, depth];
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) for (const x of v) yield* walk(x, depth);
  else for (const [k, x] of Object.entries(v)) if (k !== '_') yield* walk(x, depth + 1);
}

describe('by name', () => {
  test('a constructor gives objects of that constructor that round-trip', () => {
    fc.assert(
      fc.property(arbitraryFor('inputUser'), (user) => {
        expect(user._).toBe('inputUser');
        expect(typeof user.userId).toBe('bigint');
        expect(typeof user.accessHash).toBe('bigint');
        expect(Api.InputUser.decode(Api.InputUser.encode(user))).toStrictEqual(user);
      }),
      { numRuns: 50 },
    );
  });

  test('a method gives calls of that method', () => {
    for (const call of sample(arbitraryFor('phone.requestCall'))) {
      expect(call._).toBe('phone.requestCall');
      expect(typeof call.video).toBe('boolean');
      expect(call.gAHash).toBeInstanceOf(Uint8Array);
      expect(decodeObject(encodeObject(call))).toStrictEqual(call);
    }
  });

  test('a boxed type gives every one of its constructors', () => {
    const seen = new Set(sample(arbitraryFor('InputUser'), 200).map((u) => u._));
    expect([...seen].sort()).toEqual(['inputUser', 'inputUserEmpty', 'inputUserFromMessage', 'inputUserSelf']);
    expect(new Set(sample(arbitraryFor('phone.PhoneCall'), 20).map((c) => c._))).toEqual(new Set(['phone.phoneCall']));
    expect(new Set(sample(arbitraryFor('Bool'), 50).map((c) => c._))).toEqual(new Set(['boolFalse', 'boolTrue']));
  });

  test('an unknown name is a RangeError', () => {
    // @ts-expect-error a name the schema does not have does not compile either
    expect(() => arbitraryFor('noSuchThing')).toThrow(RangeError);
    // @ts-expect-error names are case-sensitive
    expect(() => arbitraryFor('inputuser')).toThrow(/not a constructor, method or boxed type/);
  });

  test('the name lists cover the schema', () => {
    const ctors = allEntryNames('constructor');
    const methods = allEntryNames('method');
    expect(allEntryNames()).toEqual([...ctors, ...methods]);
    expect(ctors).toContain('resPQ');
    expect(ctors).toContain('mt_message');
    expect(methods).toContain('invokeWithLayer');
    expect(allTypeNames()).toContain('phone.PhoneCall');
    expect(allTypeNames()).not.toContain('MtMessage'); // no constructor with an id
  });

  test('arbitraryForEntry takes a descriptor entry, or a parsed entry of the same declaration', () => {
    const ours = entryNamed('inputPeerUser')!;
    expect(sample(arbitraryForEntry(ours), 5).every((p) => p._ === 'inputPeerUser')).toBe(true);
    const theirs = librarySchema().entries.find((e) => e.name === 'updateShort')!;
    for (const v of sample(arbitraryForEntry(theirs), 10)) expect(decodeObject(encodeObject(v))).toStrictEqual(v);
    expect(() => arbitraryForEntry({ ...theirs, id: 1 })).toThrow(RangeError);
    expect(() => arbitraryForEntry({ ...theirs, kind: 'method' })).toThrow(/not an entry of the schema/);
  });

  test('the same seed gives the same values', () => {
    expect(sample(arbitraryFor('message'), 5, 7)).toStrictEqual(sample(arbitraryFor('message'), 5, 7));
  });
});

describe('shape rules', () => {
  test('?true fields are always booleans; absent optional fields are undefined keys', () => {
    for (const m of sample(arbitraryFor('message'), 30)) {
      expect(typeof m.out).toBe('boolean');
      expect(typeof m.offline).toBe('boolean');
      expect(Object.keys(m)).toContain('media');
      expect(Object.keys(m)).not.toContain('flags');
      expect(Object.keys(m)).not.toContain('flags2');
    }
  });

  test('fields that share a flag bit are present together', () => {
    for (const m of sample(arbitraryFor('message'), 100)) expect(m.views === undefined).toBe(m.forwards === undefined);
    for (const u of sample(arbitraryFor('user'), 100)) expect(u.bot).toBe(u.botInfoVersion !== undefined);
    const gifts = sample(arbitraryFor('starGift'), 100);
    for (const g of gifts) expect(g.limited).toBe(g.availabilityRemains !== undefined && g.availabilityTotal !== undefined);
    // Both ways happen.
    expect(new Set(gifts.map((g) => g.limited))).toEqual(new Set([true, false]));
  });

  test('edge values of int and long show up', () => {
    const longs = new Set<bigint>();
    const ints = new Set<number>();
    for (const u of sample(arbitraryFor('inputUser'), 400)) longs.add(u.userId).add(u.accessHash);
    for (const e of sample(arbitraryFor('rpc_error'), 400)) ints.add(e.errorCode);
    for (const v of [-(2n ** 63n), 2n ** 63n - 1n, -4294967296n, 0n, -1n]) expect(longs).toContain(v);
    for (const v of [-(2 ** 31), 2 ** 31 - 1, 0, -1]) expect(ints).toContain(v);
    expect([...longs].every((v) => v >= -(2n ** 63n) && v < 2n ** 63n)).toBe(true);
    expect([...ints].every((v) => v === (v | 0))).toBe(true);
  });

  test('strings and bytes are short, sometimes exactly 253 or 254 bytes, and well-formed', () => {
    const lengths = new Set<number>();
    for (const e of sample(arbitraryFor('rpc_error'), 600)) {
      const n = utf8Length(e.errorMessage);
      lengths.add(n);
      expect([...e.errorMessage].length <= 20 || n === 253 || n === 254).toBe(true);
      expect(Buffer.from(e.errorMessage, 'utf8').toString('utf8')).toBe(e.errorMessage);
    }
    expect(lengths).toContain(253);
    expect(lengths).toContain(254);
    const sizes = new Set(sample(arbitraryFor('ipPortSecret'), 600).map((p) => p.secret.length));
    expect([...sizes].every((n) => n <= 40 || n === 253 || n === 254)).toBe(true);
    expect(sizes).toContain(253);
    expect(sizes).toContain(254);
  });

  test('recursion ends: deep types come out finite and decodable', () => {
    for (const name of ['Update', 'Message', 'PageBlock', 'RichText', 'JSONValue', 'messages.Messages'] as const) {
      for (const v of sample(arbitraryFor(name), 10)) expect(decodeObject(encodeObject(v))).toStrictEqual(v);
    }
  });
});

describe('options', () => {
  const all = (v: unknown): unknown[] => [...walk(v)].map(([x]) => x);

  test('maxDepth 0: the root has no optional values and vectors are empty; nested types take their cheapest constructor', () => {
    const options: ArbitraryOptions = { maxDepth: 0 };
    for (const m of sample(arbitraryFor('message', options), 20)) {
      expect(m.media).toBeUndefined();
      expect(m.entities).toBeUndefined();
      expect(m.peerId).toStrictEqual({ _: 'peerUser', userId: expect.any(BigInt) });
      expect(decodeObject(encodeObject(m))).toStrictEqual(m);
    }
    for (const a of sample(arbitraryFor('msgs_ack', options), 20)) expect(a.msgIds).toEqual([]);
  });

  test('maxVectorLength, maxStringLength, maxBytesLength and edgeLengths', () => {
    const options: ArbitraryOptions = { maxVectorLength: 1, maxStringLength: 2, maxBytesLength: 3, edgeLengths: [] };
    for (const v of sample(arbitraryFor('messages.Messages', options), 50)) {
      for (const x of all(v)) {
        if (Array.isArray(x)) expect(x.length).toBeLessThanOrEqual(1);
        if (typeof x === 'string') expect([...x].length).toBeLessThanOrEqual(2);
        if (x instanceof Uint8Array) expect([3, 16, 32].includes(x.length) || x.length < 3).toBe(true);
      }
    }
    const big = sample(arbitraryFor('rpc_error', { edgeLengths: [1000] }), 300).map((e) => utf8Length(e.errorMessage));
    expect(big).toContain(1000);
    expect(big).not.toContain(253);
  });

  test('edgeValues false leaves the limits to chance', () => {
    const longs = sample(arbitraryFor('inputUser', { edgeValues: false }), 300).map((u) => u.userId);
    expect(longs).not.toContain(-4294967296n);
  });

  test("absentFields: 'omit' leaves absent fields out", () => {
    for (const m of sample(arbitraryFor('message', { absentFields: 'omit', maxDepth: 1 }), 20)) {
      for (const x of all(m)) if (x && typeof x === 'object' && !Array.isArray(x)) expect(Object.values(x)).not.toContain(undefined);
      expect(decodeObject(encodeObject(m))).toEqual(m);
    }
  });

  test('optionalFrequency 1 makes optional fields always absent', () => {
    for (const m of sample(arbitraryFor('message', { optionalFrequency: 1 }), 20)) {
      expect([m.media, m.fromId, m.entities, m.views]).toEqual([undefined, undefined, undefined, undefined]);
    }
  });

  test('objects and methods choose what Object and !X fields hold', () => {
    for (const r of sample(arbitraryFor('rpc_result', { objects: ['pong'] }), 10)) expect(r.result._).toBe('pong');
    for (const c of sample(arbitraryFor('invokeWithLayer', { methods: ['help.getConfig'] }), 10)) {
      expect(c.query).toStrictEqual({ _: 'help.getConfig' });
      expect(decodeObject(encodeObject(c))).toStrictEqual(c);
    }
    expect(() => arbitraryFor('rpc_result', { objects: ['help.getConfig'] })).toThrow(RangeError);
    expect(() => arbitraryFor('rpc_result', { methods: ['pong'] })).toThrow(RangeError);
  });

  test('bad option values are RangeErrors', () => {
    expect(() => arbitraryFor('inputUser', { maxDepth: -1 })).toThrow(RangeError);
    expect(() => arbitraryFor('inputUser', { maxVectorLength: 1.5 })).toThrow(RangeError);
    expect(() => arbitraryFor('inputUser', { optionalFrequency: 0 })).toThrow(RangeError);
  });
});

describe('createArbitraries over the descriptor of another schema', () => {
  const text = [
    'boolFalse#bc799737 = Bool;',
    'boolTrue#997275b5 = Bool;',
    'leaf#11111111 value:int = Tree;',
    'node#22222222 flags:# label:flags.0?string left:Tree right:Tree children:Vector<Tree> = Tree;',
    'forest#33333333 trees:Vector<Tree> = Forest;',
    '---functions---',
    'getTree#44444444 id:long = Tree;',
  ].join('\n');

  test('builds finite values of a recursive type, deeper with a larger maxDepth', () => {
    const arbs = createArbitraries(descriptorOf(text));
    expect(arbs.allEntryNames()).toEqual(['boolFalse', 'boolTrue', 'leaf', 'node', 'forest', 'getTree']);
    const depth = (v: unknown): number => Math.max(...[...walk(v)].map(([, d]) => d));
    const shallow = sample(arbs.arbitraryFor('Tree', { maxDepth: 1 }), 100).map(depth);
    const deep = sample(arbs.arbitraryFor('Tree', { maxDepth: 4 }), 100).map(depth);
    expect(Math.max(...shallow)).toBeLessThan(Math.max(...deep));
    // Past the limit, `node` is never chosen: `leaf` is the cheapest Tree.
    for (const t of sample(arbs.arbitraryFor('node', { maxDepth: 1 }), 20) as { left?: TlObject }[]) expect(t.left?._).toBe('leaf');
    expect(sample(arbs.arbitraryFor('getTree'), 3).every((c) => c._ === 'getTree')).toBe(true);
  });

  test('defaults given to createArbitraries apply to every call', () => {
    const arbs = createArbitraries(descriptorOf(text), { maxVectorLength: 0 });
    for (const f of sample(arbs.arbitraryFor('forest'), 20) as { trees?: unknown }[]) expect(f.trees).toEqual([]);
  });

  test('a type with no finite value is reported', () => {
    const loop = createArbitraries(descriptorOf('loop#55555555 next:Loop = Loop;'));
    expect(() => loop.arbitraryFor('loop')).toThrow(/no finite value/);
  });
});
