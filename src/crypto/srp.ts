/**
 * SRP-2048 for cloud passwords (core.telegram.org/api/srp, the algorithm Telegram names
 * passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow). Both halves live here because
 * the client proves the password and the test server checks the proof, and neither may import the other.
 * Numbers travel as 256-byte big-endian strings; TL (account.Password, InputCheckPasswordSRP) is the
 * caller's business.
 */
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bigIntFromBytes, bigIntToBytes } from './bigint.js';
import { constantTimeEqual } from './compare.js';
import { checkDhParams, checkDhPublic, generateDhKeyPair } from './dh.js';
import type { CryptoProvider, RandomSource } from './provider.js';
import { SecurityError } from './security-error.js';

/** The fields of the password algorithm the server announces (salt1 already carries its random suffix). */
export interface SrpAlgo {
  readonly salt1: Uint8Array;
  readonly salt2: Uint8Array;
  readonly g: number;
  /** The 2048-bit prime, big-endian. */
  readonly p: Uint8Array;
}

/** What the client sends back (inputCheckPasswordSRP's A and M1). */
export interface SrpProof {
  readonly A: Uint8Array;
  readonly M1: Uint8Array;
}

const SIZE = 256;
const PBKDF2_ITERATIONS = 100_000;

const pad = (n: bigint): Uint8Array => bigIntToBytes(n, SIZE);
/** SH(data, salt) = H(salt | data | salt). */
const saltedHash = (data: Uint8Array, salt: Uint8Array, provider: CryptoProvider): Uint8Array => provider.sha256(salt, data, salt);

/**
 * x = PH2(password, salt1, salt2) = SH(pbkdf2(sha512, PH1, salt1, 100000), salt2) with
 * PH1 = SH(SH(password, salt1), salt2). The PBKDF2 loop is nearly all the cost of a password check.
 */
export function srpPasswordHash(password: Uint8Array, algo: Pick<SrpAlgo, 'salt1' | 'salt2'>, provider: CryptoProvider): Uint8Array {
  const ph1 = saltedHash(saltedHash(password, algo.salt1, provider), algo.salt2, provider);
  const stretched = provider.pbkdf2Sha512
    ? provider.pbkdf2Sha512(ph1, algo.salt1, PBKDF2_ITERATIONS, 64)
    : pbkdf2(sha512, ph1, algo.salt1, { c: PBKDF2_ITERATIONS, dkLen: 64 });
  return saltedHash(stretched, algo.salt2, provider);
}

/** k = H(p | pad(g)), the multiplier both sides apply to the verifier. */
function multiplier(p: bigint, g: bigint, provider: CryptoProvider): bigint {
  return bigIntFromBytes(provider.sha256(pad(p), pad(g)));
}

/** M1 = H(H(p) xor H(g) | H(salt1) | H(salt2) | A | B | H(S)). */
function proofDigest(algo: SrpAlgo, gA: Uint8Array, gB: Uint8Array, shared: bigint, provider: CryptoProvider): Uint8Array {
  const p = bigIntFromBytes(algo.p);
  const hp = provider.sha256(pad(p));
  const hg = provider.sha256(pad(BigInt(algo.g)));
  const mixed = hp.map((byte, i) => byte ^ hg[i]!);
  const sessionKey = provider.sha256(pad(shared));
  return provider.sha256(mixed, provider.sha256(algo.salt1), provider.sha256(algo.salt2), gA, gB, sessionKey);
}

/** u = H(A | B). Both sides refuse u = 0, which would make the proof independent of the password. */
const scrambler = (gA: Uint8Array, gB: Uint8Array, provider: CryptoProvider): bigint => bigIntFromBytes(provider.sha256(gA, gB));

/**
 * The client's arithmetic from a known x and secret a, with no checks on the group: exported for the
 * known-answer vectors (one uses a toy 6-bit prime). Real callers use srpProve.
 */
export function srpProofFromSecret(algo: SrpAlgo, srpB: Uint8Array, x: bigint, a: bigint, provider: CryptoProvider): SrpProof {
  const p = bigIntFromBytes(algo.p);
  const g = BigInt(algo.g);
  const gB = bigIntFromBytes(srpB);
  const gABytes = pad(provider.modPow(g, a, p));
  const gBBytes = pad(gB);
  const u = scrambler(gABytes, gBBytes, provider);
  if (u === 0n) throw new SecurityError('srp_u_zero', 'SRP u = H(A | B) is zero');
  const kv = (multiplier(p, g, provider) * provider.modPow(g, x, p)) % p;
  const base = (((gB - kv) % p) + p) % p;
  const shared = provider.modPow(base, a + u * x, p);
  return { A: gABytes, M1: proofDigest(algo, gABytes, gBBytes, shared, provider) };
}

/**
 * Proves knowledge of `password` to the server: checks p (a 2048-bit safe prime), g (a generator of the
 * prime-order subgroup) and srp_B (inside the 2^1984 window) before hashing anything, then draws a and
 * runs the protocol. Throws SecurityError on a bad group or B.
 */
export function srpProve(
  algo: SrpAlgo,
  srpB: Uint8Array,
  password: Uint8Array,
  provider: CryptoProvider,
  options: { random?: RandomSource } = {},
): SrpProof {
  const p = bigIntFromBytes(algo.p);
  checkSrpInputs(algo, srpB, provider);
  const { secret } = generateDhKeyPair(p, algo.g, provider, options);
  const x = bigIntFromBytes(srpPasswordHash(password, algo, provider));
  return srpProofFromSecret(algo, srpB, x, secret, provider);
}

/** The checks srpProve runs first, on their own so a caller can refuse bad parameters cheaply. */
export function checkSrpInputs(algo: SrpAlgo, srpB: Uint8Array, provider: CryptoProvider): void {
  if (algo.p.length !== SIZE) throw new SecurityError('srp_p_size', `SRP p is ${algo.p.length} bytes, not ${SIZE}`);
  if (srpB.length > SIZE) throw new SecurityError('srp_b_size', `SRP B is ${srpB.length} bytes, more than ${SIZE}`);
  const p = bigIntFromBytes(algo.p);
  checkDhParams(p, algo.g, provider);
  checkDhPublic(bigIntFromBytes(srpB), p);
}

/** The server's side: v = g^x mod p, stored instead of the password. */
export function srpVerifier(algo: SrpAlgo, x: Uint8Array, provider: CryptoProvider): bigint {
  return provider.modPow(BigInt(algo.g), bigIntFromBytes(x), bigIntFromBytes(algo.p));
}

/** The server's challenge B = (k*v + g^b) mod p for a fresh secret b. */
export function srpChallenge(algo: SrpAlgo, verifier: bigint, b: bigint, provider: CryptoProvider): Uint8Array {
  const p = bigIntFromBytes(algo.p);
  const g = BigInt(algo.g);
  return pad((multiplier(p, g, provider) * verifier + provider.modPow(g, b, p)) % p);
}

/** The server's check of a client's A and M1 against the challenge it issued (b, B) and the verifier. */
export function srpVerify(
  algo: SrpAlgo,
  challenge: { readonly verifier: bigint; readonly b: bigint; readonly srpB: Uint8Array },
  proof: SrpProof,
  provider: CryptoProvider,
): boolean {
  const p = bigIntFromBytes(algo.p);
  const gA = bigIntFromBytes(proof.A);
  if (proof.A.length > SIZE || !(gA > 1n && gA < p - 1n)) return false;
  const gABytes = pad(gA);
  const u = scrambler(gABytes, challenge.srpB, provider);
  if (u === 0n) return false;
  const shared = provider.modPow((gA * provider.modPow(challenge.verifier, u, p)) % p, challenge.b, p);
  return constantTimeEqual(proofDigest(algo, gABytes, challenge.srpB, shared, provider), proof.M1);
}
