import { describe, expect, it } from 'vitest';
import { callKeyFingerprint, makeCallKey, voiceCallId } from '../../src/calls/call-key.js';
import { emojiFingerprint } from '../../src/calls/emoji.js';
import { CALL_EMOJI } from '../../src/calls/emoji-table.js';
import { PROVIDERS } from '../crypto/helpers.js';
import { fixtureJson, fromHex, toHex } from '../helpers.js';

interface EmojiEntry {
  index: number;
  emoji: string;
  codepoints: string[];
  utf8_hex: string;
}
const fixture = fixtureJson('emoji-fingerprint.json');
const table: EmojiEntry[] = fixture.table;
// Self-derived by the vector's author (the official samples' auth_key used as a call key, the
// samples' g_a as g_a): no external emoji vector exists, so this pins our own algorithm, not interop.
const example = fixture.example_self_derived_NOT_external;

describe('CALL_EMOJI', () => {
  it('equals the fixture table entry for entry (333 emoji, same order)', () => {
    expect(fixture.table_count).toBe(333);
    expect(table).toHaveLength(333);
    expect(CALL_EMOJI).toHaveLength(333);
    table.forEach((entry, i) => {
      expect(entry.index).toBe(i);
      expect(CALL_EMOJI[i], `entry ${i}`).toBe(entry.emoji);
      expect([...CALL_EMOJI[i]!].map((c) => 'U+' + c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0'))).toEqual(
        entry.codepoints,
      );
      expect(toHex(new TextEncoder().encode(CALL_EMOJI[i]))).toBe(entry.utf8_hex);
    });
    expect(new Set(CALL_EMOJI).size).toBe(333);
    expect(Object.isFrozen(CALL_EMOJI)).toBe(true);
  });
});

describe.each(PROVIDERS)('emoji fingerprint with the $name provider', (provider) => {
  const key = fromHex(example.key_hex);
  const gA = fromHex(example.g_a_hex);

  it('reproduces the self-derived example (hash, indices, emoji)', () => {
    expect(toHex(provider.sha256(key, gA))).toBe(example.sha256.toLowerCase());
    expect(example.indices.map((i: number) => CALL_EMOJI[i])).toEqual(example.emoji);
    expect(emojiFingerprint(key, gA, provider)).toEqual(example.emoji);
  });

  it('reproduces the example key fingerprint (SHA1(key)[12:20] as a signed LE int64)', () => {
    expect(toHex(provider.sha1(key).subarray(12, 20))).toBe(example.key_fingerprint_wire_sha1_12_20.toLowerCase());
    expect(callKeyFingerprint(key, provider)).toBe(BigInt(example.key_fingerprint_int64));
  });

  it('makeCallKey bundles key, fingerprint, emoji and g_a', () => {
    const callKey = makeCallKey(key, gA, provider);
    expect(callKey).toEqual({ key, gA, fingerprint: BigInt(example.key_fingerprint_int64), emojis: example.emoji });
    expect(Object.isFrozen(callKey.emojis)).toBe(true);
  });

  it('clears the top bit of each 64-bit chunk before the modulo (the example exercises it)', () => {
    const h = provider.sha256(key, gA);
    const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
    const chunk = view.getBigUint64(8, false); // the second chunk has its top bit set
    expect(chunk >> 63n).toBe(1n);
    expect(Number((chunk & ((1n << 63n) - 1n)) % 333n)).toBe(example.indices[1]);
    expect(Number(chunk % 333n)).not.toBe(example.indices[1]); // unmasked, a different emoji
  });

  it('voiceCallId is the last 16 bytes of SHA256(key)', () => {
    const id = voiceCallId(key, provider);
    expect(id).toHaveLength(16);
    expect(toHex(id)).toBe(toHex(provider.sha256(key)).slice(32));
  });
});
