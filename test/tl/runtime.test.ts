import { describe, expect, test } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { TlReader, TlWriter, TlDecodeError, TlEncodeError, encodeWith } from '../../src/tl/runtime.js';
import { Api, decodeObject, encodeObject, objectFromJson, objectToJson } from '../../src/api/index.js';
import { fixtureJson, fromHex, toHex } from '../helpers.js';

const vectors = fixtureJson('tl-primitives.json');

/** Maps the call text of a vector (mtcute's writer API) onto ours, and the read that must give the value back. */
function primitive(call: string): [write: (w: TlWriter) => void, read: (r: TlReader) => unknown, value: unknown] {
  const arg = call.slice(call.indexOf('(') + 1, -1);
  const num = Number(arg);
  if (call.startsWith('w.int(')) return [(w) => w.int32(num), (r) => r.int32(), num];
  if (call.startsWith('w.uint(')) return [(w) => w.int32(num), (r) => r.uint32(), num];
  if (call.startsWith('w.int53(')) return [(w) => w.int64(num), (r) => r.int64(), BigInt(num)];
  if (call.startsWith('w.long(')) {
    const v = arg === 'Long.NEG_ONE' ? -1n : BigInt(/'(-?\d+)'/.exec(arg)![1]!);
    return [(w) => w.int64(v), (r) => r.int64(), v];
  }
  if (call.startsWith('w.double(')) return [(w) => w.double(num), (r) => r.double(), num];
  if (call.startsWith('w.boolean(')) return [(w) => w.bool(arg === 'true'), (r) => r.bool(), arg === 'true'];
  if (call.startsWith('w.bytes(')) {
    const bytes = new Uint8Array(JSON.parse(/\[(.*)\]/.exec(arg)![0]));
    return [(w) => w.bytes(bytes), (r) => r.bytes(), bytes];
  }
  if (call.startsWith('w.string(')) return [(w) => w.string('test'), (r) => r.string(), 'test'];
  throw new Error(`no mapping for ${call}`);
}

describe('primitive vectors (fixtures/tl-primitives.json)', () => {
  const cases: [string, string][] = vectors.primitives.map((v: { call: string; hex: string }) => [v.call, v.hex]);
  test.each(cases)('%s → %s', (call, hex) => {
    const [write, read, value] = primitive(call);
    expect(toHex(encodeWith((w) => write(w), undefined))).toBe(hex);
    const r = new TlReader(fromHex(hex));
    expect(read(r)).toEqual(value);
    r.assertEnd();
  });
});

describe('writer edge cases', () => {
  const enc = (f: (w: TlWriter) => void) => toHex(encodeWith(f, undefined));

  test('long -4294967296 as a number and as a bigint', () => {
    expect(enc((w) => w.int64(-4294967296))).toBe('00000000ffffffff');
    expect(enc((w) => w.int64(-4294967296n))).toBe('00000000ffffffff');
    expect(new TlReader(fromHex('00000000ffffffff')).int64()).toBe(-4294967296n);
  });

  test('long range ends; unsigned 64-bit values keep their bits', () => {
    expect(enc((w) => w.int64(-(2n ** 63n)))).toBe('0000000000000080');
    expect(enc((w) => w.int64(2n ** 63n - 1n))).toBe('ffffffffffffff7f');
    expect(enc((w) => w.int64(2n ** 64n - 1n))).toBe('ffffffffffffffff');
    expect(() => enc((w) => w.int64(2n ** 64n))).toThrow(TlEncodeError);
    expect(() => enc((w) => w.int64(-(2n ** 63n) - 1n))).toThrow(TlEncodeError);
    expect(() => enc((w) => w.int64(2 ** 53))).toThrow(TlEncodeError);
    expect(() => enc((w) => w.int64(1.5))).toThrow(TlEncodeError);
  });

  test('int accepts int32 and uint32, rejects the rest', () => {
    expect(enc((w) => w.int32(0xffffffff))).toBe('ffffffff');
    expect(enc((w) => w.int32(-(2 ** 31)))).toBe('00000080');
    for (const bad of [2 ** 32, -(2 ** 31) - 1, 1.5, NaN, '1', undefined]) {
      expect(() => enc((w) => w.int32(bad as number))).toThrow(TlEncodeError);
    }
  });

  test('bytes of 253 and 254 take the short and the long header', () => {
    const h253 = enc((w) => w.bytes(new Uint8Array(253).fill(7)));
    expect(h253.slice(0, 2)).toBe('fd');
    expect(h253.length / 2).toBe(256);
    const h254 = enc((w) => w.bytes(new Uint8Array(254).fill(7)));
    expect(h254.slice(0, 8)).toBe('fefe0000');
    expect(h254.length / 2).toBe(260);
    expect(h254.slice(-4)).toBe('0000');
  });

  test('a string whose UTF-8 grows past 253 bytes gets the long header', () => {
    const s = 'я'.repeat(200); // 200 UTF-16 units, 400 UTF-8 bytes
    const bytes = encodeWith((w, v: string) => w.string(v), s);
    expect(toHex(bytes.subarray(0, 4))).toBe('fe900100');
    expect(bytes.length).toBe(404);
    expect(new TlReader(bytes).string()).toBe(s);
  });

  test('strings: empty, ASCII, multi-byte, astral, long', () => {
    for (const s of ['', 'a', 'abc', 'Фамилия', '🎉 party', 'x'.repeat(1000), 'ü'.repeat(5000)]) {
      const bytes = encodeWith((w, v: string) => w.string(v), s);
      expect(bytes.length % 4).toBe(0);
      const r = new TlReader(bytes);
      expect(r.string()).toBe(s);
      r.assertEnd();
    }
  });

  test('a writer reused after an error starts clean', () => {
    expect(() => encodeObject({ _: 'inputUser', userId: 1n, accessHash: 'no' } as never)).toThrow(TlEncodeError);
    expect(toHex(encodeObject(new Api.InputUser({ userId: 1, accessHash: 2 })))).toBe('c65811f201000000000000000200000000000000');
  });

  test('int128 and int256 must have exact lengths', () => {
    expect(() => enc((w) => w.fixed(new Uint8Array(15), 16))).toThrow(TlEncodeError);
    expect(() => enc((w) => w.fixed(new Uint8Array(16), 32))).toThrow(TlEncodeError);
  });
});

describe('reader strictness', () => {
  test('short input is an error with the offset, never a short value', () => {
    const err = (() => {
      try {
        new TlReader(fromHex('0474657374')).string();
      } catch (e) {
        return e as TlDecodeError;
      }
    })();
    expect(err).toBeInstanceOf(TlDecodeError);
    expect(err!.problem).toBe('truncated');
    expect(err!.offset).toBe(0);
    expect(() => new TlReader(fromHex('010203')).int32()).toThrow(TlDecodeError);
  });

  test('non-zero padding, a 0xfe header for a short length, and a 0xff header are errors', () => {
    expect(() => new TlReader(fromHex('0474657374000001')).string()).toThrow(/non-zero padding at byte offset 7/);
    expect(() => new TlReader(fromHex('fe03000061626300')).string()).toThrow(/long length header for 3 bytes/);
    expect(() => new TlReader(fromHex('ff000000')).bytes()).toThrow(TlDecodeError);
  });

  test('a Bool that is neither boolTrue nor boolFalse names the id', () => {
    expect(() => new TlReader(fromHex('78563412')).bool()).toThrow('unknown constructor #12345678 for type Bool at byte offset 0');
  });

  test('a vector count larger than the input is refused before allocating', () => {
    const r = new TlReader(fromHex('15c4b51cffffff7f01000000'));
    expect(() => r.vector(4)).toThrow(/vector count 2147483647 does not fit/);
  });

  test('trailing bytes after a complete object are an error unless allowed', () => {
    const bytes = fromHex('c65811f20100000000000000020000000000000000000000');
    expect(() => decodeObject(bytes)).toThrow(/4 trailing bytes/);
    expect(decodeObject(bytes, { allowTrailing: true })).toEqual({ _: 'inputUser', userId: 1n, accessHash: 2n });
  });

  test('bytes are zero-copy views unless copyBytes is asked for', () => {
    const input = fromHex('03010203');
    const view = new TlReader(input).bytes();
    input[1] = 9;
    expect(view[0]).toBe(9);
    const r = new TlReader(input);
    r.copyBytes = true;
    const copy = r.bytes();
    input[1] = 1;
    expect(copy[0]).toBe(9);
  });
});

describe('objects nested deeper than the call stack', () => {
  /** textBold(textBold(… textPlain)): RichText contains itself, 4 bytes a level on the wire. */
  const nested = (depth: number): unknown => {
    let t: unknown = { _: 'textPlain', text: 'x' };
    for (let i = 0; i < depth; i++) t = { _: 'textBold', text: t };
    return t;
  };
  const deep = nested(100_000);

  test('encoding one is a TlEncodeError, and the shared writer works right after', () => {
    expect(() => encodeObject(deep as never)).toThrow(TlEncodeError);
    expect(toHex(encodeObject({ _: 'textPlain', text: 'ok' } as never))).toBe('e0944674026f6b00');
  });

  test('decoding one is a TlDecodeError', () => {
    const bytes = new Uint8Array(4 * 100_000 + 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < 100_000; i++) view.setUint32(4 * i, Api.TextBold.id, true);
    view.setUint32(4 * 100_000, Api.TextEmpty.id, true);
    expect(() => decodeObject(bytes.subarray(0, 4 * 100_001))).toThrow(TlDecodeError);
  });

  test('JSON conversion of one is a TlEncodeError both ways', () => {
    expect(() => objectToJson(deep)).toThrow(TlEncodeError);
    let json: unknown = { _: 'textPlain', text: 'x' };
    for (let i = 0; i < 100_000; i++) json = { _: 'textBold', text: json };
    expect(() => objectFromJson(json)).toThrow(TlEncodeError);
  });

  test('moderate depth still round-trips', () => {
    const value = nested(500);
    expect(decodeObject(encodeObject(value as never))).toEqual(value);
    expect(objectFromJson(objectToJson(value))).toEqual(value);
  });
});

describe('service messages', () => {
  test('resPQ from the official samples page', () => {
    const msg = fromHex(vectors.resPQ.hex);
    const res = Api.ResPQ.decode(msg.subarray(20));
    expect(toHex(res.nonce)).toBe(vectors.resPQ.fields.nonce.toLowerCase());
    expect(toHex(res.serverNonce)).toBe(vectors.resPQ.fields.server_nonce.toLowerCase());
    expect(toHex(res.pq)).toBe(vectors.resPQ.fields.pq.toLowerCase());
    expect(res.serverPublicKeyFingerprints).toEqual([BigInt.asIntN(64, BigInt('0x' + vectors.resPQ.fields.fingerprints_uint64_hex[0]))]);
    expect(toHex(Api.ResPQ.encode(res))).toBe(toHex(msg.subarray(20)));
  });

  test('a real server msg_container with new_session_created and pong', () => {
    const sm = vectors.service_messages;
    const container = Api.MsgContainer.decode(fromHex(sm.msg_container_body));
    expect(container.messages).toHaveLength(2);
    const [first, second] = container.messages;
    expect(first!.seqno).toBe(1);
    expect(first!.bytes).toBe(28);
    expect(first!.body).toEqual({
      _: 'new_session_created',
      firstMsgId: new TlReader(fromHex(sm.inner_message_1.first_msg_id_wire)).int64(),
      uniqueId: new TlReader(fromHex(sm.inner_message_1.unique_id_wire)).int64(),
      serverSalt: new TlReader(fromHex(sm.inner_message_1.server_salt_wire)).int64(),
    });
    expect(second!.body).toMatchObject({ _: 'pong', pingId: 0x300864n });
    expect(toHex(Api.MsgContainer.encode(container))).toBe(sm.msg_container_body);
  });

  test('an rpc_result carrying gzip_packed from a real server', () => {
    const g = vectors.gzip_rpc_result;
    const result = Api.RpcResult.decode(fromHex(g.hex));
    expect(result.reqMsgId).toBe(new TlReader(fromHex(g.req_msg_id_wire)).int64());
    const packed = result.result as Api.GzipPacked;
    expect(packed._).toBe('gzip_packed');
    expect(packed.packedData.length).toBe(g.packed_data_len);
    expect(toHex(gunzipSync(packed.packedData))).toBe(g.decompressed_hex);
    expect(toHex(Api.RpcResult.encode(result))).toBe(g.hex);
  });
});
