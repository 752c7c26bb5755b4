// `npm run fuzz`: runs the fast-check fuzz targets of fuzz/ (each in its own worker thread, watched from
// here) and writes every failure, shrunk, to fixtures/fuzz-regressions/<target>-<n>.hex. The targets are
// TypeScript; esbuild bundles them in memory, as scripts/gen.mjs does for the generator.
//
//   npm run fuzz                                   every target, 2000 inputs each
//   npm run fuzz -- --runs 1000000 --target 'tl-*,frame-*'
//   npm run fuzz -- --cheap --runs 1000000 --jobs 2
//   npm run fuzz -- --expensive --max-seconds 120 --runs 1000000
//   npm run fuzz -- --list
//
// Options: --runs N (default 2000) · --target a,b,pat-* · --cheap / --expensive · --seed S (default: random,
// printed) · --time-limit MS (an input slower than this, twice, is a hang; default 1000) · --hard-timeout MS
// (a worker with no new input for this long is killed and its input saved as a hang; default 60000) ·
// --max-seconds S (stop each target after S seconds; the counts say what ran) · --shrink-seconds S (60) ·
// --jobs N (targets run in parallel; default 1) · --no-alloc (skip the per-input memory check) ·
// --json FILE (the report as JSON) · --no-save (do not write regression files) · --verbose (the most
// frequent refusals: which typed errors the inputs ended in).
// Exit status 1 when any target found a crash, contract violation, hang or unbounded allocation.
import { buildSync } from 'esbuild';
import { Worker } from 'node:worker_threads';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const regressionDir = join(root, 'fixtures/fuzz-regressions');

function parseArgs(argv) {
  const o = { runs: 2000, timeLimit: 1000, hardTimeout: 60000, shrinkSeconds: 60, jobs: 1, alloc: true, save: true, targets: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const number = () => {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 0) throw new Error(`${a} needs a non-negative number`);
      return n;
    };
    if (a === '--runs') o.runs = Math.floor(number());
    else if (a === '--target' || a === '--targets') o.targets.push(...value().split(',').filter(Boolean));
    else if (a === '--seed') o.seed = Math.floor(number()) | 0;
    else if (a === '--time-limit') o.timeLimit = number();
    else if (a === '--hard-timeout') o.hardTimeout = number();
    else if (a === '--max-seconds') o.maxSeconds = number();
    else if (a === '--shrink-seconds') o.shrinkSeconds = number();
    else if (a === '--jobs') o.jobs = Math.max(1, Math.floor(number()));
    else if (a === '--cheap') o.cost = 'cheap';
    else if (a === '--expensive') o.cost = 'expensive';
    else if (a === '--no-alloc') o.alloc = false;
    else if (a === '--no-save') o.save = false;
    else if (a === '--json') o.json = value();
    else if (a === '--list') o.list = true;
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new Error(`unknown option ${a} (see the top of scripts/fuzz.mjs)`);
  }
  o.seed ??= (Math.random() * 2 ** 31) | 0;
  return o;
}

const bundle = (() => {
  const { outputFiles } = buildSync({
    entryPoints: [join(root, 'fuzz/worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    keepNames: true, // error class names in reports, not esbuild's renamed ones
    logLevel: 'warning',
  });
  // The sourceURL names the module in stack traces, which would otherwise carry the whole data: URL
  // (megabytes per frame: every error whose stack is read would allocate that much).
  const text = outputFiles[0].text + '\n//# sourceURL=mtwire-fuzz-worker.mjs\n';
  return new URL('data:text/javascript;base64,' + Buffer.from(text).toString('base64'));
})();

function listTargets() {
  return new Promise((resolve, reject) => {
    const w = new Worker(bundle, { workerData: { list: true }, env: { ...process.env, MTWIRE_ROOT: root } });
    w.once('message', (m) => resolve(m.targets));
    w.once('error', reject);
  });
}

const matches = (name, patterns) =>
  patterns.length === 0 ||
  patterns.some((p) =>
    p.includes('*')
      ? new RegExp(
          '^' +
            p
              .split('*')
              .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
              .join('.*') +
            '$',
        ).test(name)
      : p === name,
  );

const SHARED_INPUT_BYTES = 1 << 20;

/** One target in one worker, watched: returns its stats, or a synthetic failure if the worker died or hung. */
function runTarget(name, o) {
  return new Promise((resolve) => {
    const shared = new SharedArrayBuffer(16 + SHARED_INPUT_BYTES);
    const counters = new Int32Array(shared, 0, 2);
    const startedAt = new Float64Array(shared, 8, 1);
    const bytes = new Uint8Array(shared, 16);
    startedAt[0] = Date.now();
    const rssStart = process.memoryUsage.rss();
    let rssPeak = rssStart;
    let finished = false;
    let lastProgress = Date.now();
    const worker = new Worker(bundle, {
      workerData: {
        name,
        runs: o.runs,
        seed: o.seed,
        timeLimitMs: o.timeLimit,
        measureAlloc: o.alloc,
        maxSeconds: o.maxSeconds,
        shrinkSeconds: o.shrinkSeconds,
        shared,
      },
      env: { ...process.env, MTWIRE_ROOT: root },
      // The stack of a main thread (~1 MB), not a worker's default 4 MB: stack depth is part of what is fuzzed.
      resourceLimits: { maxOldGenerationSizeMb: 2048, stackSizeMb: 1 },
    });
    const currentInput = () => Buffer.from(bytes.subarray(0, Math.min(counters[1], bytes.length))).toString('hex');
    const finish = (result) => {
      if (finished) return;
      finished = true;
      clearInterval(watch);
      resolve({ ...result, rssGrowthMb: (rssPeak - rssStart) / 2 ** 20 });
    };
    const watch = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      if (Date.now() - startedAt[0] > o.hardTimeout) {
        const hex = currentInput();
        void worker.terminate();
        finish({
          stats: {
            target: name,
            inputs: counters[0],
            seconds: NaN,
            maxMs: Date.now() - startedAt[0],
            refused: {},
            failure: { kind: 'hang', message: `no new input for ${o.hardTimeout} ms (worker killed)`, hex, shrinks: 0 },
          },
        });
      }
    }, 250);
    worker.on('message', (m) => {
      if (m.type === 'progress' && Date.now() - lastProgress > 15000) {
        lastProgress = Date.now();
        const s = m.stats;
        process.stderr.write(`  … ${name}: ${s.inputs} inputs in ${s.seconds.toFixed(0)} s (${Math.round(s.inputs / s.seconds)}/s)\n`);
      } else if (m.type === 'done') {
        finish({ stats: m.stats, heapUsedMb: m.heapUsed / 2 ** 20 });
      }
    });
    worker.on('error', (err) => {
      const hex = currentInput();
      finish({
        stats: {
          target: name,
          inputs: counters[0],
          seconds: NaN,
          maxMs: NaN,
          refused: {},
          failure: { kind: 'crash', message: `worker died: ${err?.code ?? ''} ${err?.message ?? err}`, hex, shrinks: 0 },
        },
      });
    });
    worker.on('exit', (code) => {
      if (!finished)
        finish({
          stats: {
            target: name,
            inputs: counters[0],
            seconds: NaN,
            maxMs: NaN,
            refused: {},
            failure: { kind: 'crash', message: `worker exited with ${code}`, hex: currentInput(), shrinks: 0 },
          },
        });
    });
  });
}

/** Saves a counterexample unless the same bytes are already saved; returns the file name. */
function saveRegression(target, failure) {
  mkdirSync(regressionDir, { recursive: true });
  const existing = readdirSync(regressionDir).filter((f) => f.startsWith(target + '-') && f.endsWith('.hex'));
  for (const f of existing) {
    const hex = readFileSync(join(regressionDir, f), 'utf8')
      .replace(/#[^\n]*/g, '')
      .replace(/\s+/g, '');
    if (hex === failure.hex) return f;
  }
  let n = 1;
  while (existsSync(join(regressionDir, `${target}-${n}.hex`))) n++;
  const file = `${target}-${n}.hex`;
  const lines = failure.hex.match(/.{1,128}/g) ?? [];
  writeFileSync(
    join(regressionDir, file),
    `# ${failure.kind}: ${failure.message.replace(/\n/g, ' ').slice(0, 400)}\n${lines.join('\n')}\n`,
  );
  return file;
}

const fmt = (n, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-';

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    console.log(
      readFileSync(fileURLToPath(import.meta.url), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('//'))
        .join('\n'),
    );
    return 0;
  }
  const all = await listTargets();
  if (o.list) {
    for (const t of all) console.log(`${t.name.padEnd(32)} ${t.cost.padEnd(10)} ${t.description}`);
    return 0;
  }
  const chosen = all.filter((t) => matches(t.name, o.targets) && (!o.cost || t.cost === o.cost));
  if (chosen.length === 0) throw new Error(`no target matches ${o.targets.join(',')} (see --list)`);
  console.log(
    `fuzz: ${chosen.length} target(s), ${o.runs} runs each, seed ${o.seed}, time limit ${o.timeLimit} ms${o.maxSeconds ? `, at most ${o.maxSeconds} s per target` : ''}`,
  );

  const results = [];
  const queue = [...chosen];
  const runNext = async () => {
    for (let t = queue.shift(); t; t = queue.shift()) {
      const r = await runTarget(t.name, o);
      const s = r.stats;
      const rate = s.inputs / s.seconds;
      let line = `${t.name.padEnd(30)} ${fmt(s.inputs).padStart(10)} inputs ${fmt(rate).padStart(8)}/s  max ${fmt(s.maxMs, 1).padStart(7)} ms  alloc ≤ ${fmt(s.maxAlloc / 2 ** 20, 1)} MB  rss +${fmt(r.rssGrowthMb, 1)} MB`;
      if (s.interrupted) line += '  (time cap)';
      if (o.verbose) {
        const top = Object.entries(s.refused)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6);
        line += '\n    refused: ' + (top.map(([k, n]) => `${k} ×${n}`).join(', ') || 'none');
      }
      if (s.failure) {
        const file = o.save ? saveRegression(t.name, s.failure) : '(not saved)';
        line += `\n  FAIL ${s.failure.kind}: ${s.failure.message}\n  input (${s.failure.hex.length / 2} bytes, ${s.failure.shrinks} shrinks) → fixtures/fuzz-regressions/${file}`;
        s.failure.file = file;
      }
      console.log(line);
      results.push({ ...s, rate, rssGrowthMb: r.rssGrowthMb, heapUsedMb: r.heapUsedMb, cost: t.cost });
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.jobs, chosen.length) }, runNext));
  const failed = results.filter((r) => r.failure);
  if (o.json)
    writeFileSync(
      o.json,
      JSON.stringify({ seed: o.seed, runs: o.runs, results }, (_, v) => (typeof v === 'bigint' ? String(v) : v), 1),
    );
  console.log(
    failed.length
      ? `fuzz: ${failed.length} target(s) FAILED: ${failed.map((f) => f.target).join(', ')}`
      : `fuzz: no failures (${fmt(results.reduce((n, r) => n + r.inputs, 0))} inputs)`,
  );
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
