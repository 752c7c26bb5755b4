/** The shared key of a finished call key exchange and the values derived from it. */
import { readInt64LE } from '../crypto/bigint.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { emojiFingerprint } from './emoji.js';

export interface CallKey {
  /** g^(ab) mod p, 256 bytes big-endian: the media encryption key. */
  readonly key: Uint8Array;
  /** SHA1(key)[12:20] as a signed little-endian int64: phone.confirmCall / phoneCall key_fingerprint. */
  readonly fingerprint: bigint;
  /** The four emoji to show both users (emojiFingerprint). */
  readonly emojis: readonly string[];
  /** The caller's g_a (256 bytes), which the emoji and the key visualization depend on. */
  readonly gA: Uint8Array;
}

/** key_fingerprint: the same construction as an auth_key_id (SHA1(key)[12:20], read as a TL long). */
export function callKeyFingerprint(key: Uint8Array, provider: CryptoProvider): bigint {
  return readInt64LE(provider.sha1(key), 12);
}

/** voice_call_id of the legacy (< 7.0) media encryption: the last 16 bytes of SHA256(key). */
export function voiceCallId(key: Uint8Array, provider: CryptoProvider): Uint8Array {
  return provider.sha256(key).slice(16, 32);
}

export function makeCallKey(key: Uint8Array, gA: Uint8Array, provider: CryptoProvider): CallKey {
  return {
    key,
    fingerprint: callKeyFingerprint(key, provider),
    emojis: Object.freeze(emojiFingerprint(key, gA, provider)),
    gA,
  };
}
