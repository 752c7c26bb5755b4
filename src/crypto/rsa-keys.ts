/**
 * Telegram's published RSA public keys and the key ring a client picks from when resPQ lists the
 * fingerprints the server can decrypt for.
 *
 * Moduli and fingerprints are facts cross-checked in shared/vectors (rsa-pad.json, samples-auth-key.json);
 * test/crypto/rsa.test.ts recomputes every fingerprint from n and e.
 */
import { rsaPublicKeyFromPem } from './rsa-pem.js';
import type { RsaPublicKey } from './rsa.js';

/** The production key, fingerprint 0xd09d1d85de64fd85 (wire bytes 85fd64de851d9dd0). */
export const TELEGRAM_PRODUCTION_KEY: RsaPublicKey = {
  n: BigInt(
    '0x' +
      'e8bb3305c0b52c6cf2afdf7637313489e63e05268e5badb601af417786472e5f93b85438968e20e6729a301c0afc121b' +
      'f7151f834436f7fda680847a66bf64accec78ee21c0b316f0edafe2f41908da7bd1f4a5107638eeb67040ace472a14f9' +
      '0d9f7c2b7def99688ba3073adb5750bb02964902a359fe745d8170e36876d4fd8a5d41b2a76cbff9a13267eb9580b2d0' +
      '6d10357448d20d9da2191cb5d8c93982961cdfdeda629e37f1fb09a0722027696032fe61ed663db7a37f6f263d370f69' +
      'db53a0dc0a1748bdaaff6209d5645485e6e001d1953255757e4b8e42813347b11da6ab500fd0ace7e6dfa3736199ccaf' +
      '9397ed0745a427dcfa6cd67bcb1acff3',
  ),
  e: 65537n,
  fingerprint: -3414540481677951611n,
};

/** The test-DC key, fingerprint 0xb25898df208d2603 (wire bytes 03268d20df9858b2). */
export const TELEGRAM_TEST_KEY: RsaPublicKey = {
  n: BigInt(
    '0x' +
      'c8c11d635691fac091dd9489aedced2932aa8a0bcefef05fa800892d9b52ed03200865c9e97211cb2ee6c7ae96d3fb0e' +
      '15aeffd66019b44a08a240cfdd2868a85e1f54d6fa5deaa041f6941ddf302690d61dc476385c2fa655142353cb4e4b59' +
      'f6e5b6584db76fe8b1370263246c010c93d011014113ebdf987d093f9d37c2be48352d69a1683f8f6e6c2167983c761e' +
      '3ab169fde5daaa12123fa1beab621e4da5935e9c198f82f35eae583a99386d8110ea6bd1abb0f568759f62694419ea5f' +
      '69847c43462abef858b4cb5edc84e7b9226cd7bd7e183aa974a712c079dde85b9dc063b8a5c08e8f859c0ee5dcd824c7' +
      '807f20153361a7f63cfd2a433a1be7f5',
  ),
  e: 65537n,
  fingerprint: -5595554452916591101n,
};

export const TELEGRAM_PUBLIC_KEYS: readonly RsaPublicKey[] = [TELEGRAM_PRODUCTION_KEY, TELEGRAM_TEST_KEY];

/**
 * The keys a client is willing to encrypt p_q_inner_data for, by fingerprint. Starts with Telegram's
 * keys by default; add your own server's key (an RsaPublicKey or its PEM), or start from an empty ring
 * to trust only yours.
 */
export class RsaKeyRing {
  private readonly keys = new Map<bigint, RsaPublicKey>();

  constructor(keys: Iterable<RsaPublicKey> = TELEGRAM_PUBLIC_KEYS) {
    for (const key of keys) this.add(key);
  }

  add(key: RsaPublicKey | string): RsaPublicKey {
    const parsed = typeof key === 'string' ? rsaPublicKeyFromPem(key) : key;
    this.keys.set(parsed.fingerprint, parsed);
    return parsed;
  }

  get(fingerprint: bigint): RsaPublicKey | undefined {
    return this.keys.get(fingerprint);
  }

  /** The first of the server's fingerprints (resPQ order) that this ring has a key for. */
  pick(serverFingerprints: readonly bigint[]): RsaPublicKey | undefined {
    for (const fingerprint of serverFingerprints) {
      const key = this.keys.get(fingerprint);
      if (key) return key;
    }
    return undefined;
  }
}
