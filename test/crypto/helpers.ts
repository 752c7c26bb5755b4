import { nodeCrypto } from '../../src/crypto/node.js';
import { portableCrypto } from '../../src/crypto/portable.js';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { SecurityError } from '../../src/crypto/security-error.js';

/** Every vector runs against both providers. */
export const PROVIDERS: readonly CryptoProvider[] = [nodeCrypto, portableCrypto];

/**
 * A random source that replays fixed chunks in order, one per call, checking each requested length, so
 * vectors that fix their "random" bytes reproduce exactly.
 */
export function replayRandom(...chunks: Uint8Array[]): (length: number) => Uint8Array {
  let next = 0;
  return (length) => {
    const chunk = chunks[next++];
    if (chunk === undefined) throw new Error(`random source exhausted after ${chunks.length} chunks`);
    if (chunk.length !== length) throw new Error(`random chunk ${next - 1} has ${chunk.length} bytes, ${length} requested`);
    return chunk;
  };
}

/** Runs `fn` and returns the SecurityError it throws (failing the test if it throws anything else or nothing). */
export function securityErrorOf(fn: () => unknown): SecurityError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecurityError) return error;
    throw new Error(`expected a SecurityError, got ${String(error)}`);
  }
  throw new Error('expected a SecurityError, nothing was thrown');
}
