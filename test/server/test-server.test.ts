import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nodeCrypto } from '../../src/crypto/node.js';
import { decryptMessage } from '../../src/crypto/message.js';
import { generateRsaKeyPair } from '../../src/crypto/rsa-keygen.js';
import { ServerRpcError, startTestServer, type TestServer } from '../../src/server/index.js';
import { encodeObject, type Api, type TlObject } from '../../src/api/index.js';
import { createClientCodec, type Framing } from '../../src/transport/index.js';
import { connectWebSocket } from '../../src/transport/websocket.js';
import { RawClient, RpcFailure, inLayer } from './raw-client.js';

let server: TestServer;
const logs: { level: string; message: string }[] = [];
/** One key for both servers of this file: generating one takes about a second. */
const rsaKey = generateRsaKeyPair();

beforeAll(async () => {
  // This file makes more than the default burst of 20 handshakes from 127.0.0.1 within a few seconds.
  server = await startTestServer({ rsaKey, limits: { handshakeBurst: 100 }, log: (level, message) => logs.push({ level, message }) });
});
afterAll(async () => {
  await server.close();
});

const getConfig: Api.help.getConfig = { _: 'help.getConfig' };
describe('test server over TCP and WebSocket', () => {
  const modes: [Framing, boolean][] = [
    ['abridged', false],
    ['intermediate', false],
    ['padded', false],
    ['full', false],
    ['abridged', true],
    ['intermediate', true],
    ['padded', true],
  ];
  test.each(modes)(
    'TCP %s (obfuscated: %s): handshake, then help.getConfig wrapped in invokeWithLayer/initConnection',
    async (framing, obfuscated) => {
      const client = await RawClient.connect(server, { framing, obfuscated });
      const config = (await client.invoke(inLayer(228, getConfig))) as Api.Config;
      expect(config).toMatchObject({
        _: 'config',
        thisDc: server.dcId,
        dcOptions: [{ id: server.dcId, ipAddress: '127.0.0.1', port: server.tcpPort }],
      });
      client.close();
    },
  );

  test('WebSocket (obfuscated, /apiws): handshake and help.getConfig', async () => {
    const client = await RawClient.connect(server, { transport: 'websocket', framing: 'padded' });
    expect(await client.invoke(getConfig)).toMatchObject({ _: 'config', thisDc: 2 });
    client.close();
  });

  test.each<Framing>(['abridged', 'intermediate', 'padded'])(
    'WebSocket with plain %s framing (its usual first bytes, no obfuscation): handshake and help.getConfig',
    async (framing) => {
      const client = await RawClient.connect(server, { transport: 'websocket', framing, obfuscated: false });
      expect([client.codec.framing, client.codec.obfuscated]).toEqual([framing, false]);
      expect(await client.invoke(getConfig)).toMatchObject({ _: 'config', thisDc: 2 });
      client.close();
    },
  );

  test('webSocketPlain: false: a plain framing over WebSocket is dropped with OBFUSCATION_REQUIRED; obfuscated still works', async () => {
    const refusals: unknown[] = [];
    const strict = await startTestServer({
      rsaKey,
      webSocketPlain: false,
      log: (_level, message, data) => message === 'dropping connection after bad input' && refusals.push(data),
    });
    try {
      const connection = await connectWebSocket({ url: strict.wsUrl! });
      const closed = new Promise((resolve) => connection.onClose(resolve));
      const codec = createClientCodec({ framing: 'intermediate', crypto: nodeCrypto });
      connection.send(codec.start());
      connection.send(codec.encode(new Uint8Array(40)));
      // Torn down without a close frame, as for any framing error.
      expect(await closed).toMatchObject({ code: 'WEBSOCKET_CLOSED', message: expect.stringContaining('1006') });
      expect(refusals).toEqual([{ transport: 'websocket', error: 'plain intermediate framing on an obfuscated-only endpoint' }]);
      const client = await RawClient.connect(strict, { transport: 'websocket', framing: 'abridged' });
      expect(await client.invoke(getConfig)).toMatchObject({ _: 'config', thisDc: 2 });
      client.close();
    } finally {
      await strict.close();
    }
  });

  test('a saved auth key reconnects without a handshake and keeps its session', async () => {
    const first = await RawClient.connect(server);
    await first.invoke(getConfig);
    first.close();
    await first.closed;
    const again = await RawClient.connect(server, { authKey: first.authKey, sessionId: first.session.sessionId });
    expect(await again.invoke({ _: 'help.getNearestDc' })).toMatchObject({ _: 'nearestDc', thisDc: 2 });
    expect(server.authKeys().find((k) => k.authKeyId === Buffer.from(first.authKey.authKeyId).toString('hex'))?.sessions).toBe(1);
    again.close();
  });

  test('quick ack requests are answered with the message token', async () => {
    const client = await RawClient.connect(server, { framing: 'intermediate' });
    await client.invoke(getConfig, { quickAck: true });
    const asked = client.sent.find((s) => s.quickAck)!.frame;
    const { quickAckToken } = decryptMessage(client.authKey.authKey, client.authKey.authKeyId, asked, 0, {
      provider: nodeCrypto,
      quickAckToken: true,
    });
    expect(client.quickAcks).toEqual([quickAckToken]);
    client.close();
  });

  test('ping_delay_disconnect: pong, then the server closes the connection when the delay runs out', async () => {
    const client = await RawClient.connect(server);
    expect(await client.invoke({ _: 'ping_delay_disconnect', pingId: 5n, disconnectDelay: 0 })).toMatchObject({ _: 'pong', pingId: 5n });
    expect(await client.closed).toBeUndefined();
  });

  test('salt rotation: the client gets bad_server_salt, resends, and the call succeeds', async () => {
    const client = await RawClient.connect(server);
    await client.invoke(getConfig);
    const before = client.session.serverSalt;
    server.rotateSalt();
    expect(await client.invoke({ _: 'help.getNearestDc' })).toMatchObject({ _: 'nearestDc' });
    expect(client.session.serverSalt).not.toBe(before);
    client.close();
  });
});

describe('errors never hang and never take the server down', () => {
  test('a method without handler: 400 METHOD_NOT_SUPPORTED; an id outside the schema: 400 INPUT_METHOD_INVALID_<id>', async () => {
    const client = await RawClient.connect(server);
    await expect(client.invoke({ _: 'messages.getDialogFilters' } as TlObject)).rejects.toMatchObject({
      code: 400,
      errorMessage: 'METHOD_NOT_SUPPORTED',
    });
    const outside = client.invokeBytes(Uint8Array.of(0x04, 0x03, 0x02, 0x01));
    await expect(outside).rejects.toMatchObject({ code: 400, errorMessage: `INPUT_METHOD_INVALID_${0x01020304}` });
    client.close();
  });

  test('calls that need a signed-in user get 401 AUTH_KEY_UNREGISTERED', async () => {
    const client = await RawClient.connect(server);
    await expect(client.invoke({ _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] })).rejects.toMatchObject({
      code: 401,
      errorMessage: 'AUTH_KEY_UNREGISTERED',
    });
    client.close();
  });

  test('custom handlers (option and registerHandler): results, thrown rpc errors, crashes and wrong result types', async () => {
    const ownLogs: { level: string; message: string }[] = [];
    const own = await startTestServer({
      rsaKey,
      transports: ['tcp'],
      log: (level, message) => ownLogs.push({ level, message }),
      handlers: { 'help.getNearestDc': () => ({ _: 'nearestDc', country: 'XX', thisDc: 9, nearestDc: 9 }) },
    });
    own.registerHandler('help.getAppConfig', () => {
      throw new ServerRpcError(420, 'FLOOD_WAIT_7');
    });
    own.registerHandler('help.getSupport', () => {
      throw new Error('handler bug');
    });
    own.registerHandler('help.getInviteText', () => ({ _: 'boolTrue' }) as never);
    const client = await RawClient.connect(own);
    expect(await client.invoke({ _: 'help.getNearestDc' })).toMatchObject({ country: 'XX' });
    await expect(client.invoke({ _: 'help.getAppConfig', hash: 0 })).rejects.toMatchObject({ code: 420, errorMessage: 'FLOOD_WAIT_7' });
    await expect(client.invoke({ _: 'help.getSupport' })).rejects.toMatchObject({ code: 500 });
    await expect(client.invoke({ _: 'help.getInviteText' })).rejects.toMatchObject({ code: 500 });
    expect(ownLogs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'handler for help.getSupport threw',
      'handler for help.getInviteText returned a value of the wrong type',
    ]);
    client.close();
    await own.close();
  });

  test('an unknown auth key gets -404 and is closed; the server serves the next connection', async () => {
    const client = await RawClient.connect(server);
    const bogus = new Uint8Array(88);
    bogus.set(nodeCrypto.randomBytes(88));
    client.sendPayload(bogus);
    await client.closed;
    expect(client.transportErrors).toEqual([404]);
    expect(logs).toContainEqual({ level: 'warn', message: 'transport error -404: unknown auth key' });
    const next = await RawClient.connect(server);
    expect(await next.invoke(getConfig)).toMatchObject({ _: 'config' });
    next.close();
  });

  test('a tampered encrypted message closes the connection; a framing error too; the server goes on', async () => {
    const client = await RawClient.connect(server);
    await client.invoke(getConfig);
    client.session.send(encodeObject(getConfig));
    const frame = client.session.flush()!;
    frame[frame.length - 1]! ^= 1;
    client.sendPayload(frame);
    await client.closed;
    expect(client.transportErrors).toEqual([]);
    expect(logs).toContainEqual({ level: 'warn', message: 'message failed decryption checks' });

    const framing = await RawClient.connect(server, { framing: 'intermediate' });
    framing.connection.send(Uint8Array.of(0xff, 0xff, 0xff, 0x7f)); // a 2 GiB frame length
    await framing.closed;

    const next = await RawClient.connect(server);
    expect(await next.invoke(getConfig)).toMatchObject({ _: 'config' });
    next.close();
  });
});

describe('signing in', () => {
  test('auth.importBotAuthorization with "<user id>:..." signs the key in as that user', async () => {
    const client = await RawClient.connect(server);
    const auth = (await client.invoke({
      _: 'auth.importBotAuthorization',
      flags: 0,
      apiId: 1,
      apiHash: 'x',
      botAuthToken: '1000001:test',
    })) as Api.auth.Authorization;
    expect(auth.user).toMatchObject({ _: 'user', id: 1000001n, firstName: 'Alice', self: true });
    const [me] = (await client.invoke({
      _: 'users.getUsers',
      id: [{ _: 'inputUserSelf' }, { _: 'inputUser', userId: 1000002n, accessHash: 1n }],
    })) as Api.User[];
    expect(me).toMatchObject({ id: 1000001n });
    await expect(
      client.invoke({ _: 'auth.importBotAuthorization', flags: 0, apiId: 1, apiHash: 'x', botAuthToken: '999:x' }),
    ).rejects.toBeInstanceOf(RpcFailure);
    client.close();
  });

  test('auth.sendCode + auth.signIn with code 12345', async () => {
    const client = await RawClient.connect(server);
    const sent = (await client.invoke({
      _: 'auth.sendCode',
      phoneNumber: '+42000000002',
      apiId: 1,
      apiHash: 'x',
      settings: { _: 'codeSettings' },
    })) as Api.auth.SentCode;
    await expect(
      client.invoke({ _: 'auth.signIn', phoneNumber: '+42000000002', phoneCodeHash: sent.phoneCodeHash, phoneCode: '00000' }),
    ).rejects.toMatchObject({
      errorMessage: 'PHONE_CODE_INVALID',
    });
    const auth = (await client.invoke({
      _: 'auth.signIn',
      phoneNumber: '+42000000002',
      phoneCodeHash: sent.phoneCodeHash,
      phoneCode: '12345',
    })) as Api.auth.Authorization;
    expect(auth.user).toMatchObject({ id: 1000002n, firstName: 'Bob' });
    expect(server.authKeys().find((k) => k.authKeyId === Buffer.from(client.authKey.authKeyId).toString('hex'))?.userId).toBe(1000002n);
    client.close();
  });

  test('pushUpdate reaches the signed-in sessions of the user', async () => {
    const client = await RawClient.connect(server);
    await client.invoke({ _: 'auth.importBotAuthorization', flags: 0, apiId: 1, apiHash: 'x', botAuthToken: '1000004:test' });
    server.pushUpdate(1000004n, { _: 'updateConfig' });
    const update = await client.nextUpdate((u) => (u._ === 'updates' ? (u as Api.Updates) : undefined));
    expect(update.updates).toEqual([{ _: 'updateConfig' }]);
    client.close();
  });
});
