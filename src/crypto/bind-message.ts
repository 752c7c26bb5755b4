/**
 * The one MTProto 1.0 message still in use: auth.bindTempAuthKey's encrypted_message, which proves that
 * whoever holds the temporary key also holds the permanent one. It is bind_auth_key_inner encrypted
 * under the permanent key with the old scheme (core.telegram.org/method/auth.bindTempAuthKey):
 *
 *   plaintext = random (16) | msg_id (8) | seq_no = 0 (4) | length (4) | bind_auth_key_inner | 0..15 padding
 *   msg_key   = SHA1(plaintext without padding)[4:20]
 *   aes_key   = sha1_a[0:8] + sha1_b[8:20] + sha1_c[4:16]
 *   aes_iv    = sha1_a[8:20] + sha1_b[0:8] + sha1_c[16:20] + sha1_d[0:8], with (x = 0, client to server)
 *   sha1_a = SHA1(msg_key + key[0:32]), sha1_b = SHA1(key[32:48] + msg_key + key[48:64]),
 *   sha1_c = SHA1(key[64:96] + msg_key), sha1_d = SHA1(msg_key + key[96:128])
 *   encrypted_message = perm auth_key_id | msg_key | AES-256-IGE(plaintext with padding)
 */
import { constantTimeEqual } from './compare.js';
import { aesIgeDecrypt, aesIgeEncrypt } from './ige.js';
import { takeRandom, type CryptoProvider, type RandomSource } from './provider.js';
import { SecurityError } from './security-error.js';

const HEADER = 32; // random (16), msg_id, seq_no, length

function keyIv(authKey: Uint8Array, msgKey: Uint8Array, provider: CryptoProvider): { key: Uint8Array; iv: Uint8Array } {
  const a = provider.sha1(msgKey, authKey.subarray(0, 32));
  const b = provider.sha1(authKey.subarray(32, 48), msgKey, authKey.subarray(48, 64));
  const c = provider.sha1(authKey.subarray(64, 96), msgKey);
  const d = provider.sha1(msgKey, authKey.subarray(96, 128));
  const key = new Uint8Array(32);
  key.set(a.subarray(0, 8), 0);
  key.set(b.subarray(8, 20), 8);
  key.set(c.subarray(4, 16), 20);
  const iv = new Uint8Array(32);
  iv.set(a.subarray(8, 20), 0);
  iv.set(b.subarray(0, 8), 12);
  iv.set(c.subarray(16, 20), 20);
  iv.set(d.subarray(0, 8), 24);
  return { key, iv };
}

/** encrypted_message for auth.bindTempAuthKey: `inner` is the serialized bind_auth_key_inner. */
export function encryptBindMessage(
  permKey: { readonly authKey: Uint8Array; readonly authKeyId: Uint8Array },
  msgId: bigint,
  inner: Uint8Array,
  provider: CryptoProvider,
  random: RandomSource = (n) => provider.randomBytes(n),
): Uint8Array {
  const unpadded = HEADER + inner.length;
  const plaintext = new Uint8Array(unpadded + ((16 - (unpadded % 16)) % 16));
  const view = new DataView(plaintext.buffer);
  plaintext.set(takeRandom(random, 16), 0);
  view.setBigInt64(16, msgId, true);
  view.setInt32(24, 0, true);
  view.setInt32(28, inner.length, true);
  plaintext.set(inner, HEADER);
  plaintext.set(takeRandom(random, plaintext.length - unpadded), unpadded);
  const msgKey = provider.sha1(plaintext.subarray(0, unpadded)).subarray(4, 20);
  const { key, iv } = keyIv(permKey.authKey, msgKey, provider);
  const out = new Uint8Array(24 + plaintext.length);
  out.set(permKey.authKeyId, 0);
  out.set(msgKey, 8);
  out.set(aesIgeEncrypt(plaintext, key, iv), 24);
  return out;
}

/**
 * Decrypts and checks an encrypted_message under the permanent key: key id, length, msg_key over the
 * unpadded plaintext, padding under 16 bytes, seq_no 0. Any failure is the same SecurityError.
 */
export function decryptBindMessage(
  permKey: { readonly authKey: Uint8Array; readonly authKeyId: Uint8Array },
  encrypted: Uint8Array,
  provider: CryptoProvider,
): { msgId: bigint; inner: Uint8Array } {
  const refuse = (check: string) => new SecurityError(check, 'the bind message failed its checks');
  if (encrypted.length < 24 + HEADER || (encrypted.length - 24) % 16 !== 0) throw refuse('bind_length');
  if (!constantTimeEqual(encrypted.subarray(0, 8), permKey.authKeyId)) throw refuse('bind_key_id');
  const msgKey = encrypted.subarray(8, 24);
  const { key, iv } = keyIv(permKey.authKey, msgKey, provider);
  const plaintext = aesIgeDecrypt(encrypted.subarray(24), key, iv);
  const view = new DataView(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  const length = view.getInt32(28, true);
  const padding = plaintext.length - HEADER - length;
  const unpadded = plaintext.subarray(0, Math.max(HEADER, Math.min(plaintext.length, HEADER + Math.max(0, length))));
  const digestOk = constantTimeEqual(provider.sha1(unpadded).subarray(4, 20), msgKey);
  if (!digestOk || length < 0 || padding < 0 || padding > 15) throw refuse('bind_msg_key');
  if (view.getInt32(24, true) !== 0) throw refuse('bind_seq_no');
  return { msgId: view.getBigInt64(16, true), inner: plaintext.slice(HEADER, HEADER + length) };
}
