import { afterAll, expect, test } from 'vitest';
import type { TestServer } from '../../src/server/index.js';
import { registerEchoHandler, runLoad } from '../../src/testing/load.js';
import { Api } from '../../src/api/index.js';
import { RpcError } from '../../src/client/index.js';
import { clientFor, testServer } from '../client/helpers.js';

let server: TestServer | undefined;
afterAll(() => server?.close());

test('100 concurrent clients × 20 requests: every answer arrives once, to the request that asked for it', async () => {
  // Every client connects from 127.0.0.1: the per-source handshake limit must let all 100 start at once.
  server = await testServer({ limits: { handshakeBurst: 100 } });
  let executed = 0;
  registerEchoHandler(server, () => executed++);
  const result = await runLoad(server, { clients: 100, requestsPerClient: 20 });
  expect(result.requests).toBe(2000);
  // Nothing was lost, and nothing ran twice (no resends were needed on a healthy loopback).
  expect(executed).toBe(2000);
  expect(server.authKeys()).toHaveLength(100);
}, 120_000);

test('the echo handler answers a name that is not load_<n> with 400 USERNAME_NOT_OCCUPIED, however long', async () => {
  server ??= await testServer({ limits: { handshakeBurst: 100 } });
  registerEchoHandler(server);
  const client = clientFor(server, { transport: 'tcp', framing: 'intermediate', obfuscated: false });
  await client.connect();
  try {
    for (const username of ['nobody', 'a'.repeat(512 * 1024)]) {
      const error = await client.invoke(new Api.contacts.resolveUsername({ username })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcError);
      expect(error).toMatchObject({ errorCode: 400, errorMessage: 'USERNAME_NOT_OCCUPIED' });
    }
  } finally {
    await client.close();
  }
});
