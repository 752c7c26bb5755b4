/**
 * The test server: -404 for malformed input at every step (and for everything after), identical answers
 * to identical resends, the legacy RSA scheme and req_pq, the 10-minute state lifetime.
 */
import { describe, expect, it } from 'vitest';
import { bigIntToBytes } from '../../src/crypto/bigint.js';
import { generateDhKeyPair, TELEGRAM_DH_PRIME } from '../../src/crypto/dh.js';
import { tmpAesKeyIv } from '../../src/crypto/handshake-kdf.js';
import type { RandomSource } from '../../src/crypto/provider.js';
import { rsaPadDecrypt } from '../../src/crypto/rsa.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { SecurityError } from '../../src/crypto/security-error.js';
import { AuthKeyExchange, type AuthKeyStep } from '../../src/mtproto/auth-key-client.js';
import { encryptWithHash } from '../../src/mtproto/auth-key-common.js';
import { AuthKeyServer, type AuthKeyServerOptions, type AuthKeyServerStep } from '../../src/mtproto/auth-key-server.js';
import { encodePlainMessage } from '../../src/mtproto/plain-message.js';
import { Api, readObject, TlReader } from '../../src/api/index.js';
import { bodyOf, filled, legacyRsaEncrypt, seededRandom, serverKeyPair } from './helpers.js';

const crypto = nodeCrypto;
const T0 = 1_735_910_891_000;

function setup(options: Partial<AuthKeyServerOptions> = {}, clock = { now: T0 }, random?: RandomSource) {
  const { publicKey, serverKey } = serverKeyPair();
  const client = new AuthKeyExchange({ crypto, publicKeys: [publicKey], dcId: 2, now: () => clock.now, ...(random ? { random } : {}) });
  const server = new AuthKeyServer({ crypto, privateKey: serverKey, dcId: 2, now: () => clock.now, ...options });
  return { client, server, clock };
}

function sent(step: AuthKeyStep | AuthKeyServerStep): Uint8Array {
  if (!('send' in step)) throw new Error(`expected a message, got ${JSON.stringify(step)}`);
  return step.send;
}

/** The client's three messages (after feeding the server's answers), with the server's answers. */
function runToStep(steps: number, options: Partial<AuthKeyServerOptions> = {}, random?: RandomSource) {
  const ctx = setup(options, { now: T0 }, random);
  const requests = [ctx.client.start()];
  const answers: Uint8Array[] = [];
  for (let i = 0; i < steps; i++) {
    answers.push(sent(ctx.server.receive(requests[i]!)));
    requests.push(sent(ctx.client.receive(answers[i]!)));
  }
  return { ...ctx, requests, answers };
}

/** The same body with another client msg_id, as a resend would carry. */
function withNewMsgId(message: Uint8Array): Uint8Array {
  return encodePlainMessage(0x7000_0000_0000_0000n, bodyOf(message));
}

function flip(message: Uint8Array, index: number): Uint8Array {
  return Uint8Array.from(message, (b, i) => (i === index ? b ^ 0x40 : b));
}

describe('malformed input → -404, and -404 from then on', () => {
  const cases: [string, number, (req: Uint8Array) => Uint8Array][] = [
    ['req_pq garbage body', 0, () => encodePlainMessage(4n, new Uint8Array([1, 2, 3, 4]))],
    ['req_pq with an odd (server) msg_id', 0, (req) => encodePlainMessage(5n, bodyOf(req))],
    ['req_pq with a non-zero auth_key_id', 0, (req) => flip(req, 0)],
    ['req_DH_params with a wrong nonce', 1, (req) => flip(req, 24)],
    ['req_DH_params with a wrong server_nonce', 1, (req) => flip(req, 40)],
    ['req_DH_params with a wrong p', 1, (req) => flip(req, 58)],
    ['req_DH_params with an unknown fingerprint', 1, (req) => flip(req, 76)],
    ['req_DH_params with corrupt encrypted_data', 1, (req) => flip(req, 200)],
    ['req_DH_params truncated', 1, (req) => encodePlainMessage(8n, bodyOf(req).subarray(0, 100))],
    ['set_client_DH_params with a wrong nonce', 2, (req) => flip(req, 24)],
    ['set_client_DH_params with corrupt encrypted_data', 2, (req) => flip(req, 100)],
    [
      'set_client_DH_params with encrypted_data not a multiple of 16',
      2,
      (req) => {
        const r = Api.setClientDHParams.decode(bodyOf(req));
        return encodePlainMessage(8n, Api.setClientDHParams.encode({ ...r, encryptedData: r.encryptedData.subarray(1) }));
      },
    ],
    [
      'a message of the wrong step (req_pq again, new nonce)',
      2,
      () => encodePlainMessage(8n, Api.reqPqMulti.encode({ _: 'req_pq_multi', nonce: filled(16, 9) })),
    ],
  ];

  it.each(cases)('%s', (_, step, corrupt) => {
    const { server, requests } = runToStep(step);
    expect(server.receive(corrupt(requests[step]!))).toEqual({ error: -404 });
    expect(server.receive(requests[step]!)).toEqual({ error: -404 });
  });

  it('after dh_gen_retry, a set_client_DH_params still carrying retry_id 0', () => {
    const newNonce = filled(32, 0x22);
    const { server, requests } = runToStep(2, { retryOnce: true }, seededRandom(filled(16, 0x11), newNonce));
    expect(Api.DhGenRetry.decode(bodyOf(sent(server.receive(requests[2]!))))._).toBe('dh_gen_retry');
    const { nonce, serverNonce } = Api.setClientDHParams.decode(bodyOf(requests[2]!));
    const tmp = tmpAesKeyIv(newNonce, serverNonce, crypto);
    const gB = bigIntToBytes(generateDhKeyPair(TELEGRAM_DH_PRIME, 3, crypto).publicValue, 256);
    const inner = Api.ClientDHInnerData.encode({ _: 'client_DH_inner_data', nonce, serverNonce, retryId: 0n, gB });
    const encryptedData = encryptWithHash(inner, tmp, crypto, (n) => crypto.randomBytes(n));
    const stale = encodePlainMessage(16n, Api.setClientDHParams.encode({ _: 'set_client_DH_params', nonce, serverNonce, encryptedData }));
    expect(server.receive(stale)).toEqual({ error: -404 });
  });
});

describe('identical resends get identical answers', () => {
  it('at every step, also under a new msg_id, also after the server moved on', () => {
    const { server, requests, answers } = runToStep(2);
    const last = server.receive(requests[2]!);
    expect(last).toMatchObject({ done: expect.anything() });
    for (let i = 0; i < 3; i++) {
      const expected = i < 2 ? answers[i] : sent(last);
      expect(sent(server.receive(requests[i]!))).toEqual(expected);
      expect(sent(server.receive(withNewMsgId(requests[i]!)))).toEqual(expected);
    }
    // A replay reports no second `done`.
    expect(server.receive(requests[2]!)).not.toHaveProperty('done');
  });
});

describe('compatibility', () => {
  it('accepts req_pq (not only req_pq_multi)', () => {
    const { server } = setup();
    const answer = server.receive(encodePlainMessage(4n, Api.reqPq.encode({ _: 'req_pq', nonce: filled(16, 5) })));
    expect(Api.ResPQ.decode(bodyOf(sent(answer))).nonce).toEqual(filled(16, 5));
  });

  /** The client's req_DH_params re-encrypted in the legacy scheme. */
  function legacyReqDhParams(requests: Uint8Array[]): Uint8Array {
    const { publicKey, serverKey } = serverKeyPair();
    const req = Api.reqDHParams.decode(bodyOf(requests[1]!));
    const padded = rsaPadDecrypt(req.encryptedData, serverKey, crypto);
    const r = new TlReader(padded);
    readObject(r);
    const legacy = { ...req, encryptedData: legacyRsaEncrypt(padded.subarray(0, r.pos), publicKey, crypto) };
    return encodePlainMessage(8n, Api.reqDHParams.encode(legacy));
  }

  it('accepts the legacy RSA(SHA1(data) + data + random) encryption of p_q_inner_data when legacyRsa is on', () => {
    const { client, server, requests } = runToStep(1, { legacyRsa: true });
    const answer = sent(server.receive(legacyReqDhParams(requests)));
    const final = sent(server.receive(sent(client.receive(answer))));
    const done = client.receive(final);
    expect('done' in done).toBe(true);
  });

  it('refuses the legacy encryption by default (a downgrade path)', () => {
    const { server, requests } = runToStep(1);
    expect(server.receive(legacyReqDhParams(requests))).toEqual({ error: -404 });
  });

  it('refuses a g that fails the residue rule of its prime at construction', () => {
    const { serverKey } = serverKeyPair();
    expect(() => new AuthKeyServer({ crypto, privateKey: serverKey, dcId: 2, g: 2 })).toThrow(SecurityError);
  });
});

describe('state lifetime', () => {
  it('drops the handshake 10 minutes after its first message', () => {
    const clock = { now: T0 };
    const { client, server } = setup({}, clock);
    const resPQ = sent(server.receive(client.start()));
    const reqDh = sent(client.receive(resPQ));
    clock.now += 10 * 60 * 1000 + 1;
    expect(server.receive(reqDh)).toEqual({ error: -404 });
  });

  it('still answers just under 10 minutes', () => {
    const clock = { now: T0 };
    const { client, server } = setup({}, clock);
    const reqDh = sent(client.receive(sent(server.receive(client.start()))));
    clock.now += 10 * 60 * 1000;
    expect(server.receive(reqDh)).toHaveProperty('send');
  });
});
