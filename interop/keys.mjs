// Server keys for the interop runs.
import { generateRsaKeyPair } from '../dist/src/crypto/rsa-keygen.js';

/**
 * A server key every client can find by its fingerprint. mtcute 0.30.3 indexes keys by the fingerprint in
 * zero-padded hex but looks them up unpadded, so it never finds one whose fingerprint (unsigned) starts with
 * a zero hex digit ("Could not find server public key"): one key in 16. Such keys are drawn again.
 */
export function rsaKeyForEveryClient() {
  for (;;) {
    const key = generateRsaKeyPair();
    if (BigInt.asUintN(64, key.publicKey.fingerprint) >> 60n !== 0n) return key;
  }
}
