import { bigIntFromBytes, bigIntToBytes } from '../../src/crypto/bigint.js';
import { generateRsaKeyPair } from '../../src/crypto/rsa-keygen.js';
import type { RsaPrivateKey, RsaPublicKey } from '../../src/crypto/rsa.js';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { MtwireError } from '../../src/base/errors.js';
import type { MsgIdSource } from '../../src/mtproto/msg-id.js';
import { decodePlainMessage, encodePlainMessage } from '../../src/mtproto/plain-message.js';

export { PROVIDERS, replayRandom, securityErrorOf } from '../crypto/helpers.js';

/** Hands out recorded msg_ids in order (the official samples' ids carry sub-millisecond fractions no ms clock can give). */
export function recordedMsgIds(...ids: bigint[]): MsgIdSource {
  let next = 0;
  return {
    next() {
      const id = ids[next++];
      if (id === undefined) throw new Error('recorded msg_ids exhausted');
      return id;
    },
  };
}

/** A deterministic "random" source: fixed chunks first (each checked for length), then a counter pattern. */
export function seededRandom(...prefix: Uint8Array[]): (length: number) => Uint8Array {
  let counter = 1;
  return (length) => {
    const chunk = prefix.shift();
    if (chunk !== undefined) {
      if (chunk.length !== length) throw new Error(`random chunk has ${chunk.length} bytes, ${length} requested`);
      return chunk;
    }
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = (counter * 131 + i * 31 + (i >> 3)) & 0xff;
    counter++;
    return out;
  };
}

export function filled(length: number, byte: number): Uint8Array {
  return new Uint8Array(length).fill(byte);
}

/** A whole unencrypted message from the server side (odd msg_id) around `body`. */
let serverMsgId = 0x6000_0000_0000_0001n;
export function fromServer(body: Uint8Array): Uint8Array {
  serverMsgId += 4n;
  return encodePlainMessage(serverMsgId, body);
}

export function bodyOf(message: Uint8Array): Uint8Array {
  return decodePlainMessage(message).body;
}

/** One RSA key pair per test file: generation costs up to a second. */
let keyPair: { publicKey: RsaPublicKey; serverKey: RsaPrivateKey & RsaPublicKey } | undefined;
export function serverKeyPair(): { publicKey: RsaPublicKey; serverKey: RsaPrivateKey & RsaPublicKey } {
  if (!keyPair) {
    const { publicKey, privateKey } = generateRsaKeyPair();
    keyPair = { publicKey, serverKey: { ...publicKey, ...privateKey } };
  }
  return keyPair;
}

/** The pre-RSA_PAD client encryption, RSA(SHA1(data) + data + random) over 255 bytes, which the server still accepts. */
export function legacyRsaEncrypt(data: Uint8Array, key: RsaPublicKey, provider: CryptoProvider): Uint8Array {
  const block = new Uint8Array(255);
  block.set(provider.sha1(data));
  block.set(data, 20);
  block.set(provider.randomBytes(255 - 20 - data.length), 20 + data.length);
  return bigIntToBytes(provider.modPow(bigIntFromBytes(block), key.e, key.n), 256);
}

/** Runs `fn`; returns normally or throws only an MtwireError (never a bare TypeError/RangeError). */
export function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof MtwireError)) throw error;
  }
}
