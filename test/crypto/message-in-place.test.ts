import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authKeyIdFor } from '../../src/crypto/handshake-kdf.js';
import { FRAMING_ROOM_AFTER, FRAMING_ROOM_BEFORE, decryptMessage, encryptMessage, type MessageData } from '../../src/crypto/message.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { buildPlaintext } from '../../src/mtproto/envelope.js';
import { PROVIDERS, securityErrorOf } from './helpers.js';

const authKey = Uint8Array.from({ length: 256 }, (_, i) => (i * 7 + 3) & 0xff);
const authKeyId = authKeyIdFor(authKey, nodeCrypto);
/** Padding from a fixed pattern, so two encryptions of one plaintext are byte-equal. */
const fixedRandom = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 13) & 0xff);

const fields = fc.record({
  salt: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  sessionId: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  msgId: fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }),
  seqNo: fc.integer({ min: 0, max: 0x7fffffff }),
});
/** Bodies up to 5000 bytes: long ones take the CBC path of IGE encryption (from 2048 bytes). */
const body = fc.integer({ min: 0, max: 1250 }).chain((words) => fc.uint8Array({ minLength: 4 * words, maxLength: 4 * words }));

/** `bytes` as message data written by a callback, the way a container is. */
const written = (bytes: Uint8Array): MessageData => ({ length: bytes.length, writeTo: (out, offset) => out.set(bytes, offset) });

describe.each(PROVIDERS)('message buffers without copies ($name provider)', (provider) => {
  it('the plaintext given as fields (bytes or written data) encrypts exactly as the same plaintext given as bytes', () => {
    fc.assert(
      fc.property(fields, body, fc.constantFrom(0 as const, 8 as const), (h, data, x) => {
        const base = { authKey, authKeyId, x, provider, random: fixedRandom };
        const expected = encryptMessage({ ...base, plaintext: buildPlaintext(h.salt, h.sessionId, h.msgId, h.seqNo, data) });
        expect(encryptMessage({ ...base, plaintext: { ...h, data } })).toEqual(expected);
        expect(encryptMessage({ ...base, plaintext: { ...h, data: written(data) } })).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('a frame comes with zeroed room for a transport header and trailer in its own buffer', () => {
    const frame = encryptMessage({
      authKey,
      authKeyId,
      x: 0,
      provider,
      plaintext: { salt: 1n, sessionId: 2n, msgId: 4n, seqNo: 1, data: new Uint8Array(8) },
    });
    expect(frame.byteOffset).toBe(FRAMING_ROOM_BEFORE);
    const after = new Uint8Array(frame.buffer, frame.byteOffset + frame.length);
    expect(after).toEqual(new Uint8Array(FRAMING_ROOM_AFTER));
  });

  it('decrypts in place: the same message, its body a view of the frame, the frame now holding the plaintext', () => {
    fc.assert(
      fc.property(fields, body, (h, data) => {
        const frame = encryptMessage({ authKey, authKeyId, x: 8, provider, plaintext: { ...h, data } });
        const copied = decryptMessage(authKey, authKeyId, frame, 8, { provider, quickAckToken: true });
        const inPlace = decryptMessage(authKey, authKeyId, frame, 8, { provider, quickAckToken: true, inPlace: true });
        expect(inPlace).toEqual(copied);
        expect(inPlace.body.buffer).toBe(frame.buffer);
        expect(inPlace.body.byteOffset).toBe(frame.byteOffset + 24 + 32);
      }),
      { numRuns: 40 },
    );
  });

  it('in place, a forged frame is rejected as a copy would be', () => {
    const frame = encryptMessage({
      authKey,
      authKeyId,
      x: 0,
      provider,
      plaintext: { salt: 1n, sessionId: 2n, msgId: 4n, seqNo: 1, data: new Uint8Array(64) },
    });
    frame[frame.length - 1]! ^= 1;
    expect(securityErrorOf(() => decryptMessage(authKey, authKeyId, frame, 0, { provider, inPlace: true })).check).toBe('msg_key');
  });
});
