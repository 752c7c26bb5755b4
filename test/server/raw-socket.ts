/**
 * Bare TCP sockets to the test server for the limit tests: whatever bytes a test wants to send, from a
 * chosen loopback source address, and a promise that settles when the server closes the socket.
 */
import { connect, type Socket } from 'node:net';
import { nodeCrypto } from '../../src/crypto/node.js';
import { AuthKeyExchange } from '../../src/mtproto/auth-key-client.js';
import { expect } from 'vitest';
import { Api } from '../../src/api/index.js';
import type { MtprotoClient } from '../../src/client/index.js';
import type { TestServer } from '../../src/server/index.js';
import { createClientCodec } from '../../src/transport/index.js';

export interface RawSocket {
  readonly socket: Socket;
  /** Settles when the socket closes, whoever closed it. */
  readonly closed: Promise<void>;
  readonly isClosed: () => boolean;
}

/** Connects to the server's TCP port, from `localAddress` (another loopback address counts as another source). */
export function openSocket(server: TestServer, localAddress = '127.0.0.1'): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.host, port: server.tcpPort!, localAddress });
    let closed = false;
    const whenClosed = new Promise<void>((done) =>
      socket.once('close', () => {
        closed = true;
        done();
      }),
    );
    socket.on('error', () => undefined); // a reset by the server is one way of being closed
    socket.once('connect', () => resolve({ socket, closed: whenClosed, isClosed: () => closed }));
    socket.once('error', reject);
  });
}

/** Sends req_pq_multi over intermediate framing and reports the answer: a frame, a transport error code, or the close. */
export async function startHandshake(server: TestServer, localAddress?: string): Promise<'answered' | 'closed' | number> {
  const raw = await openSocket(server, localAddress);
  const codec = createClientCodec({ framing: 'intermediate', crypto: nodeCrypto });
  const exchange = new AuthKeyExchange({ crypto: nodeCrypto, publicKeys: [server.publicKey], dcId: server.dcId });
  raw.socket.write(codec.start());
  raw.socket.write(codec.encode(exchange.start()));
  try {
    return await new Promise((resolve) => {
      raw.socket.on('data', (chunk) => {
        const [event] = codec.decode(new Uint8Array(chunk));
        if (event) resolve(event.kind === 'error' ? event.code : 'answered');
      });
      void raw.closed.then(() => resolve('closed'));
    });
  } finally {
    raw.socket.destroy();
  }
}

/** Resolves once `condition` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The handshake-timeout check of the limit tests: `client` connects and works while every stalled peer
 * (one that never completes a handshake) is closed within 3 s, and then it is the server's only connection.
 */
export async function expectStalledClosedWhileClientWorks(
  target: TestServer,
  stalled: readonly { closed: Promise<unknown> }[],
  client: MtprotoClient,
): Promise<void> {
  try {
    await client.connect();
    const started = Date.now();
    await Promise.all(stalled.map((peer) => peer.closed));
    expect(Date.now() - started).toBeLessThan(3000);
    // The client finished its handshake, so the timeout does not apply to it.
    const config = await client.invoke(new Api.help.getConfig());
    expect(config.thisDc).toBe(target.dcId);
    expect(target.usage().connections).toBe(1);
  } finally {
    await client.close();
  }
}

/** Intermediate init, then a frame header declaring `length` bytes, then `body`. */
export function announce(length: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length);
  out.set([0xee, 0xee, 0xee, 0xee]);
  new DataView(out.buffer).setUint32(4, length, true);
  out.set(body, 8);
  return out;
}
