import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { authKeyIdFor } from '../../src/crypto/handshake-kdf.js';
import { decryptMessage, encryptMessage } from '../../src/crypto/message.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { looksCompressible, type Compression } from '../../src/mtproto/compression.js';
import {
  buildPlaintext,
  constructorIdOf,
  gzipPackedIfWorthIt,
  ids,
  unpackContainer,
  unpackGzipPacked,
} from '../../src/mtproto/envelope.js';
import { MsgIdGenerator } from '../../src/mtproto/msg-id.js';
import { ServerSalts } from '../../src/mtproto/server-salts.js';
import { ServerSession } from '../../src/mtproto/server-session.js';
import { nodeCompression } from '../../src/platform/compression.js';

const random = (n: number): Uint8Array => nodeCrypto.randomBytes(n);
/** A TL-like body: a constructor id, then the same few records again and again, as a list of users is. */
function repetitive(length: number): Uint8Array {
  const text = new TextEncoder().encode('user#d3bc4b7a id:1000 first_name:"Alice" username:"alice" status:online; ');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = text[i % text.length]!;
  new DataView(out.buffer).setUint32(0, 0x2e13f4c3, true);
  return out;
}

/** nodeCompression with a count of gzip calls. */
function countingCompression(): Compression & { gzip: ReturnType<typeof vi.fn> } {
  return { gzip: vi.fn((data: Uint8Array) => nodeCompression.gzip(data)), gunzip: nodeCompression.gunzip };
}

describe('looksCompressible', () => {
  it('takes random bytes (media, encrypted or compressed data) for incompressible at every size', () => {
    for (const n of [1025, 4096, 65536, 1 << 20]) expect(looksCompressible(random(n))).toBe(false);
    const letters = random(1 << 16).map((b) => 97 + (b % 26)); // ~4.7 bits a byte: deflate's output of it is dense
    expect(looksCompressible(letters)).toBe(true);
    expect(looksCompressible(nodeCompression.gzip(letters))).toBe(false);
  });

  it('takes text and repetitive TL for compressible', () => {
    for (const n of [1025, 4096, 1 << 20]) expect(looksCompressible(repetitive(n))).toBe(true);
    expect(looksCompressible(new Uint8Array(2048))).toBe(true);
  });
});

describe('gzipPackedIfWorthIt', () => {
  it('returns a body at or under the threshold untouched, without calling gzip', () => {
    const compression = countingCompression();
    const body = repetitive(1024);
    expect(gzipPackedIfWorthIt(body, compression, 1024)).toBe(body);
    expect(gzipPackedIfWorthIt(repetitive(4096), compression, Infinity)).toHaveLength(4096);
    expect(compression.gzip).not.toHaveBeenCalled();
  });

  it('never hands incompressible or already packed bodies to gzip', () => {
    const compression = countingCompression();
    fc.assert(
      fc.property(fc.integer({ min: 1025, max: 200_000 }), (n) => {
        const body = random(n);
        expect(gzipPackedIfWorthIt(body, compression, 1024)).toBe(body);
      }),
      { numRuns: 30 },
    );
    const packed = gzipPackedIfWorthIt(repetitive(8192), nodeCompression, 1024);
    expect(constructorIdOf(packed)).toBe(ids.gzipPacked);
    expect(gzipPackedIfWorthIt(packed, compression, 16)).toBe(packed);
    expect(compression.gzip).not.toHaveBeenCalled();
  });

  it('packs a compressible body over the threshold into gzip_packed that inflates back to it', () => {
    const body = repetitive(5000);
    const packed = gzipPackedIfWorthIt(body, nodeCompression, 1024);
    expect(constructorIdOf(packed)).toBe(ids.gzipPacked);
    expect(packed.length).toBeLessThan(body.length / 4);
    expect(unpackGzipPacked(packed, nodeCompression, 1 << 20)).toEqual(body);
  });
});

describe('ServerSession gzipAbove', () => {
  const authKey = random(256);
  const authKeyId = authKeyIdFor(authKey, nodeCrypto);
  const now = () => 1_700_000_000_000;

  /** The result bytes inside the rpc_result the session sends for one 3000-byte compressible answer. */
  function answerWith(gzipAbove: number | undefined): Uint8Array {
    const session = new ServerSession({
      crypto: nodeCrypto,
      now,
      compression: nodeCompression,
      authKey,
      sessionId: 7n,
      salts: new ServerSalts(5n, now() / 1000, random),
      gzipAbove,
    });
    const msgId = new MsgIdGenerator(now).next('client');
    const query = new Uint8Array([0x62, 0x8d, 0x01, 0x1f]); // any id that is not a service message
    const frame = encryptMessage({ authKey, authKeyId, plaintext: buildPlaintext(5n, 7n, msgId, 1, query), x: 0, provider: nodeCrypto });
    session.receive(decryptMessage(authKey, authKeyId, frame, 0, { provider: nodeCrypto }));
    expect(session.reply(msgId, repetitive(3000))).toBe(true);
    const [out] = session.flush();
    const body = decryptMessage(authKey, authKeyId, out!, 8, { provider: nodeCrypto }).body;
    const answer = unpackContainer(body).find((m) => constructorIdOf(m.body) === ids.rpcResult)!;
    return answer.body.subarray(12);
  }

  it('packs a 3000-byte answer by default and sends it as it is with gzipAbove 4096', () => {
    expect(constructorIdOf(answerWith(undefined))).toBe(ids.gzipPacked);
    expect(answerWith(4096)).toEqual(repetitive(3000));
  });
});
