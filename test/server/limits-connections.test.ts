/**
 * What a connection may cost the test server, on real sockets: frame announcements, buffered bytes,
 * handshake and idle timeouts, the connection cap. Limits are set small so that each is reached quickly.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { TestServer, TestServerOptions } from '../../src/server/index.js';
import { clientFor, testServer } from '../client/helpers.js';
import { announce, expectStalledClosedWhileClientWorks, openSocket, waitFor, type RawSocket } from './raw-socket.js';
import { RawClient } from './raw-client.js';

let server: TestServer | undefined;
const sockets: RawSocket[] = [];
afterEach(async () => {
  for (const raw of sockets.splice(0)) raw.socket.destroy();
  await server?.close();
  server = undefined;
});

async function start(limits: TestServerOptions['limits']): Promise<TestServer> {
  server = await testServer({ transports: ['tcp'], limits });
  return server;
}

async function open(target: TestServer, count: number, firstBytes: Uint8Array): Promise<RawSocket[]> {
  const opened = await Promise.all(Array.from({ length: count }, () => openSocket(target)));
  for (const raw of opened) raw.socket.write(firstBytes);
  sockets.push(...opened);
  return opened;
}

describe('frame announcements', () => {
  test('16 MiB announced: refused on the header, before any body is buffered', async () => {
    const target = await start({});
    const [raw] = await open(target, 1, announce(16 * 1024 * 1024, new Uint8Array(8).fill(7)));
    await raw!.closed;
    expect(target.usage().bufferedBytes).toBe(0);
  });

  test('a frame under maxFrame but above maxAnonymousFrame, with an unknown auth key, is refused on its auth_key_id', async () => {
    const target = await start({ maxFrame: 1024 * 1024, maxAnonymousFrame: 1024 });
    const [raw] = await open(target, 1, announce(512 * 1024, new Uint8Array(4096).fill(7)));
    await raw!.closed;
    expect(target.usage()).toMatchObject({ bufferedBytes: 0, connections: 0 });
  });

  test('buffered bytes over all connections stay within maxBufferedBytes: the connection that passes it is closed', async () => {
    const target = await start({ maxAnonymousFrame: 4096, maxBufferedBytes: 16 * 1024 });
    // Each holds 4,000 bytes of an unfinished 4,092-byte frame: the fifth passes 16 KiB.
    const opened: RawSocket[] = [];
    for (let i = 0; i < 8; i++) {
      opened.push(...(await open(target, 1, announce(4092, new Uint8Array(4000)))));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitFor(() => opened.filter((raw) => raw.isClosed()).length >= 4, 5000, 'connections over budget to close');
    expect(target.usage().bufferedBytes).toBeLessThanOrEqual(16 * 1024);
    expect(opened.filter((raw) => !raw.isClosed())).toHaveLength(4);
  });
});

describe('timeouts', () => {
  test('one-byte connections are closed by the handshake timeout while a normal client connects and works', async () => {
    const target = await start({ handshakeTimeoutMs: 1000 });
    const stalled = await open(target, 200, Uint8Array.of(0xef));
    await expectStalledClosedWhileClientWorks(
      target,
      stalled,
      clientFor(target, { transport: 'tcp', framing: 'intermediate', obfuscated: false }),
    );
  }, 15_000);

  test('a connection with no frame for idleTimeoutMs is closed', async () => {
    const target = await start({ idleTimeoutMs: 500 });
    const client = await RawClient.connect(target);
    const started = Date.now();
    await client.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });
});

test('maxConnections: one more is closed on arrival; a freed place is taken again', async () => {
  const target = await start({ maxConnections: 5 });
  const admitted = await open(target, 5, Uint8Array.of(0xef));
  await waitFor(() => target.usage().connections === 5, 2000, 'five connections');
  const [extra] = await open(target, 1, Uint8Array.of(0xef));
  await extra!.closed;
  expect(admitted.every((raw) => !raw.isClosed())).toBe(true);
  admitted[0]!.socket.destroy();
  await waitFor(() => target.usage().connections === 4, 2000, 'a place to free');
  const [next] = await open(target, 1, Uint8Array.of(0xef));
  await waitFor(() => target.usage().connections === 5, 2000, 'the next connection');
  expect(next!.isClosed()).toBe(false);
  expect(target.limits.listenBacklog).toBe(5);
});
