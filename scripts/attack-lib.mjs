// What the attacks of scripts/attack.mjs and scripts/attack-once.mjs share: the server child, raw sockets,
// clients and the report.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const path = (p) => fileURLToPath(new URL(`../${p}`, import.meta.url));
if (!existsSync(path('dist'))) {
  console.error('run npm run build first');
  process.exit(1);
}
const { MtprotoClient } = await import('../dist/src/client/index.js');

export const quick = process.argv.includes('--quick');
export const HOST = '127.0.0.1';
export const MB = 1024 * 1024;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A server child with `limits` and `options` (see attack-server.mjs); `usage()` asks it for server.usage() and its memory. */
export async function startServer(limits, options = {}) {
  const child = fork(path('scripts/attack-server.mjs'), [JSON.stringify(limits), JSON.stringify(options)], {
    execArgv: ['--expose-gc'],
    serialization: 'advanced', // the public key holds bigints
  });
  const replies = [];
  const waiting = [];
  child.on('message', (message) => (waiting.length ? waiting.shift()(message) : replies.push(message)));
  const next = () => (replies.length ? Promise.resolve(replies.shift()) : new Promise((resolve) => waiting.push(resolve)));
  const ready = await next();
  return {
    ...ready,
    usage: () => (child.send('usage'), next()),
    settledUsage: () => (child.send('settled usage'), next()),
    restart: () => (child.send('restart'), next()),
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.disconnect())),
  };
}

/** A raw socket: resolves once connected; `closed` settles when the server closes it. */
export function openSocket(port, localAddress = HOST) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port, localAddress });
    const state = { socket, closedAt: undefined };
    state.closed = new Promise((done) => socket.once('close', () => done((state.closedAt = performance.now()))));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve(state));
    socket.once('error', reject);
  });
}

export async function openMany(count, port, firstBytes) {
  const sockets = [];
  for (let i = 0; i < count; i += 200) {
    const batch = await Promise.all(Array.from({ length: Math.min(200, count - i) }, () => openSocket(port)));
    for (const s of batch) s.socket.write(firstBytes);
    sockets.push(...batch);
  }
  return sockets;
}

export function clientFor(server, extra = {}) {
  return new MtprotoClient({
    transport: { kind: 'tcp', host: HOST, port: server.port },
    dcId: server.dcId,
    apiId: 1,
    publicKeys: [server.publicKey],
    pingIntervalMs: 0,
    reconnectDelayMs: { initial: 50, max: 500 },
    ...extra,
  });
}

const figures = [];
export const report = (line) => {
  figures.push(line);
  console.log(`- ${line}`);
};
