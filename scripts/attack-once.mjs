// The attacks on exactly-once delivery (connections cut while handlers run, answers lost and then the
// connection cut, the server restarted over its state; a non-idempotent handler counts its runs) and
// 1,000 concurrent clients × 10 requests. Run by scripts/attack.mjs.
import { fork } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HOST, clientFor, quick, report, sleep, startServer } from './attack-lib.mjs';

const { OutcomeUnknownError } = await import('../dist/src/client/index.js');

/** A TCP proxy in front of the server that can cut every connection and drop what the server sends. */
async function startProxy(targetPort) {
  const pairs = new Set();
  const proxy = { dropDownstream: false, pairs };
  const server = createServer((down) => {
    const up = connect({ host: HOST, port: targetPort });
    const pair = [down, up];
    pairs.add(pair);
    down.on('data', (d) => up.write(d));
    up.on('data', (d) => proxy.dropDownstream || down.write(d));
    const end = () => (pairs.delete(pair), down.destroy(), up.destroy());
    for (const s of pair) s.on('close', end).on('error', end);
  });
  await new Promise((resolve) => server.listen(0, HOST, resolve));
  proxy.port = server.address().port;
  proxy.cutAll = () => {
    for (const [a, b] of pairs) (a.destroy(), b.destroy());
    pairs.clear();
  };
  proxy.close = () => (proxy.cutAll(), new Promise((resolve) => server.close(resolve)));
  return proxy;
}

/** scripts/attack-probe.mjs against `server`, started and connected; `stop()` gives its latencies. */
async function startProbe(server) {
  const bigints = (_key, value) => (typeof value === 'bigint' ? `${value}n` : value);
  const child = fork(fileURLToPath(new URL('attack-probe.mjs', import.meta.url)), [JSON.stringify(server, bigints)]);
  const next = () => new Promise((resolve) => child.once('message', resolve));
  await next();
  return { stop: () => (child.send('stop'), next()) };
}

const percentile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

/**
 * `total` messages.sendMessage requests (each its own random_id) from 10 clients; once every handler has
 * started, `disrupt` runs. Counts the handler's runs per random_id, and each request's outcome.
 */
async function exactlyOnce(kind, { holdMs, viaProxy, before = () => undefined, disrupt }) {
  const clients = 10;
  const perClient = quick ? 6 : 20;
  const total = clients * perClient;
  const server = await startServer({}, { holdMs });
  const proxy = viaProxy ? await startProxy(server.port) : undefined;
  const target = proxy ? { ...server, port: proxy.port } : server;
  const all = Array.from({ length: clients }, () => clientFor(target));
  await Promise.all(all.map((c) => c.connect()));
  before(proxy);
  const outcome = { answered: 0, unknown: 0, other: 0 };
  let randomId = 0n;
  const settled = Promise.all(
    all.flatMap((c) =>
      Array.from({ length: perClient }, () =>
        c.invoke({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: 'pay', randomId: ++randomId }).then(
          () => outcome.answered++,
          (error) => (error instanceof OutcomeUnknownError ? outcome.unknown++ : outcome.other++),
        ),
      ),
    ),
  );
  while ((await server.usage()).runs.started < total) await sleep(10);
  await disrupt(server, proxy);
  const t0 = performance.now();
  await Promise.race([settled, sleep(30_000)]);
  const recoveredMs = performance.now() - t0;
  const { runs } = await server.usage();
  const unsettled = total - outcome.answered - outcome.unknown - outcome.other;
  const lost = unsettled + Math.max(0, outcome.answered - runs.distinct);
  if (runs.duplicated || lost) process.exitCode = 1;
  report(
    `exactly once, ${kind}: ${total} requests (10 clients): ${runs.started} handler runs for ${runs.distinct} requests, ` +
      `${runs.duplicated} duplicates, ${lost} lost; ${outcome.answered} answered, ${outcome.unknown} unknown outcome, ` +
      `${outcome.other} other errors; all settled ${recoveredMs.toFixed(0)} ms after the ${kind === 'server restart' ? 'restart' : 'cut'}`,
  );
  await Promise.all(all.map((c) => c.close()));
  await proxy?.close();
  await server.stop();
}

export const cutDuringHandler = () =>
  exactlyOnce('cut during handler', { holdMs: 300, viaProxy: true, disrupt: (_server, proxy) => proxy.cutAll() });

export const answerLost = () =>
  exactlyOnce('answer lost, then cut', {
    holdMs: 0,
    viaProxy: true,
    before: (proxy) => (proxy.dropDownstream = true), // every answer is lost on its way
    disrupt: async (_server, proxy) => {
      await sleep(200); // the last answers leave the server
      proxy.dropDownstream = false;
      proxy.cutAll();
    },
  });

export const serverRestart = () => exactlyOnce('server restart', { holdMs: 300, viaProxy: false, disrupt: (server) => server.restart() });

/**
 * 1,000 clients connect at once (each its own handshake), then each sends 10 echo requests at once. A
 * client connected before the storm sends one request every 50 ms while the handshakes run: how long an
 * established session waits behind them.
 */
export async function concurrentClients(handshakeWorkers = 0) {
  const count = quick ? 200 : 1000;
  const perClient = 10;
  // One source address for every client here: the per-source handshake limit is for one peer, not 1,000.
  // A handshake timeout long enough to measure how long handshakes take rather than cut them off at 10 s.
  const server = await startServer(
    { handshakesPerSecond: 100_000, handshakeBurst: 100_000, handshakeTimeoutMs: 120_000 },
    { handshakeWorkers },
  );
  const probe = await startProbe(server);
  const all = Array.from({ length: count }, () => clientFor(server, { reconnectDelayMs: { initial: 200, max: 2000 } }));
  const t0 = performance.now();
  const handshakes = await Promise.all(
    all.map(async (c) => {
      const start = performance.now();
      await c.connect();
      return performance.now() - start;
    }),
  );
  const connectedMs = performance.now() - t0;
  const probeLatencies = await probe.stop();
  const latencies = [];
  let wrong = 0;
  let failed = 0;
  await Promise.all(
    all.map((c, i) =>
      Promise.all(
        Array.from({ length: perClient }, async (_, r) => {
          const n = i * perClient + r;
          const start = performance.now();
          try {
            const answer = await c.invoke({ _: 'contacts.resolveUsername', username: `load_${n}` });
            latencies.push(performance.now() - start);
            if (answer.peer.userId !== BigInt(n)) wrong++;
          } catch {
            failed++;
          }
        }),
      ),
    ),
  );
  const { echoCalls: calls } = await server.usage();
  const echoCalls = calls - probeLatencies.length;
  const requests = count * perClient;
  if (wrong || failed || echoCalls !== requests) process.exitCode = 1;
  report(
    `${count} concurrent clients × ${perClient} requests, ${handshakeWorkers ? `${handshakeWorkers} handshake workers` : 'handshakes on the event loop'}: all connected in ${connectedMs.toFixed(0)} ms, handshake p50 ` +
      `${percentile(handshakes, 0.5).toFixed(0)} ms, p99 ${percentile(handshakes, 0.99).toFixed(0)} ms; request p50 ` +
      `${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms; ${latencies.length - wrong}/${requests} answered ` +
      `right, ${wrong} wrong, ${failed} failed; ${echoCalls} handler runs (${echoCalls - requests} duplicated); meanwhile an established ` +
      `session's requests took p50 ${percentile(probeLatencies, 0.5).toFixed(0)} ms, max ${Math.max(...probeLatencies).toFixed(0)} ms`,
  );
  await Promise.all(all.map((c) => c.close()));
  await server.stop();
}
