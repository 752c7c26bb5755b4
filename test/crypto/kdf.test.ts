import { describe, expect, it } from 'vitest';
import {
  authKeyAuxHashFor,
  authKeyIdFor,
  dhParamsFailNonceHash,
  firstServerSalt,
  newNonceHash,
  tmpAesKeyIv,
  withSha1AndPadding,
} from '../../src/crypto/handshake-kdf.js';
import { aesIgeDecrypt, aesIgeEncrypt } from '../../src/crypto/ige.js';
import { AUTH_KEY_PART_LENGTH, deriveAesKeyIv, msgKeyFor, msgKeyLarge, msgKeyLargeInPlace, type Direction } from '../../src/crypto/kdf.js';
import { MtwireError } from '../../src/base/errors.js';
import { fixtureJson, fromHex, toHex } from '../helpers.js';
import { PROVIDERS, replayRandom } from './helpers.js';

const kdf = fixtureJson('mtproto2-kdf.json');
const samples = fixtureJson('samples-auth-key.json').versions;
const mtproto2 = kdf.vectors.filter((v: { name: string }) => !v.name.includes('LEGACY'));
const lower = (hex: string) => hex.toLowerCase();
/** it.each rows: [title, vector]. */
const rows = (vectors: any[]): Array<[string, any]> => vectors.map((v) => [v.name ?? v.label, v]);

describe.each(PROVIDERS)('MTProto 2.0 KDF ($name provider)', (provider) => {
  it.each(rows(mtproto2))('derives aes key/iv: %s', (_, v) => {
    const { key, iv } = deriveAesKeyIv(fromHex(v.auth_key), fromHex(v.msg_key), v.x as Direction, provider);
    expect(toHex(key)).toBe(v.aes_key);
    expect(toHex(iv)).toBe(v.aes_iv);
  });

  it('computes msg_key and the key/iv of the grammers client message', () => {
    const v = kdf.full_message_vectors[0];
    const padded = fromHex(v.plaintext + v.padding);
    const authKey = fromHex(v.auth_key);
    expect(toHex(msgKeyFor(authKey, padded, 0, provider))).toBe(v.msg_key);
    expect(toHex(msgKeyLarge(authKey, padded, 0, provider).subarray(8, 24))).toBe(v.msg_key);
    const region = new Uint8Array(AUTH_KEY_PART_LENGTH + padded.length).fill(0xee);
    region.set(padded, AUTH_KEY_PART_LENGTH);
    expect(toHex(msgKeyLargeInPlace(authKey, region, 0, provider).subarray(8, 24))).toBe(v.msg_key);
    const { key, iv } = deriveAesKeyIv(authKey, fromHex(v.msg_key), 0, provider);
    expect([toHex(key), toHex(iv)]).toEqual([v.aes_key, v.aes_iv]);
  });

  it('refuses an auth key that is not 256 bytes', () => {
    expect(() => deriveAesKeyIv(new Uint8Array(128), new Uint8Array(16), 0, provider)).toThrow(MtwireError);
    expect(() => msgKeyFor(new Uint8Array(255), new Uint8Array(16), 8, provider)).toThrow(MtwireError);
    expect(() => msgKeyLargeInPlace(new Uint8Array(255), new Uint8Array(48), 8, provider)).toThrow(MtwireError);
  });

  it('refuses a msg_key that is not 16 bytes, and keeps no state between calls', () => {
    const authKey = fromHex(mtproto2[0].auth_key);
    expect(() => deriveAesKeyIv(authKey, new Uint8Array(15), 0, provider)).toThrow(/msg_key must be 16 bytes, got 15/);
    const first = deriveAesKeyIv(authKey, fromHex(mtproto2[0].msg_key), mtproto2[0].x, provider);
    deriveAesKeyIv(authKey, new Uint8Array(16).fill(1), 8, provider); // reuses the scratch inputs
    expect([toHex(first.key), toHex(first.iv)]).toEqual([mtproto2[0].aes_key, mtproto2[0].aes_iv]);
  });
});

describe.each(PROVIDERS)('handshake helpers ($name provider)', (provider) => {
  it.each(rows(kdf.handshake_helpers.slice(0, 2)))('tmp_aes_key/iv: %s', (_, v) => {
    const { key, iv } = tmpAesKeyIv(fromHex(v.new_nonce), fromHex(v.server_nonce), provider);
    expect([toHex(key), toHex(iv)]).toEqual([v.tmp_aes_key, v.tmp_aes_iv]);
  });

  it('grammers aux hash, key id and new_nonce_hash1..3', () => {
    const v = kdf.handshake_helpers[2];
    const authKey = fromHex(v.auth_key);
    const aux = authKeyAuxHashFor(authKey, provider);
    expect(toHex(aux)).toBe(v.auth_key_aux_hash);
    expect(toHex(authKeyIdFor(authKey, provider))).toBe(v.auth_key_id);
    for (const n of [1, 2, 3] as const) expect(toHex(newNonceHash(fromHex(v.new_nonce), n, aux, provider))).toBe(v[`new_nonce_hash${n}`]);
  });

  it.each(rows(samples))('official sample: %s', (_, version) => {
    const [, resPQ, , inner, , dhParams, client, authKeyStep, genOk] = version.steps;
    const newNonce = fromHex(inner.new_nonce);
    const serverNonce = fromHex(resPQ.server_nonce);
    const derived = version.derived_by_us_not_on_page;

    const { key, iv } = tmpAesKeyIv(newNonce, serverNonce, provider);
    expect([toHex(key), toHex(iv)]).toEqual([lower(dhParams.tmp_aes_key), lower(dhParams.tmp_aes_iv)]);

    // Step 6: the server's answer decrypts to SHA1(answer) + answer + padding.
    const answerWithHash = aesIgeDecrypt(fromHex(dhParams.encrypted_answer), key, iv);
    expect(toHex(answerWithHash)).toBe(lower(dhParams.answer_with_hash));
    const answer = fromHex(dhParams.server_DH_inner_data_hex);
    expect(toHex(answerWithHash.subarray(0, 20))).toBe(toHex(provider.sha1(answer)));

    // Step 7: SHA1(data) + data + the page's padding, IGE-encrypted with the tmp key.
    const plain = withSha1AndPadding(fromHex(client.client_DH_inner_data_hex), provider, replayRandom(fromHex(client.padding)));
    expect(toHex(aesIgeEncrypt(plain, key, iv))).toBe(lower(client.encrypted_data));

    // Steps 8-9 and the values derived from the auth key.
    const authKey = fromHex(authKeyStep.auth_key);
    const aux = authKeyAuxHashFor(authKey, provider);
    expect(toHex(aux)).toBe(lower(derived.auth_key_aux_hash.hex));
    expect(toHex(authKeyIdFor(authKey, provider))).toBe(lower(derived.auth_key_id.hex));
    expect(toHex(newNonceHash(newNonce, 1, aux, provider))).toBe(lower(genOk.new_nonce_hash1));
    expect(toHex(newNonceHash(newNonce, 2, aux, provider))).toBe(lower(derived.new_nonce_hash2.hex));
    expect(toHex(newNonceHash(newNonce, 3, aux, provider))).toBe(lower(derived.new_nonce_hash3.hex));
    expect(toHex(dhParamsFailNonceHash(newNonce, provider))).toBe(lower(derived.server_DH_params_fail_new_nonce_hash.hex));
    const saltBytes = new Uint8Array(8);
    new DataView(saltBytes.buffer).setBigInt64(0, firstServerSalt(newNonce, serverNonce), true);
    expect(toHex(saltBytes)).toBe(lower(derived.server_salt.hex));
  });

  it('pads SHA1(data) + data to a multiple of 16 and checks the random source', () => {
    for (let length = 0; length < 40; length++) {
      const out = withSha1AndPadding(new Uint8Array(length), provider);
      expect(out.length % 16).toBe(0);
      expect(out.length - 20 - length).toBeLessThan(16);
    }
    expect(() => withSha1AndPadding(new Uint8Array(1), provider, () => new Uint8Array(3))).toThrow(MtwireError);
  });
});
