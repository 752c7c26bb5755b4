/**
 * A plain framing over WebSocket (no obfuscation) costs the test server what it costs over TCP: the same
 * frame announcements are refused with the same error, unfinished frames count in the same buffer budget,
 * and the handshake timeout closes a peer that never completes one.
 */
import { afterEach, expect, test } from 'vitest';
import type { TestServer, TestServerOptions } from '../../src/server/index.js';
import type { Connection } from '../../src/transport/connection.js';
import { connectWebSocket } from '../../src/transport/websocket.js';
import { clientFor, testServer } from '../client/helpers.js';
import { announce, expectStalledClosedWhileClientWorks, openSocket, waitFor } from './raw-socket.js';

interface Peer {
  readonly closed: Promise<void>;
  readonly isClosed: () => boolean;
}

let server: TestServer | undefined;
const ends: (() => void)[] = [];
afterEach(async () => {
  for (const end of ends.splice(0)) end();
  await server?.close();
  server = undefined;
});

/** Warnings the server logged when it dropped a connection, with the error that made it. */
const dropped: { transport: unknown; error: unknown }[] = [];

async function start(limits: TestServerOptions['limits']): Promise<TestServer> {
  dropped.length = 0;
  server = await testServer({
    limits,
    log: (_level, message, data) => {
      if (message === 'dropping connection after bad input') dropped.push({ transport: data?.transport, error: data?.error });
    },
  });
  return server;
}

function peerOf(onClose: (listener: () => void) => void): Peer {
  let closed = false;
  return {
    closed: new Promise<void>((resolve) =>
      onClose(() => {
        closed = true;
        resolve();
      }),
    ),
    isClosed: () => closed,
  };
}

/** A WebSocket to /apiws (the `ws` adapter) that sends `bytes` as they are: no obfuscation header. */
async function plainWebSocket(target: TestServer, bytes: Uint8Array): Promise<Peer> {
  const connection: Connection = await connectWebSocket({ url: target.wsUrl! });
  ends.push(() => connection.abort());
  const peer = peerOf((listener) => connection.onClose(listener));
  connection.send(bytes);
  return peer;
}

async function tcp(target: TestServer, bytes: Uint8Array): Promise<Peer> {
  const raw = await openSocket(target);
  ends.push(() => raw.socket.destroy());
  raw.socket.write(bytes);
  return { closed: raw.closed, isClosed: raw.isClosed };
}

test('a 16 MiB length prefix over plain WebSocket is cut off with the error TCP gets, before any body is buffered', async () => {
  const target = await start({});
  const huge = announce(16 * 1024 * 1024, new Uint8Array(8).fill(7));
  await (
    await tcp(target, huge)
  ).closed;
  await (
    await plainWebSocket(target, huge)
  ).closed;
  const error = `declared frame length ${16 * 1024 * 1024} exceeds ${target.limits.maxFrame}`;
  expect(dropped).toEqual([
    { transport: 'tcp', error },
    { transport: 'websocket', error },
  ]);
  await waitFor(() => target.usage().connections === 0, 2000, 'both connections to be released');
  expect(target.usage().bufferedBytes).toBe(0);
});

test('unfinished plain frames over WebSocket count in maxBufferedBytes: the connection that passes it is closed', async () => {
  const target = await start({ maxAnonymousFrame: 4096, maxBufferedBytes: 16 * 1024 });
  // Each holds its frame's 4-byte header and 4,000 of 4,092 bytes (ws hands each message on whole): the fifth passes 16 KiB.
  const peers: Peer[] = [];
  for (let i = 0; i < 8; i++) {
    peers.push(await plainWebSocket(target, announce(4092, new Uint8Array(4000))));
    await waitFor(() => peers[i]!.isClosed() || target.usage().bufferedBytes >= Math.min(i + 1, 4) * 4004, 5000, 'bytes to count');
  }
  await waitFor(() => peers.filter((peer) => peer.isClosed()).length >= 4, 5000, 'connections over budget to close');
  expect(peers.filter((peer) => !peer.isClosed())).toHaveLength(4);
  expect(target.usage().bufferedBytes).toBe(4 * 4004);
});

test('a plain WebSocket peer that sends only its framing tag is closed by the handshake timeout; a plain client works', async () => {
  const target = await start({ handshakeTimeoutMs: 1000 });
  const stalled = await Promise.all(Array.from({ length: 20 }, () => plainWebSocket(target, Uint8Array.of(0xef))));
  await expectStalledClosedWhileClientWorks(
    target,
    stalled,
    clientFor(target, { transport: 'websocket', framing: 'abridged', obfuscated: false }),
  );
}, 15_000);
