import { createCipheriv, createHash, randomFillSync } from 'node:crypto';
import type { AesCtr, CryptoProvider } from './provider.js';

function hash(algorithm: string, parts: Uint8Array[]): Uint8Array {
  const h = createHash(algorithm);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** The node:crypto provider (OpenSSL underneath). */
export const nodeCrypto: CryptoProvider = {
  name: 'node',
  sha1: (...parts) => hash('sha1', parts),
  sha256: (...parts) => hash('sha256', parts),
  createAesCtr(key, iv): AesCtr {
    const cipher = createCipheriv('aes-256-ctr', key, iv);
    return { process: (data) => new Uint8Array(cipher.update(data)) };
  },
  randomBytes: (length) => randomFillSync(new Uint8Array(length)),
  modPow(base, exponent, modulus) {
    // Placeholder square-and-multiply; the crypto work replaces it with the OpenSSL-backed path.
    let result = 1n;
    base %= modulus;
    while (exponent > 0n) {
      if (exponent & 1n) result = (result * base) % modulus;
      base = (base * base) % modulus;
      exponent >>= 1n;
    }
    return result;
  },
};
