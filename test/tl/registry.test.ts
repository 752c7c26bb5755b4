import { describe, expect, test } from 'vitest';
import {
  boxedWriters,
  readBoxed,
  writeBoxed,
  zipTable,
  TlReader,
  TlWriter,
  type BoxedWriter,
  type FieldsReader,
  type TlObject,
} from '../../src/tl/runtime.js';
import { Api } from '../../src/api/index.js';

interface Point extends TlObject {
  _: 'point';
  x: number;
}

const writePoint = (w: TlWriter, v: Point) => w.int32(v.x);
const readPoint = (r: TlReader): Point => ({ _: 'point', x: r.int32() });
const bytes = (...words: number[]) => new Uint8Array(new Uint32Array(words).buffer);

describe('readBoxed and writeBoxed: the registry functions over one table', () => {
  const readers = new Map<number, FieldsReader>([
    [0x11111111, readPoint],
    [0x22222222, () => ({ _: 'center' })],
  ]);
  const writers = new Map<string, BoxedWriter>([['point', [0x11111111, writePoint]]]);

  test('reads the id, then the fields of the entry it names', () => {
    const r = new TlReader(bytes(0x11111111, 5, 9));
    expect(readBoxed(readers, r, 'Object')).toEqual({ _: 'point', x: 5 });
    expect(r.remaining).toBe(4);
    expect(readBoxed(readers, new TlReader(bytes(0x22222222)), 'Object')).toEqual({ _: 'center' });
  });

  test('an id the table does not hold is a TlDecodeError naming it, where it was read and what was expected', () => {
    const r = new TlReader(bytes(7, 0x33333333));
    r.int32();
    expect(() => readBoxed(readers, r, 'method')).toThrow(
      expect.objectContaining({ name: 'TlDecodeError', constructorId: 0x33333333, expected: 'method', offset: 4 }),
    );
    expect(() => readBoxed(readers, new TlReader(bytes(0x33333333)), 'method')).toThrow(/unknown constructor #33333333/);
  });

  test('writes the id and the fields of the entry `_` names, and refuses what the table does not hold', () => {
    const w = new TlWriter();
    writeBoxed(writers, w, { _: 'point', x: 7 } as Point, 'a constructor');
    expect([...w.result()]).toEqual([...bytes(0x11111111, 7)]);
    for (const bad of [{ _: 'center' }, { _: 'toString' }, null, undefined, 5]) {
      expect(() => writeBoxed(writers, new TlWriter(), bad as TlObject, 'a method of the schema')).toThrow(
        expect.objectContaining({ name: 'TlEncodeError', message: expect.stringContaining('a method of the schema') }),
      );
    }
  });
});

describe('zipTable and boxedWriters: tables from columns', () => {
  test('each key maps to the value at its index; of two equal keys the later wins', () => {
    expect([...zipTable([1, 2, 1], ['a', 'b', 'c'])]).toEqual([
      [1, 'c'],
      [2, 'b'],
    ]);
    const writers = zipTable(['point', 'twin'], boxedWriters([0x11111111, 0x11111112], [writePoint, writePoint]));
    const w = new TlWriter();
    writeBoxed(writers, w, { _: 'twin', x: 3 } as TlObject, 'a constructor');
    expect([...w.result()]).toEqual([...bytes(0x11111112, 3)]);
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
