import { describe, expect, test } from 'vitest';
import { defineConstructor, defineMethod, defineRegistry, TlEncodeError, TlReader, TlWriter, type TlObject } from '../../src/tl/runtime.js';
import { Api } from '../../src/api/index.js';

interface Point extends TlObject {
  _: 'point';
  x: number;
}

const writePoint = (w: TlWriter, v: Point) => w.int32(v.x);
const readPoint = (r: TlReader): Point => ({ _: 'point', x: r.int32() });
const point = defineConstructor<Point>('point', 0x11111111, writePoint, readPoint);
interface Twin extends TlObject {
  _: 'twin';
  x: number;
}
/** Shares point's id, as tdlib's `…Prefix` methods share their twins'. */
const twin = defineConstructor<Twin>(
  'twin',
  0x11111111,
  (w, v) => w.int32(v.x),
  (r) => ({ _: 'twin', x: r.int32() }),
);
const center = defineMethod<TlObject>(
  'center',
  0x22222222,
  () => {},
  () => ({ _: 'center' }),
);

const bytes = (...words: number[]) => new Uint8Array(new Uint32Array(words).buffer);

describe('defineRegistry', () => {
  test('reads the entry lists on first use, not when defined', () => {
    let listed = 0;
    const registry = defineRegistry(
      () => (listed++, [point]),
      () => [center],
    );
    expect(listed).toBe(0);
    expect(registry.readObject(new TlReader(bytes(0x11111111, 5)))).toEqual({ _: 'point', x: 5 });
    expect(registry.idOf('center')).toBe(0x22222222);
    expect(listed).toBe(1);
  });

  test('of two entries with one id, the one listed last is read', () => {
    const registry = defineRegistry(
      () => [point, twin],
      () => [],
    );
    expect(registry.readObject(new TlReader(bytes(0x11111111, 1)))).toEqual({ _: 'twin', x: 1 });
    expect(registry.idOf('point')).toBe(0x11111111);
  });

  test('writes by name, reads methods by id, and refuses what it does not list', () => {
    const registry = defineRegistry(
      () => [point],
      () => [center],
    );
    const w = new TlWriter();
    registry.writeAny(w, { _: 'point', x: 7 } as Point);
    expect([...w.result()]).toEqual([...bytes(0x11111111, 7)]);
    expect(registry.readMethod(new TlReader(bytes(0x22222222)))).toEqual({ _: 'center' });
    expect(registry.isMethodName('center')).toBe(true);
    expect(registry.isMethodName('point')).toBe(false);
    expect(() => registry.writeMethod(new TlWriter(), { _: 'point' })).toThrow(TlEncodeError);
    expect(() => registry.readMethod(new TlReader(bytes(0x11111111)))).toThrow(/unknown constructor #11111111/);
  });
});

describe('entry values', () => {
  test('make each function once, on first use, and it works detached', () => {
    const { encode, decode, is } = Api.InputUser;
    expect(Api.InputUser.encode).toBe(encode);
    const user = new Api.InputUser({ userId: 1, accessHash: 2 });
    expect(decode(encode(user))).toEqual(user);
    expect(is(user)).toBe(true);
    expect(is({ _: 'inputUserSelf' })).toBe(false);
  });

  test('built without new, with longs from numbers, keep their own name and id', () => {
    expect(Api.InputUser({ userId: 1, accessHash: 2 })).toEqual({ _: 'inputUser', userId: 1n, accessHash: 2n });
    expect([Api.InputUser.tlName, Api.InputUser.id]).toEqual(['inputUser', 0xf21158c6]);
    expect([Api.phone.requestCall.tlName, Api.phone.requestCall.id]).toEqual(['phone.requestCall', 0x42ff96ed]);
  });
});
