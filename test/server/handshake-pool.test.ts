import { afterEach, describe, expect, test } from 'vitest';
import { Api } from '../../src/api/index.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { encodePlainMessage } from '../../src/mtproto/plain-message.js';
import type { TestServer } from '../../src/server/index.js';
import { createClientCodec } from '../../src/transport/index.js';
import { clientFor, testServer } from '../client/helpers.js';
import { openSocket } from './raw-socket.js';

// The pool runs the compiled worker: the build (`npm ci` runs it) must be there.
const script = new URL('../../dist/src/server/handshake-worker.js', import.meta.url);
const route = { transport: 'tcp', framing: 'intermediate', obfuscated: false } as const;
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function pooled(): Promise<TestServer> {
  const server = await testServer({ transports: ['tcp'], handshakeWorkers: 2, handshakeWorkerScript: script });
  cleanup.push(() => server.close());
  return server;
}

describe('handshakes on worker threads', () => {
  test('six clients make their keys on two workers and are answered under them', async () => {
    const server = await pooled();
    const clients = Array.from({ length: 6 }, () => clientFor(server, route));
    cleanup.push(() => Promise.all(clients.map((c) => c.close())));
    await Promise.all(clients.map((c) => c.connect()));
    const answers = await Promise.all(clients.map((c) => c.invoke(new Api.help.getNearestDc())));
    expect(answers.map((a) => a.thisDc)).toEqual(Array(6).fill(server.dcId));
    expect(new Set(server.authKeys().map((k) => k.authKeyId)).size).toBe(6);
  });

  test('a malformed handshake message is refused with -404 from the worker, and the server goes on', async () => {
    const server = await pooled();
    const raw = await openSocket(server);
    const codec = createClientCodec({ framing: 'intermediate', crypto: nodeCrypto });
    const answer = new Promise<number | string>((resolve) => {
      raw.socket.on('data', (chunk) => {
        const [event] = codec.decode(new Uint8Array(chunk));
        if (event) resolve(event.kind === 'error' ? event.code : event.kind);
      });
    });
    raw.socket.write(codec.start());
    raw.socket.write(codec.encode(encodePlainMessage(0x6000_0000_0000_0000n, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8))));
    expect(await answer).toBe(404);
    await raw.closed;
    const client = clientFor(server, route);
    cleanup.push(() => client.close());
    await client.connect();
    expect(server.authKeys()).toHaveLength(1);
  });
});
