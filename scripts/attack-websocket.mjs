// The WebSocket case of scripts/attack.mjs: peers that upgrade, announce a large message and stall inside
// it. ws holds a message whole before the server's codec sees it, so these bytes are only bounded by the
// server's buffer budget (maxBufferedBytes), which the connection that passes it is closed by.
import { MB, clientFor, openSocket, quick, report, startServer } from './attack-lib.mjs';

const { Api } = await import('../dist/src/api/index.js');

const UPGRADE =
  'GET /apiws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n';

/** Upgrades a raw socket, then sends the header of a `length`-byte binary message (masked, zero mask) and `sent` bytes of it. */
async function stallInsideMessage(port, length, sent) {
  const state = await openSocket(port);
  state.socket.write(UPGRADE);
  const upgraded = await new Promise((resolve) => {
    state.socket.once('data', (answer) => resolve(answer.toString('latin1').startsWith('HTTP/1.1 101')));
    void state.closed.then(() => resolve(false));
  });
  if (!upgraded) return state;
  const header = Buffer.alloc(14);
  header[0] = 0x82; // FIN, binary
  header[1] = 0x80 | 127; // masked, 64-bit length
  header.writeBigUInt64BE(BigInt(length), 2);
  state.socket.write(Buffer.concat([header, Buffer.alloc(sent, 7)]));
  return state;
}

export async function stalledWebSocketMessages() {
  const count = quick ? 200 : 1000;
  const handshakeTimeoutMs = 5000;
  const server = await startServer({ handshakeTimeoutMs });
  const before = (await server.settledUsage()).rss;
  const { port } = new URL(server.wsUrl);
  // Just under the largest message ws accepts (twice the 2 MiB frame cap), 512 KiB of it sent, then nothing.
  const peers = [];
  for (let i = 0; i < count; i += 100) {
    peers.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(100, count - i) }, () => stallInsideMessage(Number(port), 4 * MB - 1, 512 * 1024)),
      )),
    );
  }
  const t0 = performance.now();
  const held = await server.settledUsage();
  const closedEarly = peers.filter((p) => p.closedAt !== undefined).length;
  const client = clientFor(server, { transport: { kind: 'websocket', url: server.wsUrl }, obfuscated: true });
  const c0 = performance.now();
  await client.connect();
  await client.invoke(new Api.help.getConfig());
  const clientMs = performance.now() - c0;
  await client.close();
  await Promise.all(peers.map((p) => p.closed));
  const closedMs = performance.now() - t0;
  const after = await server.settledUsage();
  report(
    `${count} WebSocket connections stalled 512 KiB into a 4 MiB message: ${closedEarly} closed at once by the buffer budget ` +
      `(64 MiB; server held ${(held.usage.bufferedBytes / MB).toFixed(1)} MB), RSS ${((held.rss - before) / MB).toFixed(1)} MB above its start; ` +
      `a normal WebSocket client connected and answered in ${clientMs.toFixed(0)} ms meanwhile; the rest closed within ${closedMs.toFixed(0)} ms (handshake timeout ${handshakeTimeoutMs} ms), ` +
      `then RSS ${((after.rss - before) / MB).toFixed(1)} MB above its start`,
  );
  await server.stop();
}
