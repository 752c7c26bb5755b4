/** The TL encoding rules one at a time, with exact bytes: flags, optional vectors and Bools, longs, lengths, errors. */
import { describe, expect, test } from 'vitest';
import { Api, TlEncodeError, decodeObject, encodeObject } from '../../src/api/index.js';
import type { TlObject } from '../../src/tl/runtime.js';
import { fromHex, toHex } from '../helpers.js';
import { decodeFails, wire } from './helpers.js';

describe('encoding rules', () => {
  const flagsAt = (bytes: Uint8Array, offset: number): number => new DataView(bytes.buffer, bytes.byteOffset).getInt32(offset, true);

  test('a present empty optional vector sets its bit and comes back as []', () => {
    const base = { id: 1, peerId: Api.PeerUser({ userId: 2n }), date: 3, message: 'hi' };
    const withEmpty = Api.Message.encode(Api.Message({ ...base, entities: [] }));
    expect(flagsAt(withEmpty, 4) & (1 << 7)).toBe(1 << 7);
    // The vector is there: id + count 0 at the end.
    expect(toHex(withEmpty.subarray(withEmpty.length - 8))).toBe(wire(0x1cb5c415) + '00000000');
    const decoded = Api.Message.decode(withEmpty);
    expect(decoded.entities).toStrictEqual([]);
    expect(toHex(Api.Message.encode(decoded))).toBe(toHex(withEmpty));

    const without = Api.Message.encode(Api.Message(base));
    expect(flagsAt(without, 4) & (1 << 7)).toBe(0);
    expect(without.length).toBe(withEmpty.length - 8);
    expect(Api.Message.decode(without).entities).toBeUndefined();
    expect('entities' in Api.Message.decode(without)).toBe(true);
  });

  test('?Bool false sets its bit, writes boolFalse and comes back as false', () => {
    const bytes = Api.InputPeerNotifySettings.encode(Api.InputPeerNotifySettings({ showPreviews: false, storiesMuted: true }));
    expect(toHex(bytes)).toBe(wire(0xcacb6ae2) + wire(0x41) + wire(0xbc799737) + wire(0x997275b5));
    expect(Api.InputPeerNotifySettings.decode(bytes)).toStrictEqual({
      _: 'inputPeerNotifySettings',
      showPreviews: false,
      silent: undefined,
      muteUntil: undefined,
      sound: undefined,
      storiesMuted: true,
      storiesHideSender: undefined,
      storiesSound: undefined,
    });
    // Absent is not false: no bit, no value.
    expect(toHex(Api.InputPeerNotifySettings.encode(Api.InputPeerNotifySettings({})))).toBe(wire(0xcacb6ae2) + '00000000');
  });

  test('fields declared before `flags` are written and read before it (wallPaper)', () => {
    const value = Api.WallPaper({
      id: 0x0102030405060708n,
      creator: true,
      dark: true,
      accessHash: -2n,
      slug: 'ab',
      document: Api.DocumentEmpty({ id: 7n }),
    });
    const bytes = Api.WallPaper.encode(value);
    expect(toHex(bytes)).toBe(
      wire(0xa437c3ed) + '0807060504030201' + wire(0x11) + 'feffffffffffffff' + '02616200' + wire(0x36f8c871) + '0700000000000000',
    );
    const decoded = Api.WallPaper.decode(bytes);
    expect(decoded).toStrictEqual({
      _: 'wallPaper',
      id: 0x0102030405060708n,
      creator: true,
      default: false,
      pattern: false,
      dark: true,
      accessHash: -2n,
      slug: 'ab',
      document: { _: 'documentEmpty', id: 7n },
      settings: undefined,
    });
  });

  test('flags2 is a second bitmask with its own bits (user)', () => {
    const bytes = Api.User.encode(Api.User({ id: 5n, self: true, botCanEdit: true, usernames: [], botActiveUsers: 9 }));
    // user#… flags flags2 id:long …: the second word is flags2.
    expect(flagsAt(bytes, 4)).toBe(1 << 10);
    expect(flagsAt(bytes, 8)).toBe((1 << 0) | (1 << 1) | (1 << 12));
    const decoded = Api.User.decode(bytes);
    expect(decoded).toMatchObject({ id: 5n, self: true, botCanEdit: true, closeFriend: false, usernames: [], botActiveUsers: 9 });
    expect(decoded.accessHash).toBeUndefined();
    expect(toHex(Api.User.encode(decoded))).toBe(toHex(bytes));
    // A flags2 bit alone, with flags empty (message.offline).
    const message = Api.Message.encode(Api.Message({ id: 1, peerId: Api.PeerUser({ userId: 2n }), date: 3, message: '', offline: true }));
    expect(flagsAt(message, 4)).toBe(0);
    expect(flagsAt(message, 8)).toBe(1 << 1);
    expect(Api.Message.decode(message)).toMatchObject({ offline: true, out: false });
  });

  test('long edges round-trip exactly (inputUser)', () => {
    const cases: [bigint, string][] = [
      [-4294967296n, '00000000ffffffff'],
      [-(2n ** 63n), '0000000000000080'],
      [2n ** 63n - 1n, 'ffffffffffffff7f'],
      [-1n, 'ffffffffffffffff'],
      [4294967295n, 'ffffffff00000000'],
    ];
    for (const [v, le] of cases) {
      const bytes = Api.InputUser.encode(Api.InputUser({ userId: v, accessHash: v }));
      expect(toHex(bytes)).toBe(wire(0xf21158c6) + le + le);
      expect(Api.InputUser.decode(bytes)).toStrictEqual({ _: 'inputUser', userId: v, accessHash: v });
    }
    // A safe-integer number is taken as the same long.
    expect(toHex(Api.InputUser.encode(Api.InputUser({ userId: -4294967296, accessHash: 0 })))).toBe(
      wire(0xf21158c6) + '00000000ffffffff' + '0000000000000000',
    );
  });

  test('an unknown constructor names the id in hex, the expected type and the offset', () => {
    const good = Api.InputNotifyPeer.encode(Api.InputNotifyPeer({ peer: Api.InputPeerSelf() }));
    const bad = good.slice();
    new DataView(bad.buffer).setUint32(4, 0xdeadbeef, true);
    const err = decodeFails(() => Api.InputNotifyPeer.decode(bad), 'inner id');
    expect(err.message).toBe('unknown constructor #deadbeef for type InputPeer at byte offset 4');
    expect(err).toMatchObject({
      problem: 'unknown-constructor',
      offset: 4,
      constructorId: 0xdeadbeef,
      expected: 'InputPeer',
      code: 'TL_DECODE',
    });

    // The entry's own id, another entry's id, the registry, Object, Vector and Bool.
    expect(decodeFails(() => Api.InputNotifyPeer.decode(fromHex('0c5bbcb7' + wire(0x7da07ec9))), 'outer').message).toBe(
      'unknown constructor #b7bc5b0c for type inputNotifyPeer at byte offset 0',
    );
    expect(decodeFails(() => Api.InputNotifyPeer.decode(Api.InputPeerSelf.encode(Api.InputPeerSelf())), 'other').message).toBe(
      'unknown constructor #7da07ec9 for type inputNotifyPeer at byte offset 0',
    );
    expect(decodeFails(() => decodeObject(fromHex('efbeadde')), 'registry').message).toBe(
      'unknown constructor #deadbeef for type any constructor or method at byte offset 0',
    );
    const rpcResult = wire(0xf35c6d01) + '0100000000000000';
    expect(decodeFails(() => decodeObject(fromHex(rpcResult + 'efbeadde')), 'Object').message).toBe(
      'unknown constructor #deadbeef for type Object at byte offset 12',
    );
    expect(decodeFails(() => decodeObject(fromHex(wire(0x62d6b459) + 'efbeadde' + '00000000')), 'Vector').message).toBe(
      'unknown constructor #deadbeef for type Vector at byte offset 4',
    );
    const bool = decodeFails(() => decodeObject(fromHex(wire(0xcacb6ae2) + wire(1) + 'efbeadde')), 'Bool');
    expect(bool.message).toBe('unknown constructor #deadbeef for type Bool at byte offset 8');
  });

  test('non-zero padding and a long header for a short string are errors', () => {
    const good = Api.RpcError.encode(Api.RpcError({ errorCode: 1, errorMessage: 'a' }));
    expect(toHex(good)).toBe(wire(0x2144ca19) + '01000000' + '01610000');
    const padded = good.slice();
    padded[11] = 1;
    const pad = decodeFails(() => Api.RpcError.decode(padded), 'padding');
    expect(pad.problem).toBe('bad-padding');
    expect(pad.offset).toBe(11);
    const long = fromHex(wire(0x2144ca19) + '01000000' + 'fe010000' + '61000000');
    const header = decodeFails(() => Api.RpcError.decode(long), '0xfe header');
    expect(header.problem).toBe('bad-length');
    expect(header.offset).toBe(8);
    expect(header.message).toBe('long length header for 1 bytes at byte offset 8');
    // 253 bytes must use the short header too; 254 must use the long one.
    expect(
      decodeFails(() => Api.RpcError.decode(fromHex(wire(0x2144ca19) + '01000000' + 'fefd0000' + '61'.repeat(253) + '000000')), '253')
        .problem,
    ).toBe('bad-length');
    expect(decodeFails(() => Api.RpcError.decode(fromHex(wire(0x2144ca19) + '01000000' + 'ff000000')), '0xff').problem).toBe('bad-length');
    // The same for a `bytes` field.
    const secret = Api.IpPortSecret.encode(Api.IpPortSecret({ ipv4: 1, port: 2, secret: new Uint8Array([9, 8]) }));
    secret[secret.length - 1] = 0xff;
    expect(decodeFails(() => Api.IpPortSecret.decode(secret), 'bytes padding').problem).toBe('bad-padding');
  });

  test('string and bytes lengths 253 and 254 use the 1-byte and the 4-byte header', () => {
    for (const [n, header] of [
      [253, 'fd'],
      [254, 'fefe0000'],
    ] as const) {
      for (const text of ['a'.repeat(n), 'é'.repeat(n >> 1) + (n & 1 ? 'a' : '')]) {
        const bytes = Api.RpcError.encode(Api.RpcError({ errorCode: 0, errorMessage: text }));
        expect(toHex(bytes.subarray(8, 8 + header.length / 2))).toBe(header);
        expect(bytes.length % 4).toBe(0);
        expect(Api.RpcError.decode(bytes).errorMessage).toBe(text);
      }
      const data = new Uint8Array(n).fill(7);
      const bytes = Api.IpPortSecret.encode(Api.IpPortSecret({ ipv4: 1, port: 2, secret: data }));
      expect(toHex(bytes.subarray(12, 12 + header.length / 2))).toBe(header);
      expect(Api.IpPortSecret.decode(bytes).secret).toStrictEqual(data);
    }
  });

  test('a vector count larger than what is left fails before any element is read', () => {
    const msgsAck = (count: number, longs: number) => fromHex(wire(0x62d6b459) + wire(0x1cb5c415) + wire(count) + '00'.repeat(8 * longs));
    const huge = decodeFails(() => Api.MsgsAck.decode(msgsAck(0x7fffffff, 0)), 'huge');
    expect(huge.problem).toBe('bad-length');
    expect(huge.offset).toBe(8);
    expect(huge.message).toBe('vector count 2147483647 does not fit in 0 bytes at byte offset 8');
    // Two longs need 16 bytes: 12 are not enough, even though 12 ≥ 2 × 4.
    const short = fromHex(wire(0x62d6b459) + wire(0x1cb5c415) + wire(2) + '00'.repeat(12));
    expect(decodeFails(() => Api.MsgsAck.decode(short), 'short').problem).toBe('bad-length');
    expect(decodeFails(() => Api.MsgsAck.decode(msgsAck(-1, 0)), 'negative').problem).toBe('bad-length');
    expect(Api.MsgsAck.decode(msgsAck(2, 2))).toStrictEqual({ _: 'msgs_ack', msgIds: [0n, 0n] });
    // A bare vector of bare envelopes (msg_container): each needs at least 8 + 4 + 4 + 4 bytes.
    const container = fromHex(wire(0x73f1f8dc) + wire(1) + '00'.repeat(16));
    expect(decodeFails(() => Api.MsgContainer.decode(container), 'container').problem).toBe('bad-length');
  });

  test('a failed encode leaves the shared writer usable', () => {
    const good = Api.InputNotifyPeer({ peer: Api.InputPeerUser({ userId: 1n, accessHash: 2n }) });
    const before = toHex(encodeObject(good));
    const broken = { _: 'inputNotifyPeer', peer: { _: 'inputPeerUser', userId: 1n, accessHash: 'x' } } as unknown as TlObject;
    expect(() => encodeObject(broken)).toThrow(TlEncodeError);
    expect(() => Api.InputNotifyPeer.encode(broken as Api.InputNotifyPeer)).toThrow(TlEncodeError);
    expect(toHex(encodeObject(good))).toBe(before);
  });

  test('decoded bytes view the input unless copyBytes', () => {
    const bytes = Api.IpPortSecret.encode(Api.IpPortSecret({ ipv4: 1, port: 2, secret: new Uint8Array([1, 2, 3]) }));
    const view = Api.IpPortSecret.decode(bytes).secret;
    const copy = Api.IpPortSecret.decode(bytes, { copyBytes: true }).secret;
    bytes[13] = 9;
    expect([...view]).toEqual([9, 2, 3]);
    expect([...copy]).toEqual([1, 2, 3]);
    // Sockets deliver Node Buffers, whose `slice` is a view: copyBytes must still copy.
    const buffer = Buffer.from(Api.IpPortSecret.encode(Api.IpPortSecret({ ipv4: 1, port: 2, secret: new Uint8Array([1, 2, 3]) })));
    const fromBuffer = Api.IpPortSecret.decode(buffer, { copyBytes: true });
    const call = Buffer.from(Api.reqPqMulti.encode(Api.reqPqMulti({ nonce: new Uint8Array(16).fill(5) })));
    const nonce = Api.reqPqMulti.decode(call, { copyBytes: true }).nonce;
    buffer.fill(0);
    call.fill(0);
    expect([...fromBuffer.secret]).toEqual([1, 2, 3]);
    expect(nonce).toStrictEqual(new Uint8Array(16).fill(5));
  });
});
