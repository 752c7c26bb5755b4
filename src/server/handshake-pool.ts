/**
 * Auth-key exchanges on a few worker threads: each exchange stays on one worker (the one with the
 * fewest open exchanges when it starts), whose messages are handled in order; the event loop only
 * passes bytes. A worker that dies answers its open exchanges -404, as a refused handshake.
 */
import { Worker } from 'node:worker_threads';
import type { AuthKeyServerStep } from '../mtproto/auth-key-server.js';
import type { WorkerReply, WorkerRequest } from './handshake-worker.js';
import type { Handshake, HandshakeRunner, HandshakeSettings } from './handshakes.js';

interface PoolWorker {
  readonly worker: Worker;
  /** Exchanges started on it and not ended. */
  open: number;
  /** Messages posted and not answered, by request id. */
  readonly waiting: Map<number, (step: AuthKeyServerStep) => void>;
}

/** The compiled worker beside this module (dist/src/server/handshake-worker.js). */
const DEFAULT_SCRIPT = new URL('./handshake-worker.js', import.meta.url);

export class HandshakePool implements HandshakeRunner {
  private readonly workers: PoolWorker[];
  private nextHandshake = 1;
  private nextRequest = 1;

  constructor(size: number, settings: HandshakeSettings, script: URL = DEFAULT_SCRIPT) {
    this.workers = Array.from({ length: size }, () => {
      const pooled: PoolWorker = { worker: new Worker(script, { workerData: settings }), open: 0, waiting: new Map() };
      pooled.worker.on('message', ({ request, step }: WorkerReply) => {
        pooled.waiting.get(request)?.(step);
        pooled.waiting.delete(request);
      });
      const fail = () => {
        for (const resolve of pooled.waiting.values()) resolve({ error: -404 });
        pooled.waiting.clear();
      };
      pooled.worker.on('error', fail).on('exit', fail);
      pooled.worker.unref();
      return pooled;
    });
  }

  start(): Handshake {
    const pooled = this.workers.reduce((a, b) => (b.open < a.open ? b : a));
    const handshake = this.nextHandshake++;
    pooled.open++;
    let ended = false;
    const post = (request: WorkerRequest) => pooled.worker.postMessage(request);
    return {
      receive: (message) =>
        new Promise((resolve) => {
          const request = this.nextRequest++;
          pooled.waiting.set(request, resolve);
          post({ handshake, request, message });
        }),
      end: () => {
        if (ended) return;
        ended = true;
        pooled.open--;
        post({ handshake, end: true });
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
