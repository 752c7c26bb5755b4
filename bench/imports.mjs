// What loading each library's API costs: every import below runs in its own fresh process
// (bench/import-probe.mjs), the imports interleaved round by round so that a burst of load on a shared
// machine hits them all alike; the table shows medians. mtwire is imported from dist/ through its
// package.json exports map, the peers from bench/node_modules.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 7;
const probe = fileURLToPath(new URL('./import-probe.mjs', import.meta.url));
const root = new URL('../', import.meta.url);
const { exports } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
/** The file that `mtwire${subpath}` resolves to for an importing program. */
const mtwire = (subpath) => new URL(exports[`.${subpath}`].default, root).href;

/** `reference`: the peer's row that the ratio columns divide by. */
const IMPORTS = [
  { peer: 'mtwire', code: "import { Api } from 'mtwire'", specifier: mtwire(''), exportName: 'Api' },
  { peer: 'mtwire', code: "import * as Api from 'mtwire/api'", specifier: mtwire('/api'), exportName: 'InputUser' },
  { peer: 'mtwire', code: "import { ClientSession } from 'mtwire/mtproto'", specifier: mtwire('/mtproto'), exportName: 'ClientSession' },
  {
    peer: 'mtcute',
    code: "import { __tlReaderMap, __tlWriterMap } from '@mtcute/core/utils.js'",
    specifier: '@mtcute/core/utils.js',
    exportName: '__tlReaderMap',
    reference: true,
  },
  { peer: 'mtcute', code: "import { tl } from '@mtcute/core'", specifier: '@mtcute/core', exportName: 'tl' },
  { peer: 'gramjs', code: "import { Api } from 'telegram'", specifier: 'telegram', exportName: 'Api', reference: true },
];

function measure({ specifier, exportName }) {
  const child = spawnSync(process.execPath, ['--expose-gc', probe, specifier, exportName], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${specifier}: ${child.stderr.trim().split('\n').pop()}`);
  return JSON.parse(child.stdout);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const samples = IMPORTS.map(() => []);
for (let round = 0; round < rounds; round++) {
  IMPORTS.forEach((entry, i) => samples[i].push(measure(entry)));
}
const rows = IMPORTS.map((entry, i) => ({
  ...entry,
  ms: median(samples[i].map((s) => s.ms)),
  mb: median(samples[i].map((s) => s.bytes)) / 1e6,
}));

const references = ['mtcute', 'gramjs'].map((peer) => rows.find((r) => r.peer === peer && r.reference));
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const head = ['import', 'time', 'heap', ...references.flatMap((r) => [`time ÷ ${r.peer}`, `heap ÷ ${r.peer}`])];
const body = rows.map((r) => [
  `${r.peer}: \`${r.code}\``,
  `${r.ms.toFixed(0)} ms`,
  `${r.mb.toFixed(1)} MB`,
  ...references.flatMap((ref) => (r.peer === 'mtwire' ? [ratio(r.ms, ref.ms), ratio(r.mb, ref.mb)] : ['', ''])),
]);
const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
const line = (cols) => `| ${cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;

console.log('\n## Import cost (a fresh process per import)\n');
console.log([line(head), rule, ...body.map(line)].join('\n'));
console.log(
  `\n- median of ${rounds} processes each; time = the \`await import()\` alone, heap = heapUsed growth between two forced GCs (--expose-gc)`,
);
console.log(
  `- ratio = mtwire ÷ peer (< 1: mtwire lighter), against ${references.map((r) => `\`${r.specifier}\``).join(' and ')}; ` +
    "mtcute's TL readers and writers (what the TL cases use) are in utils.js, its `tl` namespace in the root entry",
);
