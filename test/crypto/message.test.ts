import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readInt64LE } from '../../src/crypto/bigint.js';
import { authKeyIdFor } from '../../src/crypto/handshake-kdf.js';
import type { Direction } from '../../src/crypto/kdf.js';
import { decryptMessage, encryptMessage } from '../../src/crypto/message.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { SecurityError } from '../../src/crypto/security-error.js';
import { MtwireError } from '../../src/base/errors.js';
import { fixtureJson, fromHex, toHex } from '../helpers.js';
import { PROVIDERS, replayRandom, securityErrorOf } from './helpers.js';

const [clientVector, serverVector] = fixtureJson('mtproto2-kdf.json').full_message_vectors;

interface Header {
  salt: bigint;
  sessionId: bigint;
  msgId: bigint;
  seqNo: number;
}

/** salt | session_id | msg_id | seq_no | message_data_length | message_data, with an optional lying length field. */
function plaintextOf(header: Header, body: Uint8Array, lengthField = body.length): Uint8Array {
  const out = new Uint8Array(32 + body.length);
  const view = new DataView(out.buffer);
  view.setBigInt64(0, header.salt, true);
  view.setBigInt64(8, header.sessionId, true);
  view.setBigInt64(16, header.msgId, true);
  view.setInt32(24, header.seqNo, true);
  view.setUint32(28, lengthField >>> 0, true);
  out.set(body, 32);
  return out;
}

const authKey = fromHex(clientVector.auth_key);
const authKeyId = authKeyIdFor(authKey, nodeCrypto);
const header: Header = { salt: -5n, sessionId: 0x1122334455667788n, msgId: 0x5e0b8e3c00000004n, seqNo: 3 };

describe.each(PROVIDERS)('encrypted messages ($name provider)', (provider) => {
  it('encrypts the grammers client vector (x = 0, 19 zero bytes of padding)', () => {
    const frame = encryptMessage({
      authKey,
      authKeyId,
      plaintext: fromHex(clientVector.plaintext),
      x: 0,
      provider,
      random: replayRandom(fromHex(clientVector.padding)),
    });
    expect(toHex(frame)).toBe(clientVector.output);
  });

  it('decrypts and parses the grammers real server message (x = 8)', () => {
    const frame = fromHex(serverVector.ciphertext);
    const key = fromHex(serverVector.auth_key);
    const id = authKeyIdFor(key, provider);
    expect(toHex(id)).toBe(toHex(frame.subarray(0, 8)));
    const parsed = serverVector.plaintext_parsed_by_us;
    const sessionId = readInt64LE(fromHex(parsed.session_id));
    const message = decryptMessage(key, id, frame, 8, { provider, sessionId });
    expect(message.salt).toBe(readInt64LE(fromHex(parsed.server_salt)));
    expect(message.sessionId).toBe(sessionId);
    expect(message.msgId).toBe(BigInt(parsed.msg_id));
    expect(message.seqNo).toBe(parsed.seq_no);
    expect(toHex(message.body)).toBe(parsed.message_data);
  });

  it('round-trips random messages in both directions', () => {
    fc.assert(
      fc.property(
        fc.record({
          salt: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
          sessionId: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
          msgId: fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }),
          seqNo: fc.nat(),
        }),
        fc.nat(600).chain((words) => fc.uint8Array({ minLength: 4 * words, maxLength: 4 * words })),
        fc.constantFrom<Direction>(0, 8),
        fc.nat(10),
        (h, body, x, extra) => {
          const frame = encryptMessage({ authKey, authKeyId, plaintext: plaintextOf(h, body), x, provider, extraPaddingBlocks: extra });
          const message = decryptMessage(authKey, authKeyId, frame, x, { provider, sessionId: h.sessionId });
          expect(message).toEqual({ ...h, body });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves no auth-key bytes in the arrays behind the frame and the decrypted body', () => {
    for (const x of [0, 8] as const) {
      const frame = encryptMessage({ authKey, authKeyId, plaintext: plaintextOf(header, new Uint8Array(40).fill(7)), x, provider });
      // Bytes in front of the frame's view travel with frame.buffer (to a socket, a worker): never key material.
      expect(toHex(new Uint8Array(frame.buffer, 0, frame.byteOffset))).toBe('00'.repeat(frame.byteOffset));
      const { body } = decryptMessage(authKey, authKeyId, frame, x, { provider });
      expect(toHex(new Uint8Array(body.buffer, 0, body.byteOffset - 32))).toBe('00'.repeat(body.byteOffset - 32));
    }
  });

  it('flipping any bit of a valid frame gives a SecurityError', () => {
    const frame = encryptMessage({ authKey, authKeyId, plaintext: plaintextOf(header, new Uint8Array(40).fill(7)), x: 0, provider });
    fc.assert(
      fc.property(fc.nat(frame.length * 8 - 1), (bit) => {
        const tampered = frame.slice();
        tampered[bit >>> 3]! ^= 1 << (bit & 7);
        const error = securityErrorOf(() => decryptMessage(authKey, authKeyId, tampered, 0, { provider }));
        expect(error.check).toBe(bit < 64 ? 'auth_key_id' : 'msg_key');
        expect(error.message).toBe('message rejected');
      }),
      { numRuns: 200 },
    );
  });
});

describe('decryptMessage rejects, one check at a time', () => {
  const provider = nodeCrypto;
  const encrypt = (plaintext: Uint8Array, extraPaddingBlocks = 0) =>
    encryptMessage({ authKey, authKeyId, plaintext, x: 8, provider, extraPaddingBlocks });
  const checkOf = (frame: Uint8Array, options: { sessionId?: bigint } = {}, id = authKeyId, x: Direction = 8) => {
    const error = securityErrorOf(() => decryptMessage(authKey, id, frame, x, { provider, ...options }));
    expect(error).toBeInstanceOf(MtwireError);
    expect(error.code).toBe('SECURITY_CHECK');
    expect(error.message).toBe('message rejected');
    return error.check;
  };
  const valid = encrypt(plaintextOf(header, new Uint8Array(16)));

  it('a frame shorter than the smallest valid message: frame_length', () => {
    expect(checkOf(valid.subarray(0, 71))).toBe('frame_length');
    expect(checkOf(new Uint8Array(0))).toBe('frame_length');
  });

  // Padded-intermediate framing's extra bytes are the transport codec's to strip (test/transport), never decryption's.
  it('ciphertext not a multiple of 16: frame_length', () => {
    for (let extra = 1; extra < 16; extra++) {
      const padded = new Uint8Array(valid.length + extra);
      padded.set(valid);
      expect(checkOf(padded)).toBe('frame_length');
    }
  });

  it('another auth_key_id: auth_key_id', () => {
    expect(checkOf(valid, {}, fromHex('0000000000000000'))).toBe('auth_key_id');
    expect(checkOf(valid, {}, authKeyId.subarray(0, 7))).toBe('auth_key_id');
  });

  it('msg_key mismatch (tampered ciphertext, wrong direction, tampered msg_key): msg_key', () => {
    const tampered = valid.slice();
    tampered[tampered.length - 1]! ^= 0x80;
    expect(checkOf(tampered)).toBe('msg_key');
    expect(checkOf(valid, {}, authKeyId, 0)).toBe('msg_key');
    const badKey = valid.slice();
    badKey[8]! ^= 1;
    expect(checkOf(badKey)).toBe('msg_key');
  });

  it('message_data_length not a multiple of 4 or past the plaintext: data_length', () => {
    expect(checkOf(encrypt(plaintextOf(header, new Uint8Array(16), 15)))).toBe('data_length');
    expect(checkOf(encrypt(plaintextOf(header, new Uint8Array(16), 10_000)))).toBe('data_length');
    expect(checkOf(encrypt(plaintextOf(header, new Uint8Array(16), -4)))).toBe('data_length');
  });

  it('padding shorter than 12 bytes: padding', () => {
    // 48 bytes + 16 bytes of padding; claiming 8 more data bytes leaves 8 bytes of "padding".
    expect(checkOf(encrypt(plaintextOf(header, new Uint8Array(16), 24)))).toBe('padding');
  });

  it('padding longer than 1024 bytes: padding', () => {
    // 1024 body bytes the length field disowns count as padding on top of the real 16.
    expect(checkOf(encrypt(plaintextOf(header, new Uint8Array(1024), 0)))).toBe('padding');
  });

  it('another session: session_id', () => {
    expect(checkOf(valid, { sessionId: header.sessionId + 1n })).toBe('session_id');
    expect(decryptMessage(authKey, authKeyId, valid, 8, { provider, sessionId: header.sessionId }).seqNo).toBe(3);
  });

  it('every rejection is the same SecurityError shape', () => {
    const errors = [
      securityErrorOf(() => decryptMessage(authKey, authKeyId, valid.subarray(0, 10), 8, { provider })),
      securityErrorOf(() => decryptMessage(authKey, authKeyId, valid, 0, { provider })),
      securityErrorOf(() => decryptMessage(authKey, authKeyId, valid, 8, { provider, sessionId: 1n })),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(SecurityError);
      expect([error.name, error.code, error.message]).toEqual(['SecurityError', 'SECURITY_CHECK', 'message rejected']);
    }
  });
});

describe('encryptMessage arguments', () => {
  it('pads to 12..1024 bytes, a multiple of 16 in total', () => {
    for (let length = 0; length < 64; length++) {
      const frame = encryptMessage({ authKey, authKeyId, plaintext: new Uint8Array(length), x: 0, provider: nodeCrypto });
      const padding = frame.length - 24 - length;
      expect((frame.length - 24) % 16).toBe(0);
      expect(padding).toBeGreaterThanOrEqual(12);
      expect(padding).toBeLessThan(28);
    }
    const widest = encryptMessage({
      authKey,
      authKeyId,
      plaintext: new Uint8Array(36),
      x: 0,
      provider: nodeCrypto,
      extraPaddingBlocks: 63,
    });
    expect(widest.length - 24 - 36).toBe(12 + 63 * 16);
  });

  it('refuses padding over 1024 bytes, a bad auth_key_id and a short random source', () => {
    const base = { authKey, authKeyId, plaintext: new Uint8Array(36), x: 0 as const, provider: nodeCrypto };
    expect(() => encryptMessage({ ...base, extraPaddingBlocks: 64 })).toThrow(MtwireError);
    expect(() => encryptMessage({ ...base, extraPaddingBlocks: -1 })).toThrow(MtwireError);
    expect(() => encryptMessage({ ...base, authKeyId: new Uint8Array(4) })).toThrow(MtwireError);
    expect(() => encryptMessage({ ...base, random: () => new Uint8Array(1) })).toThrow(MtwireError);
  });
});
