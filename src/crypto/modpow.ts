/**
 * base^exponent mod modulus on plain bigints: the portable provider's implementation and the node
 * provider's fallback where OpenSSL refuses the operands (even moduli).
 */
import { MtwireError } from '../base/errors.js';

/** The argument rules every provider's modPow shares. */
export function checkModPowArgs(base: bigint, exponent: bigint, modulus: bigint): void {
  if (modulus <= 0n) throw new MtwireError('BIGINT_RANGE', 'modPow: modulus must be positive');
  if (base < 0n || exponent < 0n) throw new MtwireError('BIGINT_RANGE', 'modPow: base and exponent must be non-negative');
}

/**
 * Left-to-right sliding-window exponentiation. A window of w bits costs 2^(w-1) precomputed odd powers
 * and saves most of the multiplications of plain square-and-multiply: for a 2048-bit exponent, w = 5
 * does about 2048 squarings + 350 multiplications instead of 2048 + 1024.
 */
export function modPowBigInt(base: bigint, exponent: bigint, modulus: bigint): bigint {
  checkModPowArgs(base, exponent, modulus);
  if (modulus === 1n) return 0n;
  base %= modulus;
  if (exponent === 0n) return 1n;
  const bits = exponent.toString(2);
  const w = bits.length > 512 ? 5 : bits.length > 64 ? 4 : bits.length > 8 ? 3 : 1;
  // odd[k] = base^(2k+1)
  const odd: bigint[] = [base];
  const square = (base * base) % modulus;
  for (let k = 1; k < 1 << (w - 1); k++) odd.push((odd[k - 1]! * square) % modulus);
  let result = 1n;
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === '0') {
      result = (result * result) % modulus;
      i++;
      continue;
    }
    // The longest window of at most w bits that starts here and ends on a 1 bit.
    let j = Math.min(i + w, bits.length) - 1;
    while (bits[j] === '0') j--;
    for (let k = i; k <= j; k++) result = (result * result) % modulus;
    result = (result * odd[parseInt(bits.slice(i, j + 1), 2) >>> 1]!) % modulus;
    i = j + 1;
  }
  return result;
}
