import { getDiffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigIntFromBytes, bigIntToBytes } from '../../src/crypto/bigint.js';
import { TELEGRAM_DH_PRIME } from '../../src/crypto/dh.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { portableCrypto } from '../../src/crypto/portable.js';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { srpChallenge, srpPasswordHash, srpProofFromSecret, srpProve, srpVerifier, srpVerify, type SrpAlgo } from '../../src/crypto/srp.js';
import { fixtureJson, fromHex, toHex } from '../helpers.js';
import { replayRandom, securityErrorOf } from './helpers.js';

interface SrpCase {
  name: string;
  salt1: string;
  salt2: string;
  g_b: string;
  a: string;
  password: string;
  expected_m1: string;
  expected_g_a: string;
  p: string;
  g: number;
}
const cases = fixtureJson<{ cases: SrpCase[] }>('srp-2fa.json').cases;
const algoOf = (c: SrpCase): SrpAlgo => ({ salt1: fromHex(c.salt1), salt2: fromHex(c.salt2), g: c.g, p: fromHex(c.p) });
const real = cases.find((c) => c.name === 'real-2048')!;
const realAlgo = algoOf(real);

/** portableCrypto without node's PBKDF2: the @noble/hashes fallback. */
const noPbkdf2: CryptoProvider = { ...portableCrypto, pbkdf2Sha512: undefined };

describe('SRP-2048 known answers (grammers vectors)', () => {
  it.each(cases)('$name: A and M1 from the unchecked arithmetic', (c) => {
    const algo = algoOf(c);
    const x = bigIntFromBytes(srpPasswordHash(fromHex(c.password), algo, nodeCrypto));
    const proof = srpProofFromSecret(algo, fromHex(c.g_b), x, bigIntFromBytes(fromHex(c.a)), nodeCrypto);
    expect(toHex(proof.A)).toBe(c.expected_g_a);
    expect(toHex(proof.M1)).toBe(c.expected_m1);
  });

  it.each([nodeCrypto, noPbkdf2])('real-2048 through srpProve with every check ($name provider)', (provider) => {
    const a = bigIntToBytes(bigIntFromBytes(fromHex(real.a)), 256);
    const proof = srpProve(realAlgo, fromHex(real.g_b), fromHex(real.password), provider, { random: replayRandom(a) });
    expect(toHex(proof.A)).toBe(real.expected_g_a);
    expect(toHex(proof.M1)).toBe(real.expected_m1);
  });
});

describe('srpProve refuses a bad group or B before any work', () => {
  const B = fromHex(real.g_b);
  const password = new TextEncoder().encode('secret');
  /** A provider that fails the test if PBKDF2 runs: the checks must come first. */
  const noWork: CryptoProvider = {
    ...nodeCrypto,
    pbkdf2Sha512: () => {
      throw new Error('PBKDF2 ran before the checks');
    },
  };
  const refused = (algo: SrpAlgo, srpB = B): string => securityErrorOf(() => srpProve(algo, srpB, password, noWork)).check;

  it('a p that is not 2048 bits', () => {
    expect(refused({ ...realAlgo, p: bigIntToBytes(TELEGRAM_DH_PRIME >> 8n, 256) })).toBe('dh_prime_range');
    expect(refused({ ...realAlgo, p: fromHex(cases[0]!.p) })).toBe('dh_prime_range');
    expect(refused({ ...realAlgo, p: realAlgo.p.subarray(1) })).toBe('srp_p_size');
  });

  it('a 2048-bit p that is not a safe prime', () => {
    expect(refused({ ...realAlgo, p: bigIntToBytes(TELEGRAM_DH_PRIME + 12n, 256) })).toBe('dh_prime_not_safe');
  });

  it('a g outside 2..7 or not generating the prime-order subgroup', () => {
    expect(refused({ ...realAlgo, g: 11 })).toBe('dh_g_range');
    // g = 5 generates the prime-order subgroup only when p = 1 or 4 (mod 5).
    expect(TELEGRAM_DH_PRIME % 5n).not.toBe(1n);
    expect(refused({ ...realAlgo, g: 5 })).toBe('dh_g_residue');
  });

  it('a B outside the 2^1984 window', () => {
    expect(refused(realAlgo, bigIntToBytes(1n, 256))).toBe('dh_public_range');
    expect(refused(realAlgo, bigIntToBytes(1n << 1900n, 256))).toBe('dh_public_window');
    expect(refused(realAlgo, bigIntToBytes(TELEGRAM_DH_PRIME - 1n, 256))).toBe('dh_public_range');
  });
});

describe('the server side checks what the client proves', () => {
  const salts = { salt1: fromHex('aa'.repeat(40)), salt2: fromHex('bb'.repeat(16)) };
  const modp14 = bigIntToBytes(bigIntFromBytes(getDiffieHellman('modp14').getPrime()), 256);

  it.each([
    ['Telegram prime, g = 3', { ...salts, g: 3, p: realAlgo.p }],
    ['RFC 3526 group 14, g = 2', { ...salts, g: 2, p: modp14 }],
  ] as const)('%s: the right password passes, a wrong one and a tampered M1 fail', (_, algo) => {
    const right = new TextEncoder().encode('correct horse');
    const verifier = srpVerifier(algo, srpPasswordHash(right, algo, nodeCrypto), nodeCrypto);
    const b = bigIntFromBytes(nodeCrypto.randomBytes(256));
    const srpB = srpChallenge(algo, verifier, b, nodeCrypto);
    const challenge = { verifier, b, srpB };
    const good = srpProve(algo, srpB, right, nodeCrypto);
    expect(srpVerify(algo, challenge, good, nodeCrypto)).toBe(true);
    const wrong = srpProve(algo, srpB, new TextEncoder().encode('correct hors'), nodeCrypto);
    expect(srpVerify(algo, challenge, wrong, nodeCrypto)).toBe(false);
    const tampered = new Uint8Array(good.M1);
    tampered[31]! ^= 1;
    expect(srpVerify(algo, challenge, { A: good.A, M1: tampered }, nodeCrypto)).toBe(false);
    expect(srpVerify(algo, challenge, { A: bigIntToBytes(1n, 256), M1: good.M1 }, nodeCrypto)).toBe(false);
  });
});
