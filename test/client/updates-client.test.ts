import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TlObject } from '../../src/api/index.js';
import type { LogLevel } from '../../src/client/index.js';
import type { TestServer } from '../../src/server/index.js';
import { clientFor, signIn, testServer } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

/** Fails fast instead of running into the test timeout when something never arrives. */
const within = <T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms).unref()),
  ]);

test('a throwing update listener is logged as such, and the update still reaches the other listeners and iterators', async () => {
  const logs: { level: LogLevel; message: string; data?: Record<string, unknown> }[] = [];
  const client = clientFor(
    server,
    { transport: 'tcp', framing: 'intermediate', obfuscated: false },
    {
      logger: (level, message, data) => logs.push({ level, message, data }),
    },
  );
  try {
    await client.connect();
    const user = await signIn(client, '42000000001');
    client.updates.on(() => {
      throw new Error('listener bug');
    });
    const heard: TlObject[] = [];
    const received = new Promise<void>((resolve) =>
      client.updates.on((u) => {
        heard.push(u);
        resolve();
      }),
    );
    const iterated = (async () => {
      for await (const u of client.updates) return u;
      return undefined;
    })();
    server.pushUpdate(user.id, { _: 'updateConfig' });
    await within(received, 'second listener');
    expect(heard).toEqual([expect.objectContaining({ _: 'updates', updates: [{ _: 'updateConfig' }] })]);
    expect(await within(iterated, 'iterator')).toMatchObject({ _: 'updates' });
    expect(logs).toContainEqual({ level: 'error', message: 'an update listener threw', data: { error: 'listener bug' } });
    expect(logs.map((l) => l.message)).not.toContain('undecodable update dropped');
  } finally {
    await client.close();
  }
});
