import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../src/api/index.js';
import { encryptBindMessage } from '../../src/crypto/bind-message.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import type { AuthKeyResult } from '../../src/mtproto/auth-key-client.js';
import { MsgIdGenerator } from '../../src/mtproto/msg-id.js';
import type { TestServer } from '../../src/server/index.js';
import { testServer } from '../client/helpers.js';
import { RawClient, RpcFailure } from './raw-client.js';

const TEMP_LIFETIME = 3600;
let serverNow = Date.now();
let server: TestServer;
let perm: RawClient;
const opened: RawClient[] = [];

beforeAll(async () => {
  server = await testServer({ transports: ['tcp'], now: () => serverNow });
  perm = await RawClient.connect(server);
  opened.push(perm);
  await perm.invoke(new Api.auth.importBotAuthorization({ flags: 0, apiId: 1, apiHash: 'x', botAuthToken: '1000001:t' }));
});
afterAll(async () => {
  for (const c of opened) c.close();
  await server.close();
});

async function tempKey(): Promise<AuthKeyResult> {
  const client = await RawClient.connect(server, { temp: { expiresIn: TEMP_LIFETIME } });
  opened.push(client);
  return client.authKey;
}

interface BindEdits {
  nonce?: bigint;
  innerNonce?: bigint;
  tempSessionId?: bigint;
  msgIdDelta?: bigint;
  expiresAt?: number;
  innerExpiresAt?: number;
  /** Encrypt encrypted_message under this key instead of the permanent one. */
  sealWith?: AuthKeyResult;
}

/**
 * Sends auth.bindTempAuthKey as the first message of a new session under `temp`, its msg_id known in
 * advance (a frozen clock makes the session's first msg_id the generator's first), with `edits` applied
 * to what the encrypted_message or the call says.
 */
async function bind(temp: AuthKeyResult, edits: BindEdits = {}): Promise<{ client: RawClient; answer: Promise<boolean> }> {
  const frozen = Date.now();
  const client = await RawClient.connect(server, { authKey: temp, now: () => frozen });
  opened.push(client);
  const msgId = new MsgIdGenerator(() => frozen, temp.timeOffset).next('client');
  const expiresAt = Math.floor(serverNow / 1000) + 600;
  const nonce = 0x1234_5678_9abc_def0n;
  const inner = Api.BindAuthKeyInner.encode({
    _: 'bind_auth_key_inner',
    nonce: edits.innerNonce ?? nonce,
    tempAuthKeyId: temp.authKeyIdLong,
    permAuthKeyId: perm.authKey.authKeyIdLong,
    tempSessionId: edits.tempSessionId ?? client.session.sessionId,
    expiresAt: edits.innerExpiresAt ?? edits.expiresAt ?? expiresAt,
  });
  const sealer = edits.sealWith ?? perm.authKey;
  const encryptedMessage = encryptBindMessage(
    { authKey: sealer.authKey, authKeyId: perm.authKey.authKeyId },
    msgId + (edits.msgIdDelta ?? 0n),
    inner,
    nodeCrypto,
  );
  const answer = client.invoke(
    new Api.auth.bindTempAuthKey({
      permAuthKeyId: perm.authKey.authKeyIdLong,
      nonce: edits.nonce ?? nonce,
      expiresAt: edits.expiresAt ?? expiresAt,
      encryptedMessage,
    }),
  );
  return { client, answer };
}

const refusal = async (pending: Promise<unknown>): Promise<string> => {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RpcFailure)) throw new Error(`expected an rpc_error, got ${String(error)}`);
  return error.errorMessage;
};

describe('auth.bindTempAuthKey on the test server', () => {
  it('binds a temporary key to the permanent one: the temp key then acts as the signed-in user', async () => {
    const temp = await tempKey();
    const { client, answer } = await bind(temp);
    expect(await answer).toBe(true);
    const [me] = await client.invoke(new Api.users.getUsers({ id: [new Api.InputUserSelf()] }));
    expect(me?._ === 'user' && me.id).toBe(1000001n);
    expect(await refusal((await bind(temp)).answer)).toBe('TEMP_AUTH_KEY_ALREADY_BOUND');
  });

  it.each<[string, BindEdits]>([
    ['a wrong nonce in the call', { nonce: 1n }],
    ['a wrong nonce inside the message', { innerNonce: 2n }],
    ['another session id', { tempSessionId: 99n }],
    ['another msg_id inside', { msgIdDelta: 4n }],
    ['expires_at differing inside', { innerExpiresAt: Math.floor(serverNow / 1000) + 601 }],
    ['a message not encrypted with the permanent key', { sealWith: undefined }],
  ])('refuses %s with ENCRYPTED_MESSAGE_INVALID', async (_, edits) => {
    const temp = await tempKey();
    const sealed = 'sealWith' in edits ? { ...edits, sealWith: temp } : edits;
    expect(await refusal((await bind(temp, sealed)).answer)).toBe('ENCRYPTED_MESSAGE_INVALID');
    // The refusals left the key unbound: a correct bind still works.
    expect(await (await bind(temp)).answer).toBe(true);
  });

  it('refuses an expires_at past what the handshake granted, and a bind under a permanent key', async () => {
    const temp = await tempKey();
    const late = Math.floor(serverNow / 1000) + TEMP_LIFETIME + 60;
    expect(await refusal((await bind(temp, { expiresAt: late })).answer)).toBe('EXPIRES_AT_INVALID');
    expect(await refusal((await bind(perm.authKey)).answer)).toBe('TEMP_AUTH_KEY_EMPTY');
  });

  it('forgets an expired temporary key: its messages get -404, so no bind or call goes through', async () => {
    const temp = await tempKey();
    serverNow += (TEMP_LIFETIME + 1) * 1000;
    try {
      const { client } = await bind(temp);
      await client.closed;
      expect(client.transportErrors).toEqual([404]);
    } finally {
      serverNow -= (TEMP_LIFETIME + 1) * 1000;
    }
  });
});
