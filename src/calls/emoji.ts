/**
 * The emoji both call parties compare aloud (spec §7 step 7): four emoji derived from the key and the
 * caller's g_a. Equal emoji on both screens mean no one in the middle holds two different keys.
 */
import type { CryptoProvider } from '../crypto/provider.js';
import { CALL_EMOJI } from './emoji-table.js';

const LOW_63_BITS = (1n << 63n) - 1n;

/**
 * h = SHA256(key || g_a); emoji i is CALL_EMOJI[(uint64 BE of h[8i:8i+8] with the top bit cleared) %
 * 333]. `gA` is the caller's public value as sent (256 bytes) on both sides; the callee must not use g_b.
 */
export function emojiFingerprint(key: Uint8Array, gA: Uint8Array, provider: CryptoProvider): string[] {
  const h = provider.sha256(key, gA);
  const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
  const count = BigInt(CALL_EMOJI.length);
  return [0, 1, 2, 3].map((i) => CALL_EMOJI[Number((view.getBigUint64(8 * i, false) & LOW_63_BITS) % count)]!);
}
