import { beforeAll, describe, expect, it } from 'vitest';
import { emitApiModules } from '../../src/codegen/emit-api.js';
import { CodegenError } from '../../src/schema/model.js';
import { TlDecodeError, TlEncodeError, TlReader, TlWriter } from '../../src/tl/runtime.js';
import { compile, hex, le32, le64, modelOf, unhex, type Loaded } from './emitters-helpers.js';

/** emit-api: the values and guards users build objects with, and the names it refuses to generate. */
const SCHEMA = `
user#7c000001 flags:# bot:flags.0?true user_id:long access_hash:flags.1?long g_a_hash:bytes = User;
userEmpty#7c000002 = User;
pair a:int b:int = Pair;
holder#7c000003 p:pair = Holder;
---functions---
users.getUsers#7c000010 ids:Vector<long> = Vector<User>;
`;

let m: Loaded;
beforeAll(async () => {
  m = await compile('api', SCHEMA);
});

describe('constructor values', () => {
  it('build plain objects with `_` set, with or without new; params are camelCase', () => {
    const { User } = m.Api;
    const a = new User({ userId: 1n, gAHash: new Uint8Array(0) });
    const b = User({ userId: 1n, gAHash: new Uint8Array(0) });
    expect(a).toEqual({ _: 'user', userId: 1n, gAHash: new Uint8Array(0) });
    expect(b).toEqual(a);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(User({ _: 'userEmpty', userId: 1n, gAHash: new Uint8Array(0) })._).toBe('user'); // `_` cannot be overridden
    expect(m.Api.UserEmpty()).toEqual({ _: 'userEmpty' });
  });

  it('turn safe-integer numbers in long fields into bigints, and leave other numbers for the writer to refuse', () => {
    const { User } = m.Api;
    expect(User({ userId: 5, accessHash: -7, gAHash: new Uint8Array(0) })).toMatchObject({ userId: 5n, accessHash: -7n });
    const unsafe = User({ userId: 2 ** 60, gAHash: new Uint8Array(0) });
    expect(unsafe.userId).toBe(2 ** 60);
    expect(() => User.encode(unsafe)).toThrow(TlEncodeError);
    expect(m.Api.users.getUsers({ ids: [1, 2n, 3] }).ids).toEqual([1n, 2n, 3n]);
  });

  it('carry the TL name and id, an exact guard, and encode/decode for their own id only', () => {
    const { User, UserEmpty } = m.Api;
    expect([User.tlName, User.id, UserEmpty.id]).toEqual(['user', 0x7c000001, 0x7c000002]);
    expect(User.is({ _: 'user' })).toBe(true);
    expect(User.is({ _: 'userEmpty' })).toBe(false);
    expect(User.is(null)).toBe(false);
    const bytes = User.encode(User({ bot: true, userId: 9n, accessHash: 1n, gAHash: Uint8Array.of(1) }));
    expect(hex(bytes)).toBe('0100007c' + '03000000' + le64(9n) + le64(1n) + '01010000');
    expect(User.decode(bytes)).toEqual({ _: 'user', bot: true, userId: 9n, accessHash: 1n, gAHash: Uint8Array.of(1) });
    expect(() => UserEmpty.decode(bytes)).toThrow(expect.objectContaining({ constructorId: 0x7c000001, expected: 'userEmpty' }));
  });

  it('write through the value writes the id then the fields', () => {
    const w = new TlWriter();
    m.Api.UserEmpty.write(w, { _: 'userEmpty' });
    m.Api.Holder.write(w, { _: 'holder', p: { _: 'pair', a: 1, b: 2 } });
    expect(hex(w.result())).toBe('0200007c' + '0300007c' + le32(1) + le32(2));
  });
});

describe('method values', () => {
  it('build and encode; their result is read by the codec’s readResultOf', () => {
    const { getUsers } = m.Api.users;
    const request = getUsers({ ids: [4n] });
    expect(request).toEqual({ _: 'users.getUsers', ids: [4n] });
    expect(hex(getUsers.encode(request))).toBe('1000007c' + '15c4b51c' + le32(1) + le64(4n));
    const result = m.results.readResultOf(new TlReader(unhex('15c4b51c' + le32(1) + '0200007c')), request);
    expect(result).toEqual([{ _: 'userEmpty' }]);
  });
});

describe('union types', () => {
  it('a guard per boxed type accepts exactly its constructors', () => {
    expect(m.Api.isTypeUser({ _: 'user' })).toBe(true);
    expect(m.Api.isTypeUser({ _: 'userEmpty' })).toBe(true);
    for (const other of [{ _: 'holder' }, {}, null, undefined, 'user', 1]) expect(m.Api.isTypeUser(other)).toBe(false);
    expect(m.Api.isTypeHolder({ _: 'holder' })).toBe(true);
  });

  it('a constructor without an id gets no union (it cannot be boxed)', () => {
    expect(m.Api.isTypePair).toBeUndefined();
  });
});

describe('a constructor without an id (used only bare)', () => {
  it('is built and used inside other objects', () => {
    const holder = m.Api.Holder({ p: m.Api.Pair({ a: 3, b: 4 }) });
    expect(hex(m.Api.Holder.encode(holder))).toBe('0300007c' + le32(3) + le32(4));
    expect(m.Api.Pair.tlName).toBe('pair');
  });

  it('has no boxed form: encode and decode throw instead of inventing an id', () => {
    const { Pair } = m.Api;
    expect(() => Pair.encode(Pair({ a: 1, b: 2 }))).toThrow(TlEncodeError);
    expect(() => Pair.decode(unhex('00000000' + le32(1) + le32(2)))).toThrow(TlDecodeError);
    expect(() => Pair.decode(unhex('00000000' + le32(1) + le32(2)))).toThrow(expect.objectContaining({ problem: 'unknown-constructor' }));
  });
});

describe('files and names', () => {
  it('one file per namespace, the root as types/index.ts', () => {
    const files = emitApiModules(modelOf(SCHEMA), '../rt.js');
    expect([...files.keys()].sort()).toEqual(['types/index.ts', 'types/users.ts']);
    expect(files.get('types/index.ts')).toContain("export * as users from './users.js';");
    // A namespace module re-exports its entry values from the codec one folder up (which imports the runtime).
    expect(files.get('types/users.ts')).toContain("export { users$getUsers as getUsers } from '../codec.js';");
  });

  it('refuses two entries that get the same TS name', () => {
    expect(() => emitApiModules(modelOf('foo_bar#01 = T;\nfooBar#02 = T;'), 'rt')).toThrow(CodegenError);
    expect(() => emitApiModules(modelOf('foo_bar#01 = T;\nfooBar#02 = T;'), 'rt')).toThrow('two generated names FooBar collide');
    // A constructor named like the union of a type: typePoint → TypePoint.
    expect(() => emitApiModules(modelOf('point#01 = Point;\ntypePoint#02 = X;'), 'rt')).toThrow('TypePoint collide');
    expect(() => emitApiModules(modelOf('geo.a#01 = geo.A;\ngeo.a_#02 = geo.B;'), 'rt')).not.toThrow();
  });

  it('refuses names that are reserved words, in any namespace', () => {
    expect(() => emitApiModules(modelOf('---functions---\ndelete#01 = Bool;'), 'rt')).toThrow('generated name delete is a reserved word');
    expect(() => emitApiModules(modelOf('---functions---\nmessages.delete#01 = Bool;'), 'rt')).toThrow(
      'generated name messages.delete is a reserved word',
    );
    expect(() => emitApiModules(modelOf('default.thing#01 = default.Thing;'), 'rt')).toThrow('default is a reserved word');
    expect(() => emitApiModules(modelOf('---functions---\ndeleteAll#01 = Bool;'), 'rt')).not.toThrow();
  });

  it('a namespace whose name collides with a root entry is refused', () => {
    expect(() => emitApiModules(modelOf('---functions---\ngeo#01 = Bool;\ngeo.get#02 = Bool;'), 'rt')).toThrow('geo collide');
  });
});
