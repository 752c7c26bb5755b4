// Network figures on loopback, mtwire only (the peers have no server): 100 concurrent clients × 20
// requests against the in-process test server (requests/s, handshake median), and the round trip of
// one client's sequential requests over TCP, plain and obfuscated.
import { startTestServer } from '../dist/src/server/index.js';
import { runLoad, registerEchoHandler } from '../dist/src/testing/load.js';
import { MtprotoClient } from '../dist/src/client/index.js';

const quick = process.argv.includes('--quick');
// Every client connects from 127.0.0.1: the per-source handshake limit must let all 100 start at once.
const server = await startTestServer({ transports: ['tcp'], limits: { handshakeBurst: 100 } });
registerEchoHandler(server);
try {
  const load = await runLoad(server, { clients: 100, requestsPerClient: quick ? 5 : 20 });
  console.log('\n## Load (loopback TCP, intermediate framing)\n');
  console.log(
    `${load.clients} clients × ${load.requests / load.clients} requests: ${Math.round(load.requestsPerSecond)} requests/s; ` +
      `handshake median ${load.handshakeMedianMs.toFixed(1)} ms, max ${load.handshakeMaxMs.toFixed(1)} ms (100 at once on 2 cores); total ${Math.round(load.totalMs)} ms`,
  );
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
