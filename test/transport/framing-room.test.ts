import { describe, expect, it } from 'vitest';
import { authKeyIdFor } from '../../src/crypto/handshake-kdf.js';
import { encryptMessage } from '../../src/crypto/message.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { FrameCodec, type Framing } from '../../src/transport/framing.js';
import { FRAMINGS, MODES, codecPair, digest, modeName, payloadsOf } from './helpers.js';

const authKey = Uint8Array.from({ length: 256 }, (_, i) => (i * 5 + 1) & 0xff);
const authKeyId = authKeyIdFor(authKey, nodeCrypto);
/** Bytes in front of the payload: abridged's short and long forms, intermediate's length, full's length and seq. */
const headerLength = (framing: Framing, payload: number): number =>
  framing === 'abridged' ? (payload / 4 < 0x7f ? 1 : 4) : framing === 'full' ? 8 : 4;

/** An encrypted message as the sessions make it: 24 + a multiple of 16 bytes, with framing room around it. */
const encrypted = (dataLength: number): Uint8Array =>
  encryptMessage({
    authKey,
    authKeyId,
    x: 0,
    provider: nodeCrypto,
    plaintext: { salt: 1n, sessionId: 2n, msgId: 4n, seqNo: 1, data: new Uint8Array(dataLength).fill(0x5a) },
  });

/** Encrypted messages of 72 bytes (abridged's one-byte header), 1,080 (its four-byte one) and 70,040. */
const SIZES = [0, 1000, 70000];

describe.each(MODES.map((mode) => [modeName(mode), mode] as const))('%s: an encrypted message is framed around itself', (_, mode) => {
  it('both directions deliver it byte-exactly; unobfuscated, the frame is a view of the message buffer', () => {
    const { client, server } = codecPair(mode.framing, mode.obfuscated);
    for (const [send, receive] of [
      [client, server],
      [server, client],
    ] as const) {
      for (const size of SIZES) {
        const message = encrypted(size);
        const expected = digest([message]);
        const frame = send.encode(message);
        if (!mode.obfuscated) {
          expect(frame.buffer).toBe(message.buffer);
          expect(frame.byteOffset).toBe(message.byteOffset - headerLength(mode.framing, message.length));
        }
        expect(digest(payloadsOf(receive.decode(frame)))).toEqual(expected);
      }
    }
  });

  it('a message framed twice is copied the second time: the first frame, maybe still queued, keeps its bytes', () => {
    const { client, server } = codecPair(mode.framing, mode.obfuscated);
    const message = encrypted(1000);
    const first = client.encode(message);
    const firstBytes = first.slice();
    const second = client.encode(message);
    expect(second.buffer).not.toBe(message.buffer);
    expect(first).toEqual(firstBytes);
    expect(digest(payloadsOf(server.decode(first)))).toEqual(digest([message]));
    expect(digest(payloadsOf(server.decode(second)))).toEqual(digest([message]));
  });
});

describe.each(FRAMINGS)('%s: any other payload is copied into a new frame', (framing) => {
  it("never writes around a view of someone else's buffer", () => {
    const codec = new FrameCodec({ framing, side: 'client', random: (n) => new Uint8Array(n) });
    const owner = new Uint8Array(200).fill(0xa5);
    const payload = owner.subarray(48, 48 + 72);
    const frame = codec.encode(payload);
    expect(frame.buffer).not.toBe(owner.buffer);
    expect(owner).toEqual(new Uint8Array(200).fill(0xa5));
  });
});
