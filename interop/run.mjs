// npm run interop [-- --filter <text>]: starts mtwire's test server on 127.0.0.1 and runs every independent
// client in interop/clients over every framing it has, on TCP and WebSocket (scenario.mjs), one after another.
// Prints each step as it ends, then the client × framing × transport × step table. Exits 1 if a step failed.
import { rsaKeyForEveryClient } from './keys.mjs';
import { startTestServer } from '../dist/src/server/index.js';
import { gramjs } from './clients/gramjs.mjs';
import { mtcute } from './clients/mtcute.mjs';
import { STEPS, runScenario } from './scenario.mjs';

const LIBRARIES = [mtcute, gramjs];

const args = process.argv.slice(2);
const filters = args.filter((_, i) => args[i - 1] === '--filter');
const named = (text) => !filters.length || filters.some((f) => text.includes(f));

/**
 * Messages the server refused, by bad_msg_notification code. Only 48 (bad_server_salt: a new session's first
 * message carries a salt the client has not learnt yet) is part of a normal run; any other code is a check
 * the leniencies should have let through (34 was mtcute's odd msgs_ack) or a client bug, and fails the run.
 */
const refusals = new Map();
const EXPECTED_REFUSALS = new Set([48]);

function logServer(level, message, data) {
  if (message === 'message refused') refusals.set(data.code, (refusals.get(data.code) ?? 0) + 1);
  if (process.env.INTEROP_DEBUG) {
    console.log(`[server] ${level} ${message}`, JSON.stringify(data, (_, v) => (typeof v === 'bigint' ? `${v}` : v)) ?? '');
  }
}

/**
 * The server on free ports below 32768: gramjs's StringSession stores the port as a signed 16-bit number,
 * so a higher one cannot be saved for the reconnect step.
 */
async function startServer() {
  const rsaKey = rsaKeyForEveryClient();
  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 6_000);
    try {
      return await startTestServer({ port, wsPort: port + 1, rsaKey, log: logServer });
    } catch (error) {
      if (error.code !== 'EADDRINUSE' || attempt === 20) throw error;
    }
  }
}

const server = await startServer();
const rows = [];
const started = performance.now();
try {
  for (const library of LIBRARIES) {
    for (const combination of library.combinations) {
      const label = `${library.name} (layer ${library.layer}) ${combination.transport} ${combination.framing}`;
      if (!named(label)) continue;
      const results = await runScenario(server, library, combination, (step, { ok, ms, detail }) => {
        console.log(`${label} | ${step}: ${ok ? 'ok' : 'FAILED'} ${ms.toFixed(0)} ms | ${detail}`);
      });
      rows.push({ library, combination, results });
    }
  }
} finally {
  await server.close();
}

const cell = (result) => (result === undefined ? '—' : result.ok ? 'ok' : 'FAILED');
console.log(`\n| client (layer) | transport | framing | ${STEPS.join(' | ')} |`);
console.log(`| --- | --- | --- | ${STEPS.map(() => '---').join(' | ')} |`);
for (const { library, combination, results } of rows) {
  const steps = STEPS.map((step) => cell(results[step])).join(' | ');
  console.log(`| ${library.version} (${library.layer}) | ${combination.transport} | ${combination.framing} | ${steps} |`);
}
const failed = rows.filter(({ results }) => STEPS.some((step) => !results[step]?.ok));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\n${rows.length - failed.length} of ${rows.length} client × transport × framing runs passed every step (${seconds} s)`);
const unexpected = [...refusals.keys()].filter((code) => !EXPECTED_REFUSALS.has(code));
const counts = [...refusals].map(([code, n]) => `${code} × ${n}`).join(', ') || 'none';
console.log(`messages the server refused, by bad_msg_notification code: ${counts}${unexpected.length ? ' (unexpected)' : ''}`);
process.exit(failed.length || unexpected.length || !rows.length ? 1 : 0);
