// Side-by-side benchmarks: mtwire against mtcute and gramjs.
// Usage: node bench/harness.mjs [--filter <text>]... [--quick] [--json <file>]
// Each case runs in its own child process (--worker <group>/<case>) that times every peer of the case
// in turn: a warm-up per peer, then rounds of one fixed-time sample per peer (the order rotating).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { groups } from './cases.mjs';

const PEERS = ['mtwire', 'mtcute', 'gramjs', 'node'];

const { values: opts } = parseArgs({
  options: {
    filter: { type: 'string', multiple: true },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    worker: { type: 'string' },
  },
});
const timing = opts.quick ? { warmupSeconds: 0.3, samples: 3, sampleSeconds: 0.1 } : { warmupSeconds: 1, samples: 7, sampleSeconds: 0.3 };

// ---- worker: time one case ----

async function work(id) {
  const [group, name] = id.split('/');
  const c = (await groups[group]()).cases[name]();
  const peers = Object.keys(c.peers);
  const runs = {};
  for (const p of peers) {
    const loop = c.async ? newAsyncLoop() : newLoop();
    runs[p] = { fn: c.peers[p], loop, batch: await warmUp(loop, c.peers[p]) };
  }
  const samples = Object.fromEntries(peers.map((p) => [p, []]));
  for (let i = 0; i < timing.samples; i++) {
    for (let j = 0; j < peers.length; j++) {
      const peer = peers[(i + j) % peers.length];
      const { fn, loop, batch } = runs[peer];
      samples[peer].push(await sample(loop, fn, batch, timing.sampleSeconds));
    }
  }
  const results = Object.fromEntries(
    peers.map((p) => {
      const opsPerSec = median(samples[p]);
      return [p, { opsPerSec, mbPerSec: c.bytes ? (opsPerSec * c.bytes) / 1e6 : undefined, samples: samples[p] }];
    }),
  );
  return { bytes: c.bytes, results, skipped: c.skipped, failed: c.failed };
}

// A loop compiled once per peer, so each peer's call site stays monomorphic.
function newLoop() {
  return new Function('fn', 'n', 'let r; for (let i = 0; i < n; i++) r = fn(); return r;');
}

// For a case marked `async` (a peer's API returns a promise, as mtcute's password check does): every
// call is awaited, sync peers included, so both pay the same per-call await.
function newAsyncLoop() {
  return async (fn, n) => {
    let r;
    for (let i = 0; i < n; i++) r = await fn();
    return r;
  };
}

let sink; // the last result of each batch, so that no call can be optimized away
const seconds = () => performance.now() / 1000;

/** Runs `fn` for the warm-up time and returns a batch size that takes about 1/30 of a sample. */
async function warmUp(loop, fn) {
  const target = timing.sampleSeconds / 30;
  let batch = 1;
  const start = seconds();
  while (seconds() - start < timing.warmupSeconds) {
    const t = seconds();
    sink = await loop(fn, batch);
    if (seconds() - t < target) batch *= 2;
  }
  return batch;
}

/** Ops per second over whole batches run for at least `budget` seconds. */
async function sample(loop, fn, batch, budget) {
  let ops = 0;
  let elapsed;
  const start = seconds();
  do {
    sink = await loop(fn, batch);
    ops += batch;
    elapsed = seconds() - start;
  } while (elapsed < budget);
  return ops / elapsed;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// ---- main: run the cases, print the tables ----

async function main() {
  const self = fileURLToPath(import.meta.url);
  const matches = (id) => !opts.filter || opts.filter.some((f) => id.includes(f));
  const cpu = `${cpus().length} × ${cpus()[0].model}`;
  const report = { date: new Date().toISOString(), node: process.version, cpu, timing, groups: [] };
  let failed = 0;
  console.log(
    `node ${process.version}, ${cpu}, load average ${loadavg()[0].toFixed(1)} at start ` +
      '(compare ratios within one run)\n' +
      `median of ${timing.samples} samples × ${timing.sampleSeconds} s per peer after ${timing.warmupSeconds} s warm-up; ` +
      'MB/s = 10^6 B/s; ratio = mtwire ops/s ÷ peer ops/s (> 1: mtwire faster)',
  );
  for (const [group, load] of Object.entries(groups)) {
    const { title, notes, cases } = await load();
    const chosen = Object.keys(cases).filter((name) => matches(`${group}/${name}`));
    if (chosen.length === 0) continue;
    const rows = [];
    for (const name of chosen) {
      process.stderr.write(`  ${group}/${name}\n`);
      const args = [self, '--worker', `${group}/${name}`, ...(opts.quick ? ['--quick'] : [])];
      const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      const row = { name, results: {}, skipped: {}, failed: {} };
      if (child.status === 0) Object.assign(row, JSON.parse(child.stdout.trim().split('\n').pop()));
      else row.error = `worker exited with ${child.status ?? child.signal}`;
      if (row.error || Object.keys(row.failed).length) failed++;
      rows.push(row);
    }
    console.log(`\n## ${title}\n\n${table(rows)}\n`);
    for (const note of [...notes, ...skipNotes(rows)]) console.log(`- ${note}`);
    report.groups.push({ group, title, notes, cases: rows });
  }
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  if (failed) console.log(`\n${failed} case(s) with a failed check or worker`);
  return failed ? 1 : 0;
}

const sig3 = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function ops(x) {
  if (x >= 1e6) return `${sig3(x / 1e6)} M`;
  if (x >= 1e3) return `${sig3(x / 1e3)} k`;
  return sig3(x);
}

function cell(row, peer) {
  const r = row.results[peer];
  if (row.failed[peer]) return 'FAILED';
  if (!r) return row.error && !row.skipped[peer] ? 'error' : '—';
  const detail = r.mbPerSec !== undefined ? `${sig3(r.mbPerSec)} MB/s` : `${sig3(1000 / r.opsPerSec)} ms`;
  return `${ops(r.opsPerSec)}/s (${detail})`;
}

function ratio(row, peer) {
  const a = row.results.mtwire;
  const b = row.results[peer];
  return a && b ? `${sig3(a.opsPerSec / b.opsPerSec)}×` : '—';
}

function table(rows) {
  const peers = PEERS.filter((p) => p !== 'node' || rows.some((r) => r.results?.node));
  const head = ['case', 'bytes', ...peers, 'mtwire/mtcute', 'mtwire/gramjs'];
  const body = rows.map((r) =>
    [r.name, r.bytes ?? '', ...peers.map((p) => cell(r, p)), ratio(r, 'mtcute'), ratio(r, 'gramjs')].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cols) => `| ${cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}

function skipNotes(rows) {
  const byReason = new Map();
  for (const row of rows) {
    const entries = [
      ...Object.entries(row.failed).map(([peer, reason]) => `${peer} FAILED its check: ${reason}`),
      ...Object.entries(row.skipped).map(([peer, reason]) => `${peer} skipped: ${reason}`),
    ];
    if (row.error) entries.push(`FAILED: ${row.error}`);
    for (const key of entries) {
      byReason.set(key, [...(byReason.get(key) ?? []), row.name]);
    }
  }
  return [...byReason].map(([key, names]) => `${key} (${names.join(', ')})`);
}

if (opts.worker) process.stdout.write(`${JSON.stringify(await work(opts.worker))}\n`);
else process.exitCode = await main();
