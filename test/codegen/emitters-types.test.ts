import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  entryIdent,
  entryTypeRef,
  fieldsOf,
  flagsLocal,
  fn,
  longProps,
  maskLiteral,
  propKey,
  tsType,
  unionTypeRef,
} from '../../src/codegen/emit-types.js';
import type { ResolvedType } from '../../src/schema/model.js';
import { compile, modelOf, tsDir, typecheck } from './emitters-helpers.js';

/** The pure helpers of emit-types, and the emitted TypeScript as the compiler sees it. */
const SCHEMA = `
point#7d000001 x:int y:int = Point;
point3#7d000002 x:int y:int z:int = Point;
pair a:int b:int = Pair;
flagged#7d000003 flags:# a:flags.0?int b:flags.1?true c:flags.31?string flags2:# d:flags2.0?long = Flagged;
kinds#7d000004 l:long ls:Vector<long> lls:Vector<Vector<long>> n128:int128 n256:int256 d:double ok:Bool data:bytes bare:vector<pair> any:Object = Kinds;
weird#7d000005 default:int class:string g_a_hash:bytes = Weird;
geo.place#7d000006 id:long = geo.Place;
---functions---
getPoint#7d000010 id:int = Point;
invokeWith#7d000011 {X:Type} prefix:int query:!X = X;
geo.getIds#7d000012 = Vector<long>;
ping#7d000013 = Bool;
`;
const model = modelOf(SCHEMA);
const entry = (name: string) => [...model.constructors, ...model.methods].find((e) => e.name === name)!;

describe('emit-types helpers', () => {
  it('function names mangle dots', () => {
    expect(fn.writeCtor('geo.place')).toBe('wc_geo$place');
    expect(fn.readCtor('point')).toBe('rc_point');
    expect([fn.writeMethod('geo.getIds'), fn.readMethod('geo.getIds')]).toEqual(['wm_geo$getIds', 'rm_geo$getIds']);
    expect([fn.readResult('ping'), fn.writeResult('ping')]).toEqual(['rr_ping', 'wr_ping']);
    expect([fn.writeType('geo.Place'), fn.readType('Point')]).toEqual(['wt_geo$Place', 'rt_Point']);
  });

  it('identifiers and references: constructors PascalCase, methods camelCase, unions Type…', () => {
    expect(entryIdent(entry('geo.place'))).toBe('Place');
    expect(entryIdent(entry('geo.getIds'))).toBe('getIds');
    expect(entryTypeRef(entry('geo.place'))).toBe('Api.geo.Place');
    expect(entryTypeRef(entry('invokeWith'))).toBe('Api.invokeWith');
    expect(unionTypeRef('geo.Place')).toBe('Api.geo.TypePlace');
    expect(unionTypeRef('Point')).toBe('Api.TypePoint');
  });

  it('tsType of every kind of field', () => {
    const types = Object.fromEntries(fieldsOf(model, entry('kinds')).map((f) => [f.prop, tsType(f.type!)]));
    expect(types).toEqual({
      l: 'bigint',
      ls: 'bigint[]',
      lls: 'bigint[][]',
      n128: 'Uint8Array',
      n256: 'Uint8Array',
      d: 'number',
      ok: 'boolean',
      data: 'Uint8Array',
      bare: 'Api.Pair[]',
      any: 'TlObject',
    });
    const t = (type: ResolvedType) => tsType(type);
    expect(t({ kind: 'true' })).toBe('boolean');
    expect(t({ kind: 'string' })).toBe('string');
    expect(t({ kind: 'union', type: 'geo.Place' })).toBe('Api.geo.TypePlace');
    expect(t({ kind: 'vector', boxed: false, element: { kind: 'union', type: 'Point' } })).toBe('Api.TypePoint[]');
    expect(t({ kind: 'generic', name: 'X' })).toBe('X');
    expect(tsType(model.resolve(entry('invokeWith').result, entry('invokeWith')))).toBe('X');
  });

  it('fieldsOf: camelCase props, flags fields without a type, conditions with their flags local and mask', () => {
    const fields = fieldsOf(model, entry('flagged'));
    expect(fields.map((f) => [f.prop, f.type?.kind, f.condition])).toEqual([
      ['flags', undefined, undefined],
      ['a', 'int', { flagsLocal: 'f_flags', mask: 1 }],
      ['b', 'true', { flagsLocal: 'f_flags', mask: 2 }],
      ['c', 'string', { flagsLocal: 'f_flags', mask: 2 ** 31 }],
      ['flags2', undefined, undefined],
      ['d', 'long', { flagsLocal: 'f_flags2', mask: 1 }],
    ]);
    expect(fieldsOf(model, entry('weird')).map((f) => f.prop)).toEqual(['default', 'class', 'gAHash']);
    expect(flagsLocal('flags2')).toBe('f_flags2');
  });

  it('maskLiteral is a literal whose int32 value is the bit, 31 included', () => {
    for (let bit = 0; bit < 32; bit++) {
      const literal = maskLiteral(2 ** bit);
      expect(literal).toMatch(/^-?0x[0-9a-f]+$/);
      const value = literal.startsWith('-') ? -Number(literal.slice(1)) : Number(literal);
      expect(value, `bit ${bit}`).toBe(1 << bit); // 1 << 31 is -2147483648
    }
  });

  it('longProps: long and Vector<long> fields only, conditional ones included', () => {
    expect(longProps(fieldsOf(model, entry('kinds')))).toEqual(['l', 'ls']);
    expect(longProps(fieldsOf(model, entry('flagged')))).toEqual(['d']);
    expect(longProps(fieldsOf(model, entry('point')))).toEqual([]);
  });

  it('propKey quotes what is not an identifier', () => {
    expect(['userId', '_x', '$y', 'default'].map(propKey)).toEqual(['userId', '_x', '$y', 'default']);
    expect(['a-b', '1a', ''].map(propKey)).toEqual(['"a-b"', '"1a"', '""']);
  });
});

/** Uses the emitted types the way a program would; each @ts-expect-error must be a real error. */
const USAGE = `
import * as Api from './types/index.js';
import { readResultOf } from './codec.js';

const p: Api.Point = new Api.Point({ x: 1, y: 2 });
const some: Api.TypePoint = { _: 'point3', x: 1, y: 2, z: 3 };
// @ts-expect-error pair is not a constructor of Point
const notPoint: Api.TypePoint = { _: 'pair', a: 1, b: 2 };
// @ts-expect-error x is an int
const badX = new Api.Point({ x: 'a', y: 2 });
// @ts-expect-error y is required
const noY = new Api.Point({ x: 1 });
const noParams = new Api.Flagged();
const flagged: Api.Flagged = Api.Flagged({ b: true, d: 5 });
const d: bigint | undefined = flagged.d;
const kinds = new Api.Kinds({
  l: 1, ls: [1, 2n], lls: [[3n]], n128: new Uint8Array(16), n256: new Uint8Array(32), d: 1.5, ok: true,
  data: new Uint8Array(0), bare: [new Api.Pair({ a: 1, b: 2 })], any: p,
});
const longs: bigint[] = kinds.ls;
const weird = new Api.Weird({ default: 1, class: 'c', gAHash: new Uint8Array(0) });
const place: Api.geo.TypePlace = new Api.geo.Place({ id: 1n });

const r1: Api.ResultOf<Api.getPoint> = p;
const r2: Api.ResultOf<Api.invokeWith<Api.invokeWith<Api.geo.getIds>>> = [1n];
// @ts-expect-error a Point is not what geo.getIds returns
const r3: Api.ResultOf<Api.invokeWith<Api.geo.getIds>> = p;
const r4: Api.MethodResults['ping'] = true;
const generic: Api.GenericMethodName = 'invokeWith';
// @ts-expect-error getPoint does not wrap a query
const notGeneric: Api.GenericMethodName = 'getPoint';
const method: Api.AnyMethod = new Api.invokeWith({ prefix: 1, query: new Api.getPoint({ id: 1 }) });
// @ts-expect-error a constructor is not a method
const notMethod: Api.AnyMethod = p;

function xOf(value: unknown): number {
  return Api.isTypePoint(value) ? value.x : Api.geo.isTypePlace(value) ? Number(value.id) : 0;
}
const idOfPoint: number = Api.Point.id;
const name: 'point' = Api.Point.tlName;
const decoded: Api.Point = Api.Point.decode(Api.Point.encode(p));
const result: Api.TypePoint = readResultOf(undefined as never, new Api.getPoint({ id: 1 }));

// A wrapper built with its value is generic in its query, as the object literal is, at any depth.
const wrapped = new Api.invokeWith({ prefix: 1, query: new Api.invokeWith({ prefix: 2, query: new Api.geo.getIds() }) });
const wrappedIds: bigint[] = readResultOf(undefined as never, wrapped);
const wrappedQuery: Api.geo.getIds = wrapped.query.query;
// @ts-expect-error the wrapped query returns ids, not a Point
const wrappedPoint: Api.TypePoint = readResultOf(undefined as never, Api.invokeWith({ prefix: 1, query: new Api.geo.getIds() }));
// @ts-expect-error the query of a wrapper is a TL object
const badQuery = new Api.invokeWith({ prefix: 1, query: 5 });

export const wrappers = [wrappedIds, wrappedQuery, wrappedPoint, badQuery];
export const all = [some, notPoint, badX, noY, noParams, d, longs, weird, place, r1, r2, r3, r4, generic, notGeneric];
export const more = [method, notMethod, xOf, idOfPoint, name, decoded, result];
`;

describe('the emitted TypeScript', () => {
  beforeAll(async () => {
    await compile('types', SCHEMA);
    writeFileSync(join(tsDir('types'), 'usage.ts'), USAGE);
  });

  it('type-checks under the project’s strict settings and types what users write; a wrong use is reported', () => {
    const dir = tsDir('types');
    // bad.ts shows that the check can fail: its one error must be the only diagnostic.
    const bad = join(dir, 'bad.ts');
    writeFileSync(bad, "import * as Api from './types/index.js';\nexport const p: Api.Point = new Api.Point({ x: 1, y: 'no' });\n");
    const files = ['codec.ts', 'registry.ts', 'result-writers.ts', 'types/index.ts', 'types/geo.ts', 'usage.ts'].map((f) => join(dir, f));
    const diagnostics = typecheck([...files, bad]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatch(/bad\.ts:2: Type 'string' is not assignable to type 'number'/);
  });
});
