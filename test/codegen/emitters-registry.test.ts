import { beforeAll, describe, expect, it } from 'vitest';
import { TlDecodeError, TlEncodeError, TlReader, TlWriter, type TlObject } from '../../src/tl/runtime.js';
import { compile, hex, le32, le64, unhex, type Loaded } from './emitters-helpers.js';

/** emit-registry, emit-result-writers and the generic (`{X:Type} !X`) methods, with namespaces. */
const SCHEMA = `
point#6b000001 x:int y:int = Point;
geo.place#6b000002 id:long point:Point = geo.Place;
geo.placeEmpty#6b000003 = geo.Place;
---functions---
getPoint#6b000010 id:int = Point;
invokeWith#6b000011 {X:Type} prefix:int query:!X = X;
geo.getPlaces#6b000012 ids:Vector<long> = Vector<geo.Place>;
geo.getIds#6b000013 = Vector<long>;
ping#6b000014 = Bool;
dupA#6b000015 = Bool;
dupB#6b000015 = Bool;
`;

let m: Loaded;
beforeAll(async () => {
  m = await compile('registry', SCHEMA);
});

const write = (fn: (w: TlWriter) => void): string => {
  const w = new TlWriter();
  fn(w);
  return hex(w.result());
};
const reader = (text: string) => new TlReader(unhex(text));
const point = (x: number, y: number) => ({ _: 'point', x, y });
const getPoint = (id: number) => ({ _: 'getPoint', id });
const POINT = (x: number, y: number) => '0100006b' + le32(x) + le32(y);

describe('registry: values known only at run time', () => {
  it('writeObject/readObject take any constructor, boxed, chosen by `_` or by id', () => {
    const place = { _: 'geo.place', id: 5n, point: point(1, 2) };
    const bytes = write((w) => m.registry.writeObject(w, place));
    expect(bytes).toBe('0200006b' + le64(5n) + POINT(1, 2));
    expect(m.registry.readObject(reader(bytes))).toEqual(place);
    expect(m.registry.readObject(reader('0300006b'))).toEqual({ _: 'geo.placeEmpty' });
  });

  it('constructors and methods are kept apart; readAny/writeAny take both', () => {
    expect(() => write((w) => m.registry.writeObject(w, getPoint(1)))).toThrow(TlEncodeError);
    expect(() => write((w) => m.registry.writeMethod(w, point(1, 2)))).toThrow(TlEncodeError);
    expect(write((w) => m.registry.writeMethod(w, getPoint(9)))).toBe('1000006b' + le32(9));
    expect(m.registry.readMethod(reader('1000006b' + le32(9)))).toEqual(getPoint(9));
    expect(m.registry.readAny(reader('1000006b' + le32(9)))).toEqual(getPoint(9));
    expect(m.registry.readAny(reader(POINT(3, 4)))).toEqual(point(3, 4));
    expect(write((w) => m.registry.writeAny(w, point(3, 4)))).toBe(POINT(3, 4));
    const asMethod = (() => {
      try {
        m.registry.readMethod(reader(POINT(3, 4)));
      } catch (error) {
        return error;
      }
    })();
    expect(asMethod).toBeInstanceOf(TlDecodeError);
    expect(asMethod).toMatchObject({ problem: 'unknown-constructor', constructorId: 0x6b000001, expected: 'method', offset: 0 });
  });

  it('an unknown id is a TlDecodeError naming it in hex; an unknown `_` a TlEncodeError', () => {
    expect(() => m.registry.readObject(reader('efbeadde'))).toThrow(
      expect.objectContaining({ name: 'TlDecodeError', constructorId: 0xdeadbeef, message: expect.stringContaining('#deadbeef') }),
    );
    expect(() => m.registry.readAny(reader('78563412'))).toThrow(/#12345678/);
    for (const bad of [{ _: 'nope' }, null, undefined, 5]) {
      expect(() => write((w) => m.registry.writeAny(w, bad))).toThrow(TlEncodeError);
    }
  });

  it('idOf and isMethodName', () => {
    expect(m.registry.idOf('point')).toBe(0x6b000001);
    expect(m.registry.idOf('geo.getPlaces')).toBe(0x6b000012);
    expect(m.registry.idOf('nope')).toBeUndefined();
    expect(m.registry.isMethodName('geo.getIds')).toBe(true);
    expect(m.registry.isMethodName('geo.place')).toBe(false);
    expect(m.registry.isMethodName('nope')).toBe(false);
  });

  it('two methods with one id: both encode under it, and by id the one declared last wins', () => {
    expect(m.registry.idOf('dupA')).toBe(0x6b000015);
    expect(m.registry.idOf('dupB')).toBe(0x6b000015);
    expect(write((w) => m.registry.writeMethod(w, { _: 'dupA' }))).toBe('1500006b');
    expect(m.registry.readMethod(reader('1500006b'))).toEqual({ _: 'dupB' });
  });
});

describe('generic methods: {X:Type} query:!X = X', () => {
  it('the query is written as a whole boxed method call and read back through the registry', () => {
    const InvokeWith = m.value('invokeWith');
    const request = InvokeWith({ prefix: 7, query: getPoint(3) });
    const bytes = InvokeWith.encode(request);
    expect(hex(bytes)).toBe('1100006b' + le32(7) + '1000006b' + le32(3));
    expect(InvokeWith.decode(bytes)).toEqual(request);
    const nested = InvokeWith({ prefix: 1, query: InvokeWith({ prefix: 2, query: { _: 'geo.getIds' } }) });
    expect(hex(InvokeWith.encode(nested))).toBe('1100006b' + le32(1) + '1100006b' + le32(2) + '1300006b');
    expect(InvokeWith.decode(InvokeWith.encode(nested))).toEqual(nested);
  });

  it('a query that is not a method of the schema is refused both ways', () => {
    const InvokeWith = m.value('invokeWith');
    expect(() => InvokeWith.encode(InvokeWith({ prefix: 1, query: point(1, 2) }))).toThrow(TlEncodeError);
    expect(() => InvokeWith.decode(unhex('1100006b' + le32(1) + POINT(1, 2)))).toThrow(
      expect.objectContaining({ problem: 'unknown-constructor', expected: 'method', offset: 8 }),
    );
  });

  it('the result is read and written as the wrapped query’s result, through any depth', () => {
    const wrapped = { _: 'invokeWith', prefix: 1, query: { _: 'invokeWith', prefix: 2, query: getPoint(5) } };
    expect(m.results.readResultOf(reader(POINT(8, 9)), wrapped)).toEqual(point(8, 9));
    expect(write((w) => m.results.writeResultOf(w, wrapped, point(8, 9)))).toBe(POINT(8, 9));
    const ids = { _: 'invokeWith', prefix: 0, query: { _: 'geo.getIds' } };
    expect(write((w) => m.results.writeResultOf(w, ids, [1n, 2n]))).toBe('15c4b51c' + le32(2) + le64(1n) + le64(2n));
    expect(m.results.readResultOf(reader('15c4b51c' + le32(1) + le64(-5n)), ids)).toEqual([-5n]);
  });
});

describe('results of plain methods', () => {
  it('readResultOf and writeResultOf use the method’s declared result type', () => {
    const cases: [TlObject & Record<string, unknown>, unknown, string][] = [
      [getPoint(1), point(1, 2), POINT(1, 2)],
      [{ _: 'ping' }, true, 'b5757299'],
      [{ _: 'ping' }, false, '379779bc'],
      [{ _: 'geo.getIds' }, [], '15c4b51c' + le32(0)],
      [
        { _: 'geo.getPlaces', ids: [1n] },
        [{ _: 'geo.placeEmpty' }, { _: 'geo.place', id: 3n, point: point(0, 0) }],
        '15c4b51c' + le32(2) + '0300006b' + '0200006b' + le64(3n) + POINT(0, 0),
      ],
    ];
    for (const [request, value, bytes] of cases) {
      expect(
        write((w) => m.results.writeResultOf(w, request, value)),
        request._,
      ).toBe(bytes);
      const r = reader(bytes);
      expect(m.results.readResultOf(r, request)).toEqual(value);
      expect(r.remaining).toBe(0);
    }
  });

  it('a method value holds no result reader: results are read by readResultOf only', () => {
    expect(m.value('getPoint')).not.toHaveProperty('readResult');
    expect(m.results.readResultOf(reader(POINT(4, 4)), getPoint(0))).toEqual(point(4, 4));
  });

  it('a result of the wrong type is refused: unknown id on reading, TlEncodeError on writing', () => {
    expect(() => m.results.readResultOf(reader('0200006b' + le64(1n) + POINT(0, 0)), getPoint(1))).toThrow(
      expect.objectContaining({ problem: 'unknown-constructor', constructorId: 0x6b000002, expected: 'Point' }),
    );
    expect(() => write((w) => m.results.writeResultOf(w, getPoint(1), { _: 'geo.placeEmpty' }))).toThrow(
      expect.objectContaining({ expected: 'Point' }),
    );
    expect(() => write((w) => m.results.writeResultOf(w, { _: 'ping' }, 'yes'))).toThrow(TlEncodeError);
  });

  it('a request that is not a method of the schema is a TlEncodeError on both sides', () => {
    for (const request of [{ _: 'nope' }, point(1, 2), null]) {
      expect(() => m.results.readResultOf(reader('00000000'), request)).toThrow(TlEncodeError);
      expect(() => write((w) => m.results.writeResultOf(w, request, 1))).toThrow(TlEncodeError);
    }
  });
});

describe('namespaces', () => {
  it('entries of geo.* live under Api.geo, with their ids, names and guards', () => {
    const { Api } = m;
    expect(Object.keys(Api.geo).sort()).toEqual(['Place', 'PlaceEmpty', 'getIds', 'getPlaces', 'isTypePlace']);
    expect(Api.geo.Place.tlName).toBe('geo.place');
    expect(Api.geo.Place.id).toBe(0x6b000002);
    expect(Api.geo.getPlaces.id).toBe(0x6b000012);
    expect(new Api.geo.Place({ id: 1, point: point(0, 0) })).toEqual({ _: 'geo.place', id: 1n, point: point(0, 0) });
    expect(Api.geo.getPlaces({ ids: [1, 2n] })).toEqual({ _: 'geo.getPlaces', ids: [1n, 2n] });
    expect(Api.geo.isTypePlace({ _: 'geo.placeEmpty' })).toBe(true);
    expect(Api.geo.isTypePlace(point(0, 0))).toBe(false);
    expect(Api.isTypePoint(point(0, 0))).toBe(true);
    expect(Api.isTypePoint(null)).toBe(false);
  });

  it('a namespaced type is written and read as its own type (a vector of geo.Place as a result)', () => {
    const place = { _: 'geo.place', id: -1n, point: point(1, 1) };
    const request = { _: 'geo.getPlaces', ids: [] };
    const placeBytes = '0200006b' + le64(-1n) + POINT(1, 1);
    expect(write((w) => m.results.writeResultOf(w, request, [place]))).toBe('15c4b51c' + le32(1) + placeBytes);
    const readPlaces = (bytes: string) => m.results.readResultOf(reader('15c4b51c' + le32(1) + bytes), request);
    expect(readPlaces('0300006b')).toEqual([{ _: 'geo.placeEmpty' }]);
    expect(() => readPlaces(POINT(1, 1))).toThrow(
      expect.objectContaining({ constructorId: 0x6b000001, expected: 'geo.Place', message: expect.stringContaining('#6b000001') }),
    );
  });
});
