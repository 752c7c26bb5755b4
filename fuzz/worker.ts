/**
 * One fuzz campaign in a worker thread (started by scripts/fuzz.mjs). Before each input the worker copies
 * it into shared memory with a timestamp, so the main thread can kill a worker stuck in one input (an
 * infinite loop cannot be interrupted from inside) and still save that input.
 */
import { parentPort, workerData } from 'node:worker_threads';
import v8 from 'node:v8';
import { runCampaign } from './harness.js';
import { targetNamed, targets } from './targets.js';

interface Job {
  name: string;
  runs: number;
  seed: number;
  timeLimitMs: number;
  measureAlloc: boolean;
  maxSeconds?: number;
  shrinkSeconds: number;
  /** [0] inputs started, [1] length of the current input; then a float64 start time (ms); then its bytes. */
  shared: SharedArrayBuffer;
}

const job = workerData as Job | { list: true };
if ('list' in job) {
  parentPort!.postMessage({ type: 'list', targets: targets.map((t) => ({ name: t.name, cost: t.cost, description: t.description })) });
} else {
  const target = targetNamed(job.name);
  if (!target) throw new Error(`no fuzz target named ${job.name}`);
  const counters = new Int32Array(job.shared, 0, 2);
  const startedAt = new Float64Array(job.shared, 8, 1);
  const bytes = new Uint8Array(job.shared, 16);
  const stats = runCampaign(target, {
    runs: job.runs,
    seed: job.seed,
    limits: { timeLimitMs: job.timeLimitMs, measureAlloc: job.measureAlloc },
    shrinkSeconds: job.shrinkSeconds,
    ...(job.maxSeconds !== undefined ? { maxSeconds: job.maxSeconds } : {}),
    onInput(data) {
      bytes.set(data.subarray(0, bytes.length));
      counters[1] = data.length;
      startedAt[0] = Date.now();
      Atomics.add(counters, 0, 1);
    },
    onProgress(s) {
      parentPort!.postMessage({ type: 'progress', stats: s });
    },
  });
  const heap = v8.getHeapStatistics();
  parentPort!.postMessage({ type: 'done', stats, heapUsed: heap.used_heap_size, external: heap.external_memory });
}
