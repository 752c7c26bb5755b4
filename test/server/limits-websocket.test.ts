/**
 * ws holds a whole WebSocket message before the server's codec sees it: those bytes count in the server's
 * buffer budget like a TCP connection's unfinished frame. Real sockets speak the WebSocket handshake and
 * frame header by hand, so a test can stall inside a message as a hostile peer would.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { Api } from '../../src/api/index.js';
import type { TestServer } from '../../src/server/index.js';
import { clientFor, testServer } from '../client/helpers.js';
import { waitFor } from './raw-socket.js';

let server: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
});

interface StalledPeer {
  readonly socket: Socket;
  readonly isClosed: () => boolean;
}

/** Upgrades a bare socket to WebSocket, then sends `sent` bytes of a binary message announcing `length`. */
function stallInsideMessage(target: TestServer, length: number, sent: number): Promise<StalledPeer> {
  const { port } = new URL(target.wsUrl!);
  const socket = connect({ host: target.host, port: Number(port) });
  sockets.push(socket);
  let closed = false;
  socket.once('close', () => (closed = true));
  socket.on('error', () => undefined); // a reset by the server is one way of being closed
  socket.write(
    'GET /apiws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n',
  );
  return new Promise((resolve, reject) => {
    socket.once('data', (answer) => {
      if (!answer.toString('latin1').startsWith('HTTP/1.1 101')) return reject(new Error(`no upgrade: ${answer.toString('latin1')}`));
      // FIN + binary opcode; masked, 64-bit length; a zero mask leaves the payload as sent.
      const header = Buffer.alloc(14);
      header[0] = 0x82;
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(length), 2);
      socket.write(Buffer.concat([header, Buffer.alloc(sent, 7)]));
      resolve({ socket, isClosed: () => closed });
    });
  });
}

test('stalled WebSocket messages count in maxBufferedBytes: the connection that passes it is closed, a client still works', async () => {
  server = await testServer({ transports: ['websocket'], limits: { maxBufferedBytes: 64 * 1024 } });
  const target = server;
  // Each holds 20,000 bytes (plus its 14-byte header) of a 100,000-byte message: the fourth passes 64 KiB.
  const stalled: StalledPeer[] = [];
  for (let i = 0; i < 6; i++) {
    stalled.push(await stallInsideMessage(target, 100_000, 20_000));
    await waitFor(() => stalled[i]!.isClosed() || target.usage().bufferedBytes === (i + 1) * 20_014, 5000, 'bytes to be counted');
  }
  await waitFor(() => stalled.filter((peer) => peer.isClosed()).length >= 3, 5000, 'connections over budget to close');
  expect(stalled.filter((peer) => !peer.isClosed())).toHaveLength(3);
  expect(target.usage().bufferedBytes).toBe(3 * 20_014);

  const client = clientFor(target, { transport: 'websocket', framing: 'intermediate', obfuscated: true });
  try {
    await client.connect();
    const config = await client.invoke(new Api.help.getConfig());
    expect(config.thisDc).toBe(target.dcId);
    // Delivered messages leave the budget: while the client stays connected, only the stalled peers' bytes count.
    expect(target.usage()).toMatchObject({ bufferedBytes: 3 * 20_014, connections: 4 });
  } finally {
    await client.close();
  }
});
