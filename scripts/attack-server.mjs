// The test server under attack, in a process of its own so that its RSS is its own: started by
// scripts/attack.mjs with the limits of one attack (argv[2], JSON) and its options (argv[3], JSON: `holdMs`,
// how long the counting handler holds each answer; `handshakeWorkers`), on 127.0.0.1 only, over TCP and
// WebSocket. It answers the parent's messages: 'usage' with server.usage(), its memory after a full GC and
// the counting handler's runs; 'settled usage' the same, read 500 ms after the GC; 'restart' by stopping the
// server and starting a new one on the same ports over its state.
import { startTestServer } from '../dist/src/server/index.js';
import { registerEchoHandler } from '../dist/src/testing/load.js';

const limits = JSON.parse(process.argv[2] ?? '{}');
const { holdMs = 0, handshakeWorkers = 0 } = JSON.parse(process.argv[3] ?? '{}');
/** messages.sendMessage, not idempotent: how many times each random_id ran. */
const runs = new Map();
let started = 0;
let echoCalls = 0;

async function start(extra = {}) {
  const server = await startTestServer({ host: '127.0.0.1', transports: ['tcp', 'websocket'], limits, handshakeWorkers, ...extra });
  registerEchoHandler(server, () => echoCalls++);
  server.registerHandler('messages.sendMessage', async (query) => {
    runs.set(query.randomId, (runs.get(query.randomId) ?? 0) + 1);
    started++;
    if (holdMs) await new Promise((resolve) => setTimeout(resolve, holdMs));
    return { _: 'updatesTooLong' };
  });
  return server;
}

let server = await start();
process.on('message', async (message) => {
  if (message === 'usage' || message === 'settled usage') {
    globalThis.gc?.();
    // V8 hands the pages a GC freed back to the OS from a background thread, after gc() returns: RSS read at
    // once still counts them. Not for 'usage', which the exactly-once cases poll.
    if (message === 'settled usage') await new Promise((resolve) => setTimeout(resolve, 500));
    const memory = process.memoryUsage();
    const { rss, heapUsed } = memory;
    const duplicated = [...runs.values()].filter((n) => n > 1).length;
    process.send({ usage: server.usage(), rss, heapUsed, memory, runs: { started, distinct: runs.size, duplicated }, echoCalls });
  } else if (message === 'restart') {
    const [port, wsPort] = [server.tcpPort, server.wsPort];
    const state = await server.stop();
    server = await start({ port, wsPort, state });
    process.send({ restarted: true });
  }
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
process.send({ ready: true, port: server.tcpPort, wsUrl: server.wsUrl, dcId: server.dcId, publicKey: server.publicKey });
