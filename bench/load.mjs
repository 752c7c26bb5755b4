// Network figures on loopback, mtwire only (the peers have no server): 100 concurrent clients × 20
// requests against the in-process test server, side by side with a build of the commit before issue 16's
// work (bench/baseline.mjs), and the round trip of one client's sequential requests over TCP, plain and
// obfuscated. Each build's clients talk only to that build's server.
//
// Each build connects its 100 clients once; a round is one request phase (every client sends its 20 requests
// at once), the builds' rounds interleaved. testing/load.ts's runLoad reconnects every time, and on this
// 2-core machine shared with other work its ~0.1 s request phase after 100 handshakes gave rounds from 3k to
// 22k requests/s; many short rounds on open connections give a median that holds from run to run.
import { startTestServer } from '../dist/src/server/index.js';
import { registerEchoHandler } from '../dist/src/testing/load.js';
import { MtprotoClient } from '../dist/src/client/index.js';
import { MtwireError } from '../dist/src/base/errors.js';
import { importBaseline } from './baseline.mjs';

const quick = process.argv.includes('--quick');
/** main before issue 16's work (README, "The request path"). */
const BEFORE_COMMIT = '900f8c1';
const TARGET = 1.5;
const CLIENTS = 100;
const requestsPerClient = quick ? 5 : 20;
const rounds = quick ? 3 : 15;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const perSecond = (x) => Math.round(x).toLocaleString('en-US');

const baseline = await importBaseline(
  BEFORE_COMMIT,
  `export { startTestServer } from './src/server/index.js';
   export { registerEchoHandler } from './src/testing/load.js';
   export { MtprotoClient } from './src/client/index.js';`,
);
const builds = [
  ...(baseline.module ? [{ name: `before (${baseline.commit})`, ...baseline.module }] : []),
  { name: 'after', startTestServer, registerEchoHandler, MtprotoClient },
];

/** The build's test server and its 100 clients, all connected at once (each with its own handshake). */
async function connect(build) {
  // Every client connects from 127.0.0.1: the per-source handshake limit must let all 100 start at once.
  const server = await build.startTestServer({ transports: ['tcp'], limits: { handshakeBurst: CLIENTS } });
  build.registerEchoHandler(server);
  const clients = Array.from(
    { length: CLIENTS },
    () =>
      new build.MtprotoClient({
        transport: { kind: 'tcp', host: server.host, port: server.tcpPort },
        dcId: server.dcId,
        apiId: 1,
        publicKeys: [server.publicKey],
        pingIntervalMs: 0,
      }),
  );
  const handshakes = await Promise.all(
    clients.map(async (client) => {
      const t0 = performance.now();
      await client.connect();
      return performance.now() - t0;
    }),
  );
  return { ...build, server, clients, handshakes, rates: [] };
}

/**
 * Requests/s of one phase: every client sends its requests at once. The echo handler answers
 * `load_<n>` with user n, so a lost or mismatched answer fails the run instead of being counted.
 */
async function requestPhase(clients) {
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (client, c) => {
      const sent = Array.from({ length: requestsPerClient }, (_, r) => c * requestsPerClient + r);
      const answers = await Promise.all(sent.map((n) => client.invoke({ _: 'contacts.resolveUsername', username: `load_${n}` })));
      answers.forEach((answer, r) => {
        if (answer.peer?.userId !== BigInt(sent[r]))
          throw new MtwireError('LOAD', `request ${sent[r]} got the answer to ${answer.peer?.userId}`);
      });
    }),
  );
  return (clients.length * requestsPerClient) / ((performance.now() - t0) / 1000);
}

console.log('\n## Load (loopback TCP, intermediate framing)\n');
if (baseline.skipped) console.log(`before: skipped (${baseline.skipped})`);
const running = [];
try {
  for (const build of builds) {
    const connected = await connect(build);
    running.push(connected);
    const sorted = [...connected.handshakes].sort((a, b) => a - b);
    console.log(
      `${build.name}: ${CLIENTS} handshakes at once: median ${median(sorted).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`,
    );
  }
  // One unmeasured phase each (a build's first runs mostly unoptimized), then the rounds interleaved
  // (before, after, before, …) so that both builds see the same machine load.
  for (const build of running) await requestPhase(build.clients);
  for (let round = 0; round < rounds; round++) {
    for (const build of running) build.rates.push(await requestPhase(build.clients));
  }
  const medians = running.map((build) => median(build.rates));
  running.forEach((build, i) =>
    console.log(
      `${build.name}: ${CLIENTS} clients × ${requestsPerClient} requests: median ${perSecond(medians[i])} requests/s of ${rounds} rounds ` +
        `(${perSecond(Math.min(...build.rates))}–${perSecond(Math.max(...build.rates))})`,
    ),
  );
  if (running.length === 2) {
    const ratio = medians[1] / medians[0];
    console.log(`after ÷ before: ${ratio.toFixed(2)}× (target ≥ ${TARGET}×: ${ratio >= TARGET ? 'met' : 'MISSED'})`);
  }
} finally {
  for (const build of running) await Promise.all(build.clients.map((client) => client.close()));
}

const server = running.at(-1).server;
try {
  for (const obfuscated of [false, true]) {
    const client = new MtprotoClient({
      transport: { kind: 'tcp', host: server.host, port: server.tcpPort },
      obfuscated,
      dcId: server.dcId,
      apiId: 1,
      publicKeys: [server.publicKey],
      pingIntervalMs: 0,
    });
    await client.connect();
    const times = [];
    for (let i = 0; i < (quick ? 200 : 2000); i++) {
      const t0 = performance.now();
      await client.invoke({ _: 'contacts.resolveUsername', username: `load_${i}` });
      times.push(performance.now() - t0);
    }
    await client.close();
    times.sort((a, b) => a - b);
    console.log(
      `round trip (${obfuscated ? 'obfuscated' : 'plain'}): median ${(times[times.length >> 1] * 1000).toFixed(0)} µs, p99 ${(times[Math.floor(times.length * 0.99)] * 1000).toFixed(0)} µs`,
    );
  }
} finally {
  await Promise.all(running.map((build) => build.server.close()));
}
