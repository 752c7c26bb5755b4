/**
 * Client and server state machines against each other in memory, on both crypto providers and with every
 * p_q_inner_data constructor, including the forced dh_gen_retry path.
 */
import { describe, expect, it } from 'vitest';
import { AuthKeyExchange, type AuthKeyExchangeOptions } from '../../src/mtproto/auth-key-client.js';
import { runHandshakeInMemory } from '../../src/testing/auth-key-memory.js';
import { AuthKeyServer, type AuthKeyServerOptions } from '../../src/mtproto/auth-key-server.js';
import { Api } from '../../src/api/index.js';
import { decodePlainMessage } from '../../src/mtproto/plain-message.js';
import { PROVIDERS, serverKeyPair } from '../mtproto/helpers.js';
import type { CryptoProvider } from '../../src/crypto/provider.js';

const T0 = 1_735_910_891_000;

function pair(
  crypto: CryptoProvider,
  client: Partial<AuthKeyExchangeOptions> = {},
  server: Partial<AuthKeyServerOptions> = {},
): { client: AuthKeyExchange; server: AuthKeyServer } {
  const { publicKey, serverKey } = serverKeyPair();
  return {
    client: new AuthKeyExchange({ crypto, publicKeys: [publicKey], dcId: 2, now: () => T0, ...client }),
    server: new AuthKeyServer({ crypto, privateKey: serverKey, dcId: 2, now: () => T0 + 7_000, ...server }),
  };
}

const VARIANTS: [string, Partial<AuthKeyExchangeOptions>][] = [
  ['p_q_inner_data_dc', {}],
  ['p_q_inner_data_temp_dc', { temp: { expiresIn: 3600 } }],
  ['p_q_inner_data (legacy)', { innerDataVariant: 'legacy' }],
  ['p_q_inner_data_temp (legacy)', { innerDataVariant: 'legacy', temp: { expiresIn: 86400 } }],
  ['p_q_inner_data_dc for a media DC', { media: true }],
];

describe.each(PROVIDERS)('client against server in memory ($name provider)', (crypto) => {
  it.each(VARIANTS)('%s: both sides agree on key, key id and salt', (_, clientOptions) => {
    const { client, server } = pair(crypto, clientOptions);
    const result = runHandshakeInMemory(client, server);
    expect(result.client.authKey).toHaveLength(256);
    expect(result.client.authKey).toEqual(result.server.authKey);
    expect(result.client.authKeyId).toEqual(result.server.authKeyId);
    expect(result.client.authKeyIdLong).toBe(result.server.authKeyIdLong);
    expect(result.client.serverSalt).toBe(result.server.serverSalt);
    expect(result.client.timeOffset).toBe(7);
    const expiresIn = clientOptions.temp?.expiresIn;
    expect(result.server.expiresIn).toBe(expiresIn);
    expect(result.client.expiresAt).toBe(expiresIn === undefined ? undefined : (T0 + 7_000) / 1000 + expiresIn);
  });

  it('forced dh_gen_retry: the client retries with a new b and retry_id = aux hash, the keys still agree', () => {
    const { client, server } = pair(crypto, {}, { retryOnce: true });
    const answers: string[] = [];
    let toServer = client.start();
    for (;;) {
      const reply = server.receive(toServer);
      if ('error' in reply) throw new Error(`server error ${reply.error}`);
      answers.push(decodeName(reply.send));
      const step = client.receive(reply.send);
      if ('done' in step) {
        expect(reply.done?.authKey).toEqual(step.done.authKey);
        break;
      }
      toServer = step.send;
    }
    expect(answers).toEqual(['resPQ', 'server_DH_params_ok', 'dh_gen_retry', 'dh_gen_ok']);
  });
});

function decodeName(message: Uint8Array): string {
  const { body } = decodePlainMessage(message);
  const id = new DataView(body.buffer, body.byteOffset).getUint32(0, true);
  const byId = new Map<number, string>([
    [Api.ResPQ.id, 'resPQ'],
    [Api.ServerDHParamsOk.id, 'server_DH_params_ok'],
    [Api.DhGenRetry.id, 'dh_gen_retry'],
    [Api.DhGenOk.id, 'dh_gen_ok'],
  ]);
  return byId.get(id) ?? 'other';
}

describe('msg_ids and environments', () => {
  const crypto = PROVIDERS[0]!;

  it('client messages are ≡ 0 (mod 4) and increasing, server answers ≡ 1 (mod 4)', () => {
    const { client, server } = pair(crypto, { now: () => T0 }, { now: () => T0 });
    const clientIds: bigint[] = [];
    let toServer = client.start();
    for (;;) {
      const ownId = decodePlainMessage(toServer, { sender: 'client' }).msgId;
      clientIds.push(ownId);
      const reply = server.receive(toServer);
      if ('error' in reply) throw new Error('server error');
      expect(decodePlainMessage(reply.send).msgId & 3n).toBe(1n);
      const step = client.receive(reply.send);
      if ('done' in step) break;
      toServer = step.send;
    }
    expect(clientIds).toHaveLength(3);
    expect(clientIds[0]! < clientIds[1]! && clientIds[1]! < clientIds[2]!).toBe(true);
  });

  it('a test-DC client on a production server gets -444, a wrong DC id -404', () => {
    for (const [clientOptions, code] of [
      [{ test: true }, -444],
      [{ dcId: 3 }, -404],
    ] as const) {
      const { client, server } = pair(crypto, clientOptions);
      const resPQ = server.receive(client.start());
      if (!('send' in resPQ)) throw new Error('expected resPQ');
      const step = client.receive(resPQ.send);
      if (!('send' in step)) throw new Error('expected req_DH_params');
      expect(server.receive(step.send)).toEqual({ error: code });
    }
  });

  it('a portable-provider client and a node-provider server agree', () => {
    const { publicKey, serverKey } = serverKeyPair();
    const client = new AuthKeyExchange({ crypto: PROVIDERS[1]!, publicKeys: [publicKey], dcId: 4 });
    const server = new AuthKeyServer({ crypto, privateKey: serverKey, dcId: 4 });
    const result = runHandshakeInMemory(client, server);
    expect(result.client.authKey).toEqual(result.server.authKey);
    expect(result.client.serverSalt).toBe(result.server.serverSalt);
  });

  it('a test-DC client on a test server works', () => {
    const { client, server } = pair(crypto, { test: true }, { test: true });
    const result = runHandshakeInMemory(client, server);
    expect(result.client.authKey).toEqual(result.server.authKey);
  });
});
