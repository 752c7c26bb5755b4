/**
 * Replays recorded handshakes through the client: the official samples page (two versions) and grammers'
 * deterministic test against the test DC. Every "random" input and msg_id is injected, so every client
 * message must come out byte for byte (except the one RSA output whose temp_key the page never printed).
 */
import { describe, expect, it } from 'vitest';
import { readInt64LE } from '../../src/crypto/bigint.js';
import { TELEGRAM_PRODUCTION_KEY, TELEGRAM_TEST_KEY } from '../../src/crypto/rsa-keys.js';
import { rsaPadEncrypt } from '../../src/crypto/rsa.js';
import { SecurityError } from '../../src/crypto/security-error.js';
import { AuthKeyExchange, type AuthKeyStep } from '../../src/mtproto/auth-key-client.js';
import { msgIdSeconds } from '../../src/mtproto/msg-id.js';
import { decodePlainMessage } from '../../src/mtproto/plain-message.js';
import { fixtureJson, fromHex, toHex } from '../helpers.js';
import { bodyOf, fromServer, PROVIDERS, recordedMsgIds, replayRandom } from './helpers.js';

const samples = fixtureJson('samples-auth-key.json');
const grammers = fixtureJson('grammers-auth-flow.json');

function sent(step: AuthKeyStep): Uint8Array {
  if (!('send' in step)) throw new Error('expected a message to send');
  return step.send;
}

/**
 * The 2024 page version prints wrong message_length fields for the three server messages (see the
 * fixture's page_quirks); the bodies are right. Re-frame with the real length.
 */
function reframed(payloadHex: string): Uint8Array {
  const message = fromHex(payloadHex);
  new DataView(message.buffer).setInt32(16, message.length - 20, true);
  return message;
}

/** A temp_key for RSA_PAD; the page did not print its own, any value whose block is below n works. */
const TEMP_KEY = fromHex('00'.repeat(31) + '01');
/** req_DH_params: header 20, id 4, nonce 16, server_nonce 16, p 8, q 8, fingerprint 8, bytes header 4. */
const ENCRYPTED_DATA_OFFSET = 84;

describe.each(PROVIDERS)('official samples-auth_key page through the client ($name provider)', (provider) => {
  it.each(samples.versions as any[])('$label', (version) => {
    const s = version.steps;
    const derived = version.derived_by_us_not_on_page;
    const clientIds = [s[0].message_id_wire, s[4].message_id_wire, s[6].message_id_wire].map((hex: string) => readInt64LE(fromHex(hex)));
    const localSeconds = msgIdSeconds(clientIds[2]!);
    const client = new AuthKeyExchange({
      crypto: provider,
      random: replayRandom(
        fromHex(s[0].nonce),
        fromHex(s[3].new_nonce),
        fromHex(s[3].random_padding_bytes),
        TEMP_KEY,
        fromHex(s[6].b),
        fromHex(s[6].padding),
      ),
      now: () => localSeconds * 1000,
      msgIds: recordedMsgIds(...clientIds),
      publicKeys: [TELEGRAM_PRODUCTION_KEY],
      dcId: s[3].dc,
    });

    expect(toHex(client.start())).toBe(s[0].payload_hex.toLowerCase());

    // Step 5: everything but encrypted_data is on the page; encrypted_data must be RSA_PAD of the page's
    // p_q_inner_data_dc with the page's padding and our temp_key.
    const reqDh = sent(client.receive(reframed(s[1].payload_hex)));
    const expectedReqDh = fromHex(s[4].payload_hex);
    expect(reqDh.length).toBe(expectedReqDh.length);
    expect(toHex(reqDh.subarray(0, ENCRYPTED_DATA_OFFSET))).toBe(toHex(expectedReqDh.subarray(0, ENCRYPTED_DATA_OFFSET)));
    const rsa = rsaPadEncrypt(
      fromHex(s[3].p_q_inner_data_dc_hex),
      TELEGRAM_PRODUCTION_KEY,
      provider,
      replayRandom(fromHex(s[3].random_padding_bytes), TEMP_KEY),
    );
    expect(toHex(reqDh.subarray(ENCRYPTED_DATA_OFFSET))).toBe(toHex(rsa));

    const setDh = sent(client.receive(reframed(s[5].payload_hex)));
    expect(toHex(setDh)).toBe(s[6].set_client_DH_params_payload_hex.toLowerCase());

    const step = client.receive(reframed(s[8].payload_hex));
    if (!('done' in step)) throw new Error('expected the key');
    expect(toHex(step.done.authKey)).toBe(s[7].auth_key.toLowerCase());
    expect(toHex(step.done.authKeyId)).toBe(derived.auth_key_id.hex.toLowerCase());
    expect(step.done.authKeyIdLong).toBe(readInt64LE(fromHex(derived.auth_key_id.hex)));
    expect(step.done.serverSalt).toBe(readInt64LE(fromHex(derived.server_salt.hex)));
    expect(step.done.timeOffset).toBe(s[5].server_time - localSeconds);
    expect(step.done.expiresAt).toBeUndefined();
    expect(client.finished).toBe(true);
  });
});

describe('official samples: the strict envelope', () => {
  it("refuses the 2024 page's server messages as printed (message_length does not match the body)", () => {
    const s = samples.versions[1].steps;
    for (const index of [1, 5, 8]) {
      const error = (() => {
        try {
          decodePlainMessage(fromHex(s[index].payload_hex), { sender: 'server' });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(SecurityError);
      expect((error as SecurityError).check).toBe('plain_length');
    }
  });

  it("the 2025 page is self-consistent: every message decodes strictly with its sender's parity", () => {
    const s = samples.versions[0].steps;
    for (const index of [0, 4]) decodePlainMessage(fromHex(s[index].payload_hex), { sender: 'client' });
    decodePlainMessage(fromHex(s[6].set_client_DH_params_payload_hex), { sender: 'client' });
    for (const index of [1, 5, 8]) decodePlainMessage(fromHex(s[index].payload_hex), { sender: 'server' });
  });
});

describe.each(PROVIDERS)('grammers deterministic flow through the client ($name provider)', (provider) => {
  it('reproduces all three requests, including RSA_PAD, and the auth key', () => {
    const v = grammers.values;
    const dataLength = grammers.intermediate_values_computed_by_us.p_q_inner_data.length / 2;
    const step2 = fromHex(v.step2_random);
    const step3 = fromHex(v.step3_random);
    const client = new AuthKeyExchange({
      crypto: provider,
      random: replayRandom(
        fromHex(v.step1_random),
        step2.subarray(0, 32),
        step2.subarray(32, 32 + 192 - dataLength),
        step2.subarray(224, 256),
        step3.subarray(0, 256),
        step3.subarray(256, 268),
      ),
      now: () => grammers.rng_consumption_order_required_to_reproduce.now_unixtime_for_time_offset * 1000,
      publicKeys: [TELEGRAM_PRODUCTION_KEY, TELEGRAM_TEST_KEY],
      dcId: 2,
      test: true,
      innerDataVariant: 'legacy',
    });
    expect(toHex(bodyOf(client.start()))).toBe(v.step1_request);
    expect(toHex(bodyOf(sent(client.receive(fromServer(fromHex(v.step1_response))))))).toBe(v.step2_request);
    expect(toHex(bodyOf(sent(client.receive(fromServer(fromHex(v.step2_response))))))).toBe(v.step3_request);
    const step = client.receive(fromServer(fromHex(v.step3_response)));
    if (!('done' in step)) throw new Error('expected the key');
    expect(toHex(step.done.authKey)).toBe(grammers.expected_from_test.auth_key);
    expect(step.done.serverSalt).toBe(BigInt(grammers.expected_from_test.first_salt));
    expect(step.done.timeOffset).toBe(grammers.expected_from_test.time_offset);
  });
});
