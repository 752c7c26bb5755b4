// npm run interop [-- --filter <text>]: starts mtwire's test server on 127.0.0.1 and runs every independent
// client in interop/clients over every framing it has, on TCP and WebSocket (scenario.mjs), one after another.
// Prints each step as it ends, then the client × framing × transport × step table. Exits 1 if a step failed.
import { startTestServer } from '../dist/src/server/index.js';
import { gramjs } from './clients/gramjs.mjs';
import { mtcute } from './clients/mtcute.mjs';
import { STEPS, runScenario } from './scenario.mjs';

const LIBRARIES = [mtcute, gramjs];

const args = process.argv.slice(2);
const filters = args.filter((_, i) => args[i - 1] === '--filter');
const named = (text) => !filters.length || filters.some((f) => text.includes(f));

/**
 * The server on free ports below 32768: gramjs's StringSession stores the port as a signed 16-bit number,
 * so a higher one cannot be saved for the reconnect step.
 */
const logServer = (level, message, data) =>
  console.log(`[server] ${level} ${message}`, JSON.stringify(data, (_, v) => (typeof v === 'bigint' ? `${v}` : v)) ?? '');

async function startServer() {
  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 6_000);
    try {
      return await startTestServer({ port, wsPort: port + 1, log: process.env.INTEROP_DEBUG ? logServer : undefined });
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
process.exit(failed.length || !rows.length ? 1 : 0);
