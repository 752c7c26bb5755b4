import { afterEach, describe, expect, test } from 'vitest';
import { OutcomeUnknownError, type MtprotoClient } from '../../src/client/index.js';
import type { TestServer, TestServerOptions } from '../../src/server/index.js';
import { Api } from '../../src/api/index.js';
import { clientFor, testServer } from './helpers.js';
import { FaultProxy } from './proxy.js';

const route = { transport: 'tcp', framing: 'intermediate', obfuscated: false } as const;
const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A non-idempotent handler: messages.sendMessage counts its runs per random_id and may hold the answer back. */
function countingHandler(hold: () => Promise<void> = async () => undefined) {
  const runs = new Map<bigint, number>();
  let started = 0;
  const listeners: (() => void)[] = [];
  const handlers: TestServerOptions['handlers'] = {
    'messages.sendMessage': async (query) => {
      runs.set(query.randomId, (runs.get(query.randomId) ?? 0) + 1);
      started++;
      for (const listener of listeners) listener();
      await hold();
      return { _: 'updatesTooLong' };
    },
  };
  /** Resolves once `count` runs have started. */
  const startedAtLeast = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => started >= count && resolve();
      listeners.push(check);
      check();
    });
  return { handlers, runs, startedAtLeast };
}

const send = (randomId: bigint) => new Api.messages.sendMessage({ peer: { _: 'inputPeerSelf' }, message: 'pay', randomId });
const ids = (count: number) => Array.from({ length: count }, (_, i) => BigInt(i + 1));

async function viaProxy(options: TestServerOptions) {
  const server = await testServer(options);
  cleanup.push(() => server.close());
  const proxy = await FaultProxy.start(server.tcpPort!);
  cleanup.push(() => proxy.close());
  return { server, proxy, target: { ...server, tcpPort: proxy.port } as TestServer };
}

function client(server: TestServer, extra: Parameters<typeof clientFor>[2] = {}): MtprotoClient {
  const c = clientFor(server, route, extra);
  cleanup.push(() => c.close());
  return c;
}

describe('exactly once across dropped connections (real sockets, a counting handler)', () => {
  test('cut while the handlers run: 20 requests, 20 runs, each answered once', async () => {
    const gate = countingHandler(() => new Promise((resolve) => setTimeout(resolve, 100)));
    const { proxy, target } = await viaProxy({ handlers: gate.handlers });
    const c = client(target);
    await c.connect();
    const results = Promise.all(ids(20).map((id) => c.invoke(send(id))));
    await gate.startedAtLeast(20);
    proxy.cutAll();
    expect((await results).map((r) => r._)).toEqual(Array(20).fill('updatesTooLong'));
    expect([...gate.runs.values()]).toEqual(Array(20).fill(1));
    expect(proxy.connections).toBe(2);
  });

  test('answers lost, then cut: 20 requests answered from the stored results, none run twice', async () => {
    const gate = countingHandler();
    const { proxy, target } = await viaProxy({ handlers: gate.handlers });
    const c = client(target);
    await c.connect();
    proxy.downstream = () => Buffer.alloc(0);
    const results = Promise.all(ids(20).map((id) => c.invoke(send(id))));
    await gate.startedAtLeast(20);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the answers leave the server and are dropped
    proxy.downstream = (chunk) => chunk;
    proxy.cutAll();
    expect(await results).toHaveLength(20);
    expect([...gate.runs.values()]).toEqual(Array(20).fill(1));
  });

  test('the server restarts over its stopped state while handlers run: each request runs once and is answered', async () => {
    const gate = countingHandler(() => new Promise((resolve) => setTimeout(resolve, 100)));
    const first = await testServer({ handlers: gate.handlers, transports: ['tcp'] });
    const c = client(first);
    await c.connect();
    const results = Promise.all(ids(20).map((id) => c.invoke(send(id))));
    await gate.startedAtLeast(20);
    const state = await first.stop();
    const second = await testServer({ handlers: gate.handlers, transports: ['tcp'], port: first.tcpPort, state });
    cleanup.push(() => second.close());
    expect(await results).toHaveLength(20);
    expect([...gate.runs.values()]).toEqual(Array(20).fill(1));
    expect(second.authKeys()).toHaveLength(1);
  });

  test('a session exported with requests pending: the restored client reports each stored answer, nothing runs twice', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const gate = countingHandler(() => released);
    const server = await testServer({ handlers: gate.handlers, transports: ['tcp'] });
    cleanup.push(() => server.close());
    const before = client(server);
    await before.connect();
    const abandoned = Promise.allSettled(ids(10).map((id) => before.invoke(send(id))));
    await gate.startedAtLeast(10);
    const saved = before.exportSession()!;
    expect(saved.pending).toHaveLength(10);
    expect(saved.pending!.every((p) => p.msgId !== undefined)).toBe(true);
    await before.close();
    expect((await abandoned).every((r) => r.status === 'rejected')).toBe(true);
    release();
    const after = client(server, { session: JSON.parse(JSON.stringify(saved)) });
    await after.connect();
    const outcomes = await after.restoredOutcomes();
    expect(outcomes.map((o) => ('result' in o ? (o.result as { _: string })._ : o.error))).toEqual(Array(10).fill('updatesTooLong'));
    expect(outcomes.map((o) => (o.request as Api.messages.sendMessage).randomId)).toEqual(ids(10));
    expect([...gate.runs.values()]).toEqual(Array(10).fill(1));
  });

  test('answers the server no longer holds: the restored client reports OutcomeUnknownError, and runs nothing again', async () => {
    const gate = countingHandler();
    const { proxy, target } = await viaProxy({ handlers: gate.handlers, limits: { maxStoredAnswers: 2 } });
    const before = client(target);
    await before.connect();
    proxy.downstream = () => Buffer.alloc(0);
    const abandoned = Promise.allSettled(ids(5).map((id) => before.invoke(send(id))));
    await gate.startedAtLeast(5);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const saved = before.exportSession()!;
    await before.close();
    await abandoned;
    proxy.downstream = (chunk) => chunk;
    const after = client(target, { session: saved });
    await after.connect();
    const outcomes = await after.restoredOutcomes();
    const unknown = outcomes.filter((o) => 'error' in o && o.error instanceof OutcomeUnknownError);
    expect(unknown).toHaveLength(3);
    expect(outcomes.filter((o) => 'result' in o)).toHaveLength(2);
    expect([...gate.runs.values()]).toEqual(Array(5).fill(1));
  });
});
