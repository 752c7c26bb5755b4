// 2048-bit modular exponentiation without node:crypto, three ways: mtwire's sliding-window exponentiation
// on bigint `%` (what portableCrypto uses), a Montgomery-form variant of the same window (REDC with masks
// and shifts instead of division), and @noble/curves' modular helpers (`pow`, and `Field(p).pow`, its
// windowed path). Each is checked against the others first. `modPowTable()` gives ms per exponentiation,
// median of 15 after warm-up; bench/modpow-run.mjs runs it in Node and in Chromium (npm run bench:modpow).
import { Field, pow as noblePow } from '@noble/curves/abstract/modular.js';
import { modPowBigInt } from '../src/crypto/modpow.ts';
import { TELEGRAM_DH_PRIME } from '../src/crypto/dh.ts';

const randomBig = (bytes) => {
  const buffer = globalThis.crypto.getRandomValues(new Uint8Array(bytes));
  return BigInt(`0x${[...buffer].map((b) => b.toString(16).padStart(2, '0')).join('')}`);
};

/** Montgomery REDC over R = 2^bits(m), windowed like modPowBigInt: the candidate this bench measures. */
function modPowMontgomery(base, exponent, m) {
  const k = BigInt(m.toString(2).length);
  const mask = (1n << k) - 1n;
  // m' = -m^-1 mod R by Newton's iteration (each step doubles the correct low bits).
  let inv = 1n;
  for (let bits = 1n; bits < k; bits <<= 1n) inv = (inv * (2n - m * inv)) & mask;
  const mPrime = -inv & mask;
  const redc = (t) => {
    const u = (((t & mask) * mPrime) & mask) * m;
    const r = (t + u) >> k;
    return r >= m ? r - m : r;
  };
  const toMont = (x) => (x << k) % m;
  const bits = exponent.toString(2);
  const w = bits.length > 512 ? 5 : 4;
  const b = toMont(base % m);
  const sq = redc(b * b);
  const odd = [b];
  for (let i = 1; i < 1 << (w - 1); i++) odd.push(redc(odd[i - 1] * sq));
  let result = toMont(1n);
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === '0') {
      result = redc(result * result);
      i++;
      continue;
    }
    let j = Math.min(i + w, bits.length) - 1;
    while (bits[j] === '0') j--;
    for (let s = i; s <= j; s++) result = redc(result * result);
    result = redc(result * odd[parseInt(bits.slice(i, j + 1), 2) >>> 1]);
    i = j + 1;
  }
  return redc(result);
}

const p = TELEGRAM_DH_PRIME;
const field = Field(p);
const candidates = {
  'mtwire modPowBigInt (sliding window, bigint %)': modPowBigInt,
  'Montgomery REDC, same window': modPowMontgomery,
  '@noble/curves pow': noblePow,
  '@noble/curves Field(p).pow': (b, e) => field.pow(b, e),
};

/** Milliseconds per 2048-bit exponentiation (DH prime, 2048-bit exponent), by implementation. */
export function modPowTable() {
  const cases = Array.from({ length: 15 }, () => [randomBig(256) % p, randomBig(256)]);
  for (const [b, e] of cases.slice(0, 3)) {
    const expected = modPowBigInt(b, e, p);
    for (const [name, f] of Object.entries(candidates)) if (f(b, e, p) !== expected) throw new Error(`${name} disagrees`);
  }
  const rows = {};
  for (const [name, f] of Object.entries(candidates)) {
    for (const [b, e] of cases.slice(0, 3)) f(b, e, p);
    const times = cases.map(([b, e]) => {
      const started = performance.now();
      f(b, e, p);
      return performance.now() - started;
    });
    times.sort((a, b) => a - b);
    rows[name] = times[7];
  }
  return rows;
}
