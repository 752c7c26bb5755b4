/**
 * The Diffie-Hellman group of end-to-end calls (spec §7 step 1): messages.getDhConfig answers with the
 * server's prime, generator and some random bytes. The group gets exactly the checks of the auth key's
 * (a server that could pick a weak group could read the call), and the server's random bytes are only
 * ever XORed into our own, so a malicious or broken server cannot choose our secret.
 */
import { bigIntFromBytes } from '../crypto/bigint.js';
import { checkDhParams } from '../crypto/dh.js';
import { takeRandom, type CryptoProvider, type RandomSource } from '../crypto/provider.js';
import type { Api } from '../api/index.js';
import { CallError } from './call-error.js';

/** A checked call DH group plus the server randomness of the answer that delivered it. */
export interface CallDhParams {
  readonly p: bigint;
  readonly g: number;
  /** The config version, to send back in the next messages.getDhConfig. */
  readonly version: number;
  /** messages.dhConfig(NotModified).random: mixed into, never used instead of, local randomness. */
  readonly serverRandom: Uint8Array;
}

/** Bytes of server randomness to ask for: one secret's worth (2048 bits). */
export const DH_RANDOM_LENGTH = 256;

/**
 * Keeps the last checked group so that dhConfigNotModified (the answer when our version is current,
 * which carries only fresh random bytes) can reuse it. One instance per client (per account): the
 * version numbers are the server's. A repeated full config is cheap to re-check: checkDhParams
 * remembers primes it has already proven safe.
 */
export class DhConfigCache {
  private cached: { readonly p: bigint; readonly g: number; readonly version: number } | undefined;

  /** The version to send; 0 (no config) makes the server always answer with a full messages.dhConfig. */
  get version(): number {
    return this.cached?.version ?? 0;
  }

  /** The messages.getDhConfig request matching what this cache holds. */
  request(randomLength = DH_RANDOM_LENGTH): Api.messages.getDhConfig {
    return { _: 'messages.getDhConfig', version: this.version, randomLength };
  }

  /**
   * Checks a messages.getDhConfig answer and returns the group to use for one call. A refused group
   * throws SecurityError (checkDhParams' check names) and leaves the cache as it was; dhConfigNotModified
   * without a cached group throws CallError('dh_config_missing').
   */
  accept(answer: Api.messages.TypeDhConfig, provider: CryptoProvider): CallDhParams {
    if (answer._ === 'messages.dhConfigNotModified') {
      if (this.cached === undefined) {
        throw new CallError('dh_config_missing', 'messages.dhConfigNotModified without a cached DH config');
      }
      return { ...this.cached, serverRandom: answer.random };
    }
    const p = bigIntFromBytes(answer.p);
    checkDhParams(p, answer.g, provider);
    this.cached = { p, g: answer.g, version: answer.version };
    return { p, g: answer.g, version: answer.version, serverRandom: answer.random };
  }
}

/** Draws before giving up: each draw lands in range with probability p / 2^2048 > 1/2. */
const MAX_SECRET_DRAWS = 64;

/**
 * The random source for one call secret (a or b): local bytes XOR the server's, redrawn until the
 * secret is in 1 < x < p-1 (rejection keeps it uniform, unlike reducing mod p-1). Pass it to
 * generateDhKeyPair as `random`.
 */
export function callSecretSource(dh: CallDhParams, local: RandomSource): RandomSource {
  return (length) => {
    for (let draw = 0; draw < MAX_SECRET_DRAWS; draw++) {
      const bytes = new Uint8Array(takeRandom(local, length)); // a copy: never write into the source's array
      dh.serverRandom.subarray(0, length).forEach((b, i) => (bytes[i]! ^= b));
      const secret = bigIntFromBytes(bytes);
      if (secret > 1n && secret < dh.p - 1n) return bytes;
    }
    throw new CallError('random_source', `no DH secret in range after ${MAX_SECRET_DRAWS} draws`);
  };
}
