/**
 * RSA key pairs for the in-process test server (node only: key generation needs OpenSSL's prime search).
 */
import { generateKeyPairSync } from 'node:crypto';
import { MtwireError } from '../base/errors.js';
import { bigIntFromBytes } from './bigint.js';
import { rsaFingerprint, type RsaPrivateKey, type RsaPublicKey } from './rsa.js';

export interface RsaKeyPair {
  readonly publicKey: RsaPublicKey;
  readonly privateKey: RsaPrivateKey;
  /** The public key as PKCS#1 PEM, the form Telegram publishes and clients are configured with. */
  readonly publicKeyPem: string;
}

/** Generates a key with e = 65537. RSA_PAD needs 2048 bits, the default. */
export function generateRsaKeyPair(bits = 2048): RsaKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.n === undefined || jwk.e === undefined || jwk.d === undefined || jwk.p === undefined || jwk.q === undefined) {
    throw new MtwireError('CRYPTO_ARGUMENT', 'node:crypto exported an RSA key without n, e, d, p or q');
  }
  const fromBase64url = (text: string): bigint => bigIntFromBytes(Buffer.from(text, 'base64url'));
  const n = fromBase64url(jwk.n);
  const e = fromBase64url(jwk.e);
  return {
    publicKey: { n, e, fingerprint: rsaFingerprint(n, e) },
    privateKey: { n, d: fromBase64url(jwk.d), p: fromBase64url(jwk.p), q: fromBase64url(jwk.q) },
    publicKeyPem: publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}
