/**
 * What the test server keeps between messages, bounded on real sockets: the per-source handshake rate
 * (-429), sessions and auth keys evicted when idle or beyond their caps (-404, and the client recovers
 * with a new key), stored answers within their byte limits.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { Api } from '../../src/api/index.js';
import type { TestServer, TestServerOptions } from '../../src/server/index.js';
import { registerEchoHandler } from '../../src/testing/load.js';
import { clientFor, testServer } from '../client/helpers.js';
import { RawClient, RpcFailure } from './raw-client.js';
import { startHandshake, waitFor } from './raw-socket.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(limits: TestServerOptions['limits']): Promise<TestServer> {
  server = await testServer({ transports: ['tcp'], limits });
  return server;
}

test('a source starting handshakes too fast gets -429 while another source completes one', async () => {
  const target = await start({ handshakesPerSecond: 1, handshakeBurst: 3 });
  // 127.0.0.2 is another loopback address: a different source for the server, still this machine.
  const flood = await Promise.all(Array.from({ length: 8 }, () => startHandshake(target, '127.0.0.2')));
  expect(flood.filter((answer) => answer === 'answered')).toHaveLength(3);
  expect(flood.filter((answer) => answer === 429)).toHaveLength(5);
  const client = await RawClient.connect(target);
  expect((await client.invoke(new Api.help.getConfig())).thisDc).toBe(target.dcId);
  client.close();
});

describe('eviction', () => {
  test('idle sessions and keys are forgotten; the key then gets -404 and the client recovers with a new one', async () => {
    const target = await start({ sessionIdleMs: 200, authKeyIdleMs: 400 });
    const client = clientFor(target, { transport: 'tcp', framing: 'intermediate', obfuscated: false });
    await client.connect();
    await client.invoke(new Api.help.getConfig());
    const [first] = target.authKeys();
    expect(target.usage()).toMatchObject({ authKeys: 1, sessions: 1 });
    await waitFor(() => target.usage().sessions === 0, 3000, 'the idle session to go');
    expect(target.usage().authKeys).toBe(1);
    await waitFor(() => target.usage().authKeys === 0, 3000, 'the idle key to go');
    const config = await client.invoke(new Api.help.getConfig());
    expect(config.thisDc).toBe(target.dcId);
    const keys = target.authKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.authKeyId).not.toBe(first!.authKeyId);
    await client.close();
  }, 15_000);

  test('beyond maxAuthKeys the least recently used key goes and gets -404', async () => {
    const target = await start({ maxAuthKeys: 2 });
    const oldest = await RawClient.connect(target);
    await RawClient.connect(target);
    await RawClient.connect(target);
    expect(target.usage().authKeys).toBe(2);
    void oldest.invoke(new Api.help.getConfig()).catch(() => undefined);
    await oldest.closed;
    expect(oldest.transportErrors).toEqual([404]);
  });

  test('beyond maxSessions the least recently used session goes', async () => {
    const target = await start({ maxSessions: 2 });
    const first = await RawClient.connect(target);
    await first.invoke(new Api.help.getConfig());
    for (const sessionId of [11n, 12n]) {
      const other = await RawClient.connect(target, { authKey: first.authKey, sessionId });
      await other.invoke(new Api.help.getConfig());
    }
    expect(target.usage().sessions).toBe(2);
    expect(target.authKeys()[0]!.sessions).toBe(2);
  });
});

test('stored answers stay within their per-session and total byte limits', async () => {
  const target = await start({ maxStoredAnswers: 1000, maxStoredAnswerBytes: 1024, maxStoredAnswerBytesTotal: 2048 });
  registerEchoHandler(target);
  const resolve = (n: number) => new Api.contacts.resolveUsername({ username: `load_${n}` });
  const first = await RawClient.connect(target);
  await Promise.all(Array.from({ length: 100 }, (_, n) => first.invoke(resolve(n))));
  const oneSession = target.usage().storedAnswerBytes;
  expect(oneSession).toBeGreaterThan(512);
  expect(oneSession).toBeLessThanOrEqual(1024);
  for (const sessionId of [21n, 22n, 23n]) {
    const other = await RawClient.connect(target, { authKey: first.authKey, sessionId });
    await Promise.all(Array.from({ length: 100 }, (_, n) => other.invoke(resolve(n))));
  }
  expect(target.usage().storedAnswerBytes).toBeLessThanOrEqual(2048);
  expect(target.usage().storedAnswerBytes).toBeGreaterThan(1024);
});

test('a query whose gzip_packed body inflates beyond maxInflatedBytes is answered 400 INPUT_FETCH_ERROR, one under it runs', async () => {
  const target = await start({ maxInflatedBytes: 64 * 1024 });
  // Answers with the length of the username it read: proof that the body was inflated in full.
  target.registerHandler('contacts.resolveUsername', (query) => ({
    _: 'contacts.resolvedPeer',
    peer: { _: 'peerUser', userId: BigInt(query.username.length) },
    chats: [],
    users: [],
  }));
  const client = await RawClient.connect(target);
  // Compressible, so the client sends it as gzip_packed: the server inflates it before reading it.
  const resolve = (length: number) => client.invoke(new Api.contacts.resolveUsername({ username: 'a'.repeat(length) }));
  await expect(resolve(128 * 1024)).rejects.toEqual(new RpcFailure(400, 'INPUT_FETCH_ERROR'));
  const answer = await resolve(32 * 1024);
  expect(answer.peer).toEqual({ _: 'peerUser', userId: BigInt(32 * 1024) });
});

test('limits that cannot work are refused with a typed error', async () => {
  await expect(testServer({ limits: { maxConnections: 0 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  await expect(testServer({ limits: { maxAnonymousFrame: 4096, maxFrame: 1024 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  await expect(testServer({ limits: { idleTimeoutMs: Infinity } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
});
