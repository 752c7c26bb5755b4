import { describe, expect, it } from 'vitest';
import { bigIntFromBytes, bigIntToBytes } from '../../src/crypto/bigint.js';
import { TELEGRAM_DH_PRIME } from '../../src/crypto/dh.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { callSecretSource, DhConfigCache, DH_RANDOM_LENGTH } from '../../src/calls/dh-config.js';
import { Api } from '../../src/api/index.js';
import { replayRandom, securityErrorOf } from '../crypto/helpers.js';
import { callErrorOf, telegramDh } from './helpers.js';

const P_BYTES = bigIntToBytes(TELEGRAM_DH_PRIME, 256);

function dhConfig(p: Uint8Array, g: number, version: number, random: Uint8Array = new Uint8Array(256).fill(7)): Api.messages.DhConfig {
  return { _: 'messages.dhConfig', g, p, version, random };
}

describe('DhConfigCache', () => {
  it('asks with version 0 until it holds a config, then with that version', () => {
    const cache = new DhConfigCache();
    expect(cache.request()).toEqual({ _: 'messages.getDhConfig', version: 0, randomLength: DH_RANDOM_LENGTH });
    cache.accept(dhConfig(P_BYTES, 3, 42), nodeCrypto);
    expect(cache.version).toBe(42);
    // The request is a valid TL method object.
    expect(Api.messages.getDhConfig.decode(Api.messages.getDhConfig.encode(cache.request(64)))).toEqual({
      _: 'messages.getDhConfig',
      version: 42,
      randomLength: 64,
    });
  });

  it("accepts Telegram's group with g = 3 and returns the answer's random", () => {
    const random = nodeCrypto.randomBytes(256);
    const dh = new DhConfigCache().accept(dhConfig(P_BYTES, 3, 1, random), nodeCrypto);
    expect(dh).toEqual({ p: TELEGRAM_DH_PRIME, g: 3, version: 1, serverRandom: random });
  });

  it('reuses the cached group for dhConfigNotModified, with the fresh random', () => {
    const cache = new DhConfigCache();
    cache.accept(dhConfig(P_BYTES, 3, 5), nodeCrypto);
    const random = new Uint8Array(256).fill(9);
    expect(cache.accept({ _: 'messages.dhConfigNotModified', random }, nodeCrypto)).toEqual({
      p: TELEGRAM_DH_PRIME,
      g: 3,
      version: 5,
      serverRandom: random,
    });
  });

  it('refuses dhConfigNotModified with nothing cached', () => {
    const cache = new DhConfigCache();
    callErrorOf(() => cache.accept({ _: 'messages.dhConfigNotModified', random: new Uint8Array(256) }, nodeCrypto), 'dh_config_missing');
  });

  it.each([
    ['a 2047-bit prime', bigIntToBytes(1n << 2046n, 256), 3, 'dh_prime_range'],
    ['a 2049-bit prime', bigIntToBytes(TELEGRAM_DH_PRIME << 1n), 3, 'dh_prime_range'],
    ['g = 1', P_BYTES, 1, 'dh_g_range'],
    ['g = 8', P_BYTES, 8, 'dh_g_range'],
    ['g = 2, a non-residue mod this prime (p mod 8 = 3)', P_BYTES, 2, 'dh_g_residue'],
    ['g = 5, a non-residue mod this prime (p mod 5 = 3)', P_BYTES, 5, 'dh_g_residue'],
    ['p + 4, not a safe prime (g = 4 passes every residue rule)', bigIntToBytes(TELEGRAM_DH_PRIME + 4n, 256), 4, 'dh_prime_not_safe'],
  ])('refuses %s and keeps the previous config', (_name, p, g, check) => {
    const cache = new DhConfigCache();
    cache.accept(dhConfig(P_BYTES, 3, 1), nodeCrypto);
    expect(securityErrorOf(() => cache.accept(dhConfig(p, g, 2), nodeCrypto)).check).toBe(check);
    expect(cache.version).toBe(1);
    expect(cache.accept({ _: 'messages.dhConfigNotModified', random: new Uint8Array(256) }, nodeCrypto).p).toBe(TELEGRAM_DH_PRIME);
  });
});

describe('callSecretSource', () => {
  it('XORs the server random into the local bytes, never using either alone', () => {
    const dh = telegramDh(new Uint8Array(256).fill(0x0f));
    const local = new Uint8Array(256).fill(0x30);
    const localCopy = local.slice();
    const bytes = callSecretSource(dh, replayRandom(local))(256);
    expect(bytes).toEqual(new Uint8Array(256).fill(0x3f));
    expect(local).toEqual(localCopy); // the source's array is not written into
  });

  it('mixes a shorter server random into the leading bytes only', () => {
    const dh = telegramDh(new Uint8Array(16).fill(0x40));
    const bytes = callSecretSource(dh, replayRandom(new Uint8Array(256).fill(0x11)))(256);
    expect(bytes.subarray(0, 16)).toEqual(new Uint8Array(16).fill(0x51));
    expect(bytes.subarray(16)).toEqual(new Uint8Array(240).fill(0x11));
  });

  it('redraws secrets outside 1 < x < p-1, uniformly (rejection, no reduction)', () => {
    const dh = telegramDh(new Uint8Array(256));
    const tooBig = new Uint8Array(256).fill(0xff);
    const pMinus1 = bigIntToBytes(TELEGRAM_DH_PRIME - 1n, 256);
    const one = bigIntToBytes(1n, 256);
    const good = bigIntToBytes(TELEGRAM_DH_PRIME - 2n, 256);
    const bytes = callSecretSource(dh, replayRandom(tooBig, pMinus1, one, good))(256);
    expect(bigIntFromBytes(bytes)).toBe(TELEGRAM_DH_PRIME - 2n);
  });

  it('gives up with CallError(random_source) on a source that never lands in range', () => {
    const dh = telegramDh(new Uint8Array(256));
    callErrorOf(() => callSecretSource(dh, () => new Uint8Array(256).fill(0xff))(256), 'random_source');
  });
});
