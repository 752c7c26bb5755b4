/**
 * One failing input per client check: each must throw the typed error naming that check, and leave the
 * exchange failed.
 */
import { describe, expect, it } from 'vitest';
import { bigIntToBytes, readInt64LE } from '../../src/crypto/bigint.js';
import { TELEGRAM_DH_PRIME } from '../../src/crypto/dh.js';
import { authKeyAuxHashFor, authKeyIdFor, firstServerSalt } from '../../src/crypto/handshake-kdf.js';
import { TELEGRAM_TEST_KEY } from '../../src/crypto/rsa-keys.js';
import { SecurityError } from '../../src/crypto/security-error.js';
import { AuthKeyError } from '../../src/mtproto/auth-key-common.js';
import { AuthKeyExchange } from '../../src/mtproto/auth-key-client.js';
import { encodePlainMessage } from '../../src/mtproto/plain-message.js';
import { filled, fromServer } from './helpers.js';
import { ScriptedServer, T0 } from './scripted-server.js';

const server = new ScriptedServer();
const MARGIN = 1n << 1984n;

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** Feeds `message` and expects a SecurityError with `check`; the exchange is then dead. */
function expectRejected(
  client: AuthKeyExchange,
  message: Uint8Array,
  check: string,
  type: typeof SecurityError | typeof AuthKeyError = SecurityError,
): void {
  const error = errorOf(() => client.receive(message));
  expect(error).toBeInstanceOf(type);
  expect((error as SecurityError | AuthKeyError).check).toBe(check);
  expect(client.finished).toBe(true);
  const after = errorOf(() => client.receive(message));
  expect(after).toBeInstanceOf(AuthKeyError);
  expect((after as AuthKeyError).check).toBe('state');
}

function atServerDh(): AuthKeyExchange {
  const client = server.client();
  client.receive(server.resPQ());
  return client;
}

describe('resPQ checks', () => {
  it('wrong nonce → nonce', () => expectRejected(server.client(), server.resPQ({ nonce: filled(16, 0x12) }), 'nonce'));

  it('no fingerprint we know → AuthKeyError unknown_fingerprint', () => {
    const message = server.resPQ({ serverPublicKeyFingerprints: [1n, TELEGRAM_TEST_KEY.fingerprint] });
    expectRejected(server.client(), message, 'unknown_fingerprint', AuthKeyError);
  });

  it.each([
    ['a prime', 1202243663n],
    ['a square of a prime', 1202243663n * 1202243663n],
    ['beyond 64 bits', (1n << 64n) + 1n],
    ['zero', 0n],
  ])('pq that is %s → pq', (_, pq) => expectRejected(server.client(), server.resPQ({ pq: bigIntToBytes(pq) }), 'pq'));

  it('a body that is not resPQ → res_pq_malformed', () => {
    expectRejected(server.client(), server.dhParamsFail(), 'res_pq_malformed');
    expectRejected(server.client(), fromServer(new Uint8Array([1, 2, 3])), 'res_pq_malformed');
  });
});

describe('the unencrypted envelope', () => {
  const body = () => server.resPQ().subarray(20);
  it.each([
    ['an even (client) msg_id', () => encodePlainMessage(0x6000_0000_0000_0004n, body()), 'plain_msg_id'],
    ['a non-zero auth_key_id', () => Uint8Array.from(server.resPQ(), (b, i) => (i === 0 ? 1 : b)), 'plain_auth_key_id'],
    ['a length field one too big', () => Uint8Array.from(server.resPQ(), (b, i) => (i === 16 ? b + 1 : b)), 'plain_length'],
    ['a truncated header', () => server.resPQ().subarray(0, 19), 'plain_length'],
  ])('%s → %s', (_, message, check) => expectRejected(server.client(), message(), check));
});

describe('server_DH_params checks', () => {
  it('wrong server_nonce (outer) → server_nonce', () => {
    expectRejected(atServerDh(), server.dhParamsOk({ outer: { serverNonce: filled(16, 0x34) } }), 'server_nonce');
  });

  it('wrong nonce / server_nonce inside the encrypted answer', () => {
    expectRejected(atServerDh(), server.dhParamsOk({ inner: { nonce: filled(16, 0x12) } }), 'nonce');
    expectRejected(atServerDh(), server.dhParamsOk({ inner: { serverNonce: filled(16, 0x34) } }), 'server_nonce');
  });

  it('encrypted_answer length not a multiple of 16 → encrypted_length', () => {
    expectRejected(atServerDh(), server.dhParamsOk({ outer: { encryptedAnswer: new Uint8Array(600) } }), 'encrypted_length');
    expectRejected(atServerDh(), server.dhParamsOk({ outer: { encryptedAnswer: new Uint8Array(0) } }), 'encrypted_length');
  });

  it('a wrong SHA1 of the answer → encrypted_hash', () => {
    const corrupt = (plain: Uint8Array) => Uint8Array.from(plain, (b, i) => (i === 3 ? b ^ 1 : b));
    expectRejected(atServerDh(), server.dhParamsOk({ plaintext: corrupt }), 'encrypted_hash');
  });

  it('16 or more bytes after the answer → encrypted_padding', () => {
    const padded = (plain: Uint8Array) => Uint8Array.from([...plain, ...new Uint8Array(16)]);
    expectRejected(atServerDh(), server.dhParamsOk({ plaintext: padded }), 'encrypted_padding');
  });

  it('an answer that does not parse → encrypted_malformed', () => {
    const garbage = (plain: Uint8Array) => Uint8Array.from(plain, (b, i) => (i >= 20 && i < 24 ? 0xff : b));
    expectRejected(atServerDh(), server.dhParamsOk({ plaintext: garbage }), 'encrypted_malformed');
  });

  it.each([1, 8, 0, -1])('g = %s → dh_g_range', (g) => expectRejected(atServerDh(), server.dhParamsOk({ inner: { g } }), 'dh_g_range'));

  it('g = 2 on a prime ≡ 3 (mod 8) → dh_g_residue', () => {
    expectRejected(atServerDh(), server.dhParamsOk({ inner: { g: 2 } }), 'dh_g_residue');
  });

  it('a 2048-bit prime-looking number that is not a safe prime → dh_prime_not_safe', () => {
    const notSafe = TELEGRAM_DH_PRIME + 12n; // still ≡ 2 (mod 3) and ≡ 3 (mod 4), so only the primality test can refuse it
    expectRejected(atServerDh(), server.dhParamsOk({ inner: { dhPrime: bigIntToBytes(notSafe) } }), 'dh_prime_not_safe');
  });

  it('a dh_prime below 2^2047 → dh_prime_range', () => {
    expectRejected(atServerDh(), server.dhParamsOk({ inner: { dhPrime: bigIntToBytes(TELEGRAM_DH_PRIME >> 8n) } }), 'dh_prime_range');
  });

  it.each([
    ['1', 1n, 'dh_public_range'],
    ['0', 0n, 'dh_public_range'],
    ['p - 1', TELEGRAM_DH_PRIME - 1n, 'dh_public_range'],
    ['p', TELEGRAM_DH_PRIME, 'dh_public_range'],
    ['just below 2^1984', MARGIN - 1n, 'dh_public_window'],
    ['2^1984', MARGIN, 'dh_public_window'],
    ['p - 2^1984', TELEGRAM_DH_PRIME - MARGIN, 'dh_public_window'],
  ])('g_a = %s → %s', (_, gA, check) => {
    expectRejected(atServerDh(), server.dhParamsOk({ inner: { gA: bigIntToBytes(gA) } }), check);
  });

  it('server_DH_params_fail with the right hash → AuthKeyError server_dh_params_fail; wrong hash → new_nonce_hash', () => {
    expectRejected(atServerDh(), server.dhParamsFail(), 'server_dh_params_fail', AuthKeyError);
    expectRejected(atServerDh(), server.dhParamsFail(filled(16, 0)), 'new_nonce_hash');
  });

  it('a body that is neither server_DH_params_ok nor _fail → server_dh_params_malformed', () => {
    expectRejected(atServerDh(), server.resPQ(), 'server_dh_params_malformed');
  });
});

describe('dh_gen checks', () => {
  it('dh_gen_ok with the right hash finishes with the key both sides computed', () => {
    const { client, authKey } = server.atDhGen();
    const step = client.receive(server.dhGen(1, authKey));
    if (!('done' in step)) throw new Error('expected the key');
    expect(step.done.authKey).toEqual(authKey);
    expect(step.done.authKeyId).toEqual(authKeyIdFor(authKey, server.crypto));
    expect(step.done.serverSalt).toBe(firstServerSalt(server.newNonce, server.serverNonce));
    expect(step.done.timeOffset).toBe(0);
  });

  it.each([1, 2, 3] as const)('a wrong new_nonce_hash%s → new_nonce_hash%s', (n) => {
    const { client, authKey } = server.atDhGen();
    expectRejected(client, server.dhGen(n, authKey, { hash: filled(16, 7) }), `new_nonce_hash${n}`);
  });

  it('dh_gen_fail with the right hash → AuthKeyError dh_gen_fail', () => {
    const { client, authKey } = server.atDhGen();
    expectRejected(client, server.dhGen(3, authKey), 'dh_gen_fail', AuthKeyError);
  });

  it('wrong server_nonce in dh_gen_ok → server_nonce', () => {
    const { client, authKey } = server.atDhGen();
    expectRejected(client, server.dhGen(1, authKey, { serverNonce: filled(16, 0x34) }), 'server_nonce');
  });

  it('dh_gen_retry → a new g_b with retry_id = aux hash of the previous key; then dh_gen_ok', () => {
    const { client, authKey } = server.atDhGen();
    const inner = server.clientInner(client.receive(server.dhGen(2, authKey)));
    expect(inner.retryId).toBe(readInt64LE(authKeyAuxHashFor(authKey, server.crypto)));
    const secondKey = server.authKeyFor(inner);
    expect(secondKey).not.toEqual(authKey);
    const step = client.receive(server.dhGen(1, secondKey));
    expect('done' in step && step.done.authKey).toEqual(secondKey);
  });

  it('endless dh_gen_retry → AuthKeyError too_many_retries', () => {
    const { client, authKey } = server.atDhGen();
    let message = server.dhGen(2, authKey);
    for (let i = 0; i < 5; i++) message = server.dhGen(2, server.authKeyFor(server.clientInner(client.receive(message))));
    expectRejected(client, message, 'too_many_retries', AuthKeyError);
  });
});

describe('misuse', () => {
  it('start twice, receive before start → AuthKeyError state', () => {
    expect((errorOf(() => server.client().start()) as AuthKeyError).check).toBe('state');
    const unstarted = new AuthKeyExchange({ crypto: server.crypto, dcId: 2, now: () => T0 });
    expect((errorOf(() => unstarted.receive(server.resPQ())) as AuthKeyError).check).toBe('state');
  });
});
