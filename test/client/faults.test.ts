import { afterEach, describe, expect, test } from 'vitest';
import type { MtprotoClient } from '../../src/client/index.js';
import type { TestServer } from '../../src/server/index.js';
import { Api } from '../../src/api/index.js';
import { clientFor, testServer } from './helpers.js';
import { FaultProxy } from './proxy.js';

const route = { transport: 'tcp', framing: 'intermediate', obfuscated: false } as const;
const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(options: Parameters<typeof testServer>[0] = {}) {
  const server = await testServer(options);
  cleanup.push(() => server.close());
  const proxy = await FaultProxy.start(server.tcpPort!);
  cleanup.push(() => proxy.close());
  const viaProxy = { ...server, tcpPort: proxy.port } as TestServer;
  const client = (extra = {}) => {
    const c = clientFor(viaProxy, route, extra);
    cleanup.push(() => c.close());
    return c;
  };
  return { server, proxy, client };
}

const nearestDc = () => new Api.help.getNearestDc();

describe('faults', () => {
  test('the connection drops while a request is being handled: it completes, once', async () => {
    let calls = 0;
    let cut: () => void = () => undefined;
    const { proxy, client } = await setup({
      handlers: {
        'help.getNearestDc': async () => {
          calls++;
          if (calls === 1) cut();
          return { _: 'nearestDc', country: 'ZZ', thisDc: 2, nearestDc: calls };
        },
      },
    });
    cut = () => proxy.cutAll();
    const c: MtprotoClient = client();
    await c.connect();
    let resolutions = 0;
    const result = await c.invoke(nearestDc()).then((r) => (resolutions++, r));
    expect(result.nearestDc).toBe(1);
    expect(calls).toBe(1);
    expect(resolutions).toBe(1);
    expect(proxy.connections).toBe(2);
    expect(c.state).toBe('ready');
  });

  test('the server rotates the salt: bad_server_salt, then the request succeeds with the new salt', async () => {
    const { server, client } = await setup();
    const c = client();
    await c.connect();
    await c.invoke(nearestDc());
    const before = c.exportSession()!.serverSalt;
    server.rotateSalt();
    const result = await c.invoke(nearestDc());
    expect(result._).toBe('nearestDc');
    expect(c.exportSession()!.serverSalt).not.toBe(before);
  });

  test('a client clock 60 s behind: the server accepts (within its 300 s), the client syncs from the answer', async () => {
    const { client } = await setup();
    const first = client();
    await first.connect();
    await first.invoke(nearestDc());
    const saved = first.exportSession()!;
    await first.close();
    const late = client({ session: { ...saved, timeOffset: 0 }, now: () => Date.now() - 60_000 });
    await late.connect();
    const result = await late.invoke(nearestDc());
    expect(result._).toBe('nearestDc');
    expect(Math.abs(late.exportSession()!.timeOffset - 60)).toBeLessThanOrEqual(2);
  });

  test('a client clock 60 s ahead: bad_msg_notification 17, clock fixed, request resent', async () => {
    const { client } = await setup();
    const first = client();
    await first.connect();
    const saved = first.exportSession()!;
    await first.close();
    const early = client({ session: { ...saved, timeOffset: 0 }, now: () => Date.now() + 60_000 });
    await early.connect();
    expect((await early.invoke(nearestDc()))._).toBe('nearestDc');
    expect(Math.abs(early.exportSession()!.timeOffset + 60)).toBeLessThanOrEqual(2);
  });

  test('a corrupted frame resets the connection; the request still completes and the server keeps serving', async () => {
    const { proxy, client } = await setup();
    const c = client();
    await c.connect();
    await c.invoke(nearestDc());
    let corrupt = true;
    proxy.downstream = (chunk) => {
      if (!corrupt || chunk.length < 40) return chunk;
      corrupt = false;
      const copy = Buffer.from(chunk);
      copy[copy.length - 5]! ^= 0x40;
      return copy;
    };
    const result = await c.invoke(nearestDc());
    expect(result._).toBe('nearestDc');
    expect(corrupt).toBe(false);
    expect(proxy.connections).toBe(2);
    const other = client();
    await other.connect();
    expect((await other.invoke(nearestDc()))._).toBe('nearestDc');
  });

  test('a restored session reconnects without a new handshake', async () => {
    const { server, client } = await setup();
    const first = client();
    await first.connect();
    await first.invoke(nearestDc());
    const saved = first.exportSession()!;
    await first.close();
    const again = client({ session: saved });
    await again.connect();
    expect((await again.invoke(nearestDc()))._).toBe('nearestDc');
    expect(server.authKeys()).toHaveLength(1);
  });

  test('the server restarts and forgets the key: -404, a new handshake, and the request completes', async () => {
    const first = await testServer();
    const port = first.tcpPort!;
    const c = clientFor(first, route);
    cleanup.push(() => c.close());
    await c.connect();
    await c.invoke(nearestDc());
    const oldKey = c.exportSession()!.authKey;
    await first.close();
    const second = await testServer({ port });
    cleanup.push(() => second.close());
    const result = await c.invoke(nearestDc());
    expect(result._).toBe('nearestDc');
    expect(c.exportSession()!.authKey).not.toBe(oldKey);
    expect(second.authKeys()).toHaveLength(1);
  });
});
