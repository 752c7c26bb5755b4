/**
 * A worker thread of HandshakePool: runs the AuthKeyServer of each exchange the pool gives it, with
 * Node's crypto, clock and randomness. Messages in: `{ handshake, request, message }` or `{ handshake,
 * end: true }`; out: `{ request, step }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { nodeCrypto } from '../crypto/node.js';
import { AuthKeyServer, type AuthKeyServerStep } from '../mtproto/auth-key-server.js';
import type { HandshakeSettings } from './handshakes.js';

export type WorkerRequest = { handshake: number; request: number; message: Uint8Array } | { handshake: number; end: true };
export interface WorkerReply {
  request: number;
  step: AuthKeyServerStep;
}

const settings = workerData as HandshakeSettings;
const exchanges = new Map<number, AuthKeyServer>();
const port = parentPort!;

port.on('message', (m: WorkerRequest) => {
  if ('end' in m) return void exchanges.delete(m.handshake);
  let exchange = exchanges.get(m.handshake);
  if (!exchange) exchanges.set(m.handshake, (exchange = new AuthKeyServer({ crypto: nodeCrypto, ...settings })));
  let step: AuthKeyServerStep;
  try {
    step = exchange.receive(m.message);
  } catch {
    // AuthKeyServer refuses bad input with -404 itself; a throw is a bug, and this exchange ends like a refused one.
    step = { error: -404 };
  }
  port.postMessage({ request: m.request, step } satisfies WorkerReply);
});
