/**
 * The provider for hosts without node:crypto (browsers, workers, Deno/Bun without the node shim):
 * the WebAssembly SHA-256 (./sha256-wasm.ts; @noble/hashes where WebAssembly is unavailable), @noble/hashes
 * for SHA-1, the shared table AES core for CTR, Web Crypto's getRandomValues for
 * randomness and bigint sliding-window exponentiation.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { MtwireError } from '../base/errors.js';
import { encryptBlockWords, expandKey } from './aes-core.js';
import { modPowBigInt } from './modpow.js';
import type { AesCtr, CryptoProvider } from './provider.js';
import { pooledRandom } from './random-pool.js';
import { wasmSha256 } from './sha256-wasm.js';

function hashParts(hasher: typeof sha1 | typeof sha256, parts: Uint8Array[]): Uint8Array {
  const h = hasher.create();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** AES-256-CTR with a 128-bit big-endian counter, one continuous keystream across `process` calls. */
class PortableAesCtr implements AesCtr {
  private readonly roundKeys: Int32Array;
  private readonly counter: Uint8Array;
  private readonly counterView: DataView;
  private readonly block = new Int32Array(4);
  private readonly keystream = new Uint8Array(16);
  private readonly keystreamView = new DataView(this.keystream.buffer);
  /** Keystream bytes already used; 16 means "generate the next block first". */
  private used = 16;

  constructor(key: Uint8Array, iv: Uint8Array) {
    if (key.length !== 32) throw new MtwireError('CRYPTO_ARGUMENT', `AES-256-CTR key must be 32 bytes, got ${key.length}`);
    if (iv.length !== 16) throw new MtwireError('CRYPTO_ARGUMENT', `AES-CTR IV must be 16 bytes, got ${iv.length}`);
    this.roundKeys = expandKey(key);
    this.counter = new Uint8Array(iv); // a copy: Buffer#slice would alias the caller's IV
    this.counterView = new DataView(this.counter.buffer);
  }

  process(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(data.length);
    const keystream = this.keystream;
    let i = 0;
    // Use up the current keystream block; if data remains, `used` is now 16. Then whole blocks, then a
    // new keystream block for the tail.
    while (this.used < 16 && i < data.length) out[i] = data[i++]! ^ keystream[this.used++]!;
    if (i + 16 <= data.length) {
      // Whole blocks word by word, straight from the AES output words.
      const input = new DataView(data.buffer, data.byteOffset, data.byteLength);
      const output = new DataView(out.buffer);
      const block = this.block;
      for (; i + 16 <= data.length; i += 16) {
        this.encryptCounter();
        for (let j = 0; j < 4; j++) output.setInt32(i + 4 * j, input.getInt32(i + 4 * j, true) ^ block[j]!, true);
      }
    }
    if (i < data.length) {
      this.encryptCounter();
      for (let j = 0; j < 4; j++) this.keystreamView.setInt32(4 * j, this.block[j]!, true);
      this.used = 0;
      while (i < data.length) out[i] = data[i++]! ^ keystream[this.used++]!;
    }
    return out;
  }

  /** Encrypts the counter into `block` (four little-endian column words) and increments the counter. */
  private encryptCounter(): void {
    // The AES core takes little-endian column words; DataView keeps that explicit on any host.
    const block = this.block;
    for (let j = 0; j < 4; j++) block[j] = this.counterView.getInt32(4 * j, true);
    encryptBlockWords(this.roundKeys, block, 0, block, 0);
    for (let j = 15; j >= 0; j--) {
      const byte = (this.counter[j]! + 1) & 0xff;
      this.counter[j] = byte;
      if (byte !== 0) break;
    }
  }
}

/** Web Crypto caps one getRandomValues call at 65536 bytes. */
const RANDOM_CHUNK = 65536;

export const portableCrypto: CryptoProvider = {
  name: 'portable',
  sha1: (...parts) => hashParts(sha1, parts),
  sha256(...parts) {
    // The WebAssembly SHA-256 is 1.8-2.9x faster than @noble/hashes' at every size measured (52 B to 64 KiB).
    const wasm = wasmSha256();
    return wasm ? wasm(parts) : hashParts(sha256, parts);
  },
  createAesCtr: (key, iv) => new PortableAesCtr(key, iv),
  randomBytes: pooledRandom((into) => {
    for (let i = 0; i < into.length; i += RANDOM_CHUNK) crypto.getRandomValues(into.subarray(i, i + RANDOM_CHUNK));
  }),
  modPow: modPowBigInt,
};
