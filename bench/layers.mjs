// Serving older layers: what writing an answer for a layer-198 client costs against writing it at
// layer 228, as the test server does (server/client-layer.ts). Goal: ≤ 1.2× when the answer's
// constructors are declared identically in both layers, where the conversion is skipped. The last case
// (constructors changed, so the answer is converted and written through the layer's descriptor) is shown
// for scale; it has no goal.
import { readFileSync } from 'node:fs';
import { decodeObject, encodeResult } from '../dist/src/api/index.js';
import { apiLayer } from '../dist/src/layers/index.js';
import { ClientLayerCodec } from '../dist/src/server/client-layer.js';
import { testConfig } from '../dist/src/server/handlers/config.js';

const quick = process.argv.includes('--quick');
const GOAL = 1.2;
const samples = quick ? 7 : 15;
const sampleMs = quick ? 50 : 200;
const layer198 = ClientLayerCodec.for(198);

const services = {
  dcId: 2,
  nowSeconds: () => 1_700_000_000,
  cluster: { endpoints: new Map([[2, { id: 2, host: '127.0.0.1', port: 443 }]]) },
};
const updates = {
  _: 'updates',
  updates: Array.from({ length: 20 }, (_, i) =>
    i % 2
      ? { _: 'updateDeleteMessages', messages: [i, i + 1, i + 2], pts: 100 + i, ptsCount: 3 }
      : { _: 'updateUserStatus', userId: BigInt(1000 + i), status: { _: 'userStatusOnline', expires: 1_700_000_000 + i } },
  ),
  users: [],
  chats: [],
  date: 1_700_000_000,
  seq: 0,
};
const phoneCall = decodeObject(
  Uint8Array.from(Buffer.from(readFileSync(new URL('./payloads/b1.L228.hex', import.meta.url), 'utf8').trim(), 'hex')),
);

const cases = [
  { name: 'help.getConfig → config (unchanged)', request: { _: 'help.getConfig' }, result: testConfig(services), goal: true },
  { name: 'messages.getAllDrafts → updates ×20 (unchanged)', request: { _: 'messages.getAllDrafts' }, result: updates, goal: true },
  { name: 'phone.acceptCall → phone.phoneCall (changed: converted)', request: { _: 'phone.acceptCall' }, result: phoneCall, goal: false },
];

let sink;
/** Ops per second of a batch of `fn` run for about `sampleMs`. */
function sample(fn, batch) {
  let ops = 0;
  const start = performance.now();
  do {
    for (let i = 0; i < batch; i++) sink = fn();
    ops += batch;
  } while (performance.now() - start < sampleMs);
  return (ops * 1000) / (performance.now() - start);
}

/**
 * Rates of `a` and `b` from samples taken in turn (b, a, a, b, …), and the median of the ratios of each
 * pair: a busy machine slows the two samples of a pair alike, so the ratio drifts less than the rates do.
 */
function compare(a, b) {
  const warm = performance.now();
  while (performance.now() - warm < sampleMs * 3) (sample(a, 64), sample(b, 64));
  const rates = { a: [], b: [] };
  const ratios = [];
  for (let i = 0; i < samples; i++) {
    let ra, rb;
    if (i % 2) ((ra = sample(a, 256)), (rb = sample(b, 256)));
    else ((rb = sample(b, 256)), (ra = sample(a, 256)));
    rates.a.push(ra);
    rates.b.push(rb);
    ratios.push(ra / rb);
  }
  const median = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
  return { a: median(rates.a), b: median(rates.b), ratio: median(ratios) };
}

console.log('\n## Older layers (writing one answer: layer 228 vs for a layer-198 client)\n');
console.log('| answer | bytes | at 228 | for 198 | 198 ÷ 228 time | goal |');
console.log('|---|--:|--:|--:|--:|---|');
for (const c of cases) {
  const at228 = () => encodeResult(c.request, c.result);
  const for198 = () => layer198.encodeResult(c.request, c.result);
  const bytes198 = for198();
  // The check before timing: the bytes are layer 198's (its own schema reads them back).
  const { result } = apiLayer(198).descriptor.entry(c.request._);
  apiLayer(198).codec.decodeValue(result, bytes198);
  if (c.goal && Buffer.compare(Buffer.from(bytes198), Buffer.from(at228())) !== 0) throw new Error(`${c.name}: unchanged answer differs`);
  const { a, b, ratio } = compare(at228, for198);
  const rate = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : `${(x / 1e3).toFixed(1)} k/s`);
  const goal = c.goal ? (ratio <= GOAL ? `≤ ${GOAL}× met` : `≤ ${GOAL}× MISSED`) : 'none';
  console.log(`| ${c.name} | ${bytes198.length} | ${rate(a)} | ${rate(b)} | ${ratio.toFixed(2)}× | ${goal} |`);
}
