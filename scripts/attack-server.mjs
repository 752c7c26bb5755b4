// The test server under attack, in a process of its own so that its RSS is its own: started by
// scripts/attack.mjs with the limits of one attack (argv[2], JSON), on 127.0.0.1 only. It answers the
// parent's 'usage' messages with server.usage(), its RSS and its JS heap after a full GC.
import { startTestServer } from '../dist/src/server/index.js';
import { registerEchoHandler } from '../dist/src/testing/load.js';

const limits = JSON.parse(process.argv[2] ?? '{}');
const server = await startTestServer({ host: '127.0.0.1', transports: ['tcp'], limits });
registerEchoHandler(server);
process.on('message', (message) => {
  if (message !== 'usage') return;
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.send({ usage: server.usage(), rss, heapUsed });
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
process.send({ ready: true, port: server.tcpPort, dcId: server.dcId, publicKey: server.publicKey });
