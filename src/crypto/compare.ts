/**
 * Byte equality without an early exit: the running time depends only on the length, never on where the
 * first difference is, so a peer timing our rejections learns nothing about a secret digest (msg_key,
 * RSA_PAD hash) it is trying to forge byte by byte. Lengths are public in every use, so a length mismatch
 * may return at once.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
