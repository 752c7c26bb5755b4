// Network figures on loopback, mtwire only (the peers have no server): 100 concurrent clients × 20
// requests against the in-process test server, side by side with a build of the commit before issue 16's
// work (bench/baseline.mjs), and the round trip of one client's sequential requests over TCP, plain and
// obfuscated. Each build's clients talk only to that build's server.
import { startTestServer } from '../dist/src/server/index.js';
import { runLoad, registerEchoHandler } from '../dist/src/testing/load.js';
import { MtprotoClient } from '../dist/src/client/index.js';
import { importBaseline } from './baseline.mjs';

const quick = process.argv.includes('--quick');
/** main before issue 16's work (README, "The request path"). */
const BEFORE_COMMIT = '900f8c1';
const TARGET = 1.5;
const rounds = quick ? 1 : 5;
const requestsPerClient = quick ? 5 : 20;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const perSecond = (x) => Math.round(x).toLocaleString('en-US');

const baseline = await importBaseline(
  BEFORE_COMMIT,
  `export { startTestServer } from './src/server/index.js';
   export { runLoad, registerEchoHandler } from './src/testing/load.js';`,
);
const builds = [
  ...(baseline.module ? [{ name: `before (${baseline.commit})`, ...baseline.module }] : []),
  { name: 'after', startTestServer, runLoad, registerEchoHandler },
];

/** One load run of a build against its own test server. */
async function loadRound(build) {
  // Every client connects from 127.0.0.1: the per-source handshake limit must let all 100 start at once.
  const server = await build.startTestServer({ transports: ['tcp'], limits: { handshakeBurst: 100 } });
  build.registerEchoHandler(server);
  try {
    return await build.runLoad(server, { clients: 100, requestsPerClient });
  } finally {
    await server.close();
  }
}

console.log('\n## Load (loopback TCP, intermediate framing)\n');
if (baseline.skipped) console.log(`before: skipped (${baseline.skipped})`);
console.log(`${rounds} measured rounds of each build, interleaved, after one unmeasured warm-up round each`);
// One unmeasured round each first: the request phase lasts ~0.1 s, and a build's first one runs mostly unoptimized.
for (const build of builds) await loadRound(build);
// Interleaved (before, after, before, after, …) so that both builds see the same machine load.
const results = new Map(builds.map((b) => [b, []]));
for (let round = 1; round <= rounds; round++) {
  for (const build of builds) {
    const load = await loadRound(build);
    results.get(build).push(load);
    console.log(
      `round ${round}, ${build.name}: ${load.clients} clients × ${load.requests / load.clients} requests: ` +
        `${perSecond(load.requestsPerSecond)} requests/s after the handshakes; handshake median ` +
        `${load.handshakeMedianMs.toFixed(1)} ms, max ${load.handshakeMaxMs.toFixed(1)} ms (100 at once); total ${Math.round(load.totalMs)} ms`,
    );
  }
}
const medians = builds.map((b) => median(results.get(b).map((r) => r.requestsPerSecond)));
builds.forEach((b, i) => console.log(`${b.name}: median ${perSecond(medians[i])} requests/s of ${rounds}`));
if (builds.length === 2) {
  const ratio = medians[1] / medians[0];
  console.log(`after ÷ before: ${ratio.toFixed(2)}× (target ≥ ${TARGET}×: ${ratio >= TARGET ? 'met' : 'MISSED'})`);
}

const server = await startTestServer({ transports: ['tcp'] });
registerEchoHandler(server);
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
  await server.close();
}
