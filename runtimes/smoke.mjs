// npm run test:runtimes: the client's smoke test under Deno and Bun, both installed from the npm registry
// into runtimes/ (a test-only package). Each runs an esbuild bundle of browser/smoke.ts against a Node test
// server: handshake, sign-in and help.getConfig over the runtime's standard WebSocket. Exits 1 unless both pass.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundle, forkTestServer } from '../browser/harness.mjs';

const path = (p) => fileURLToPath(new URL(p, import.meta.url));
if (!existsSync(path('node_modules'))) {
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', path('.')], { stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
mkdirSync(path('node_modules/.cache'), { recursive: true });
const script = path('node_modules/.cache/smoke.mjs');
writeFileSync(script, await bundle('browser/smoke.ts'));

const RUNTIMES = {
  deno: [path('node_modules/deno/deno'), ['run', '--allow-net', script]],
  bun: [path('node_modules/bun/bin/bun.exe'), [script]],
};

const server = await forkTestServer();
let failed = false;
try {
  for (const [name, [binary, args]] of Object.entries(RUNTIMES)) {
    const run = spawnSync(binary, [...args, JSON.stringify(server.info)], { encoding: 'utf8', timeout: 60_000 });
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    let result;
    try {
      result = JSON.parse(line);
    } catch {
      result = undefined;
    }
    const ok = run.status === 0 && result?.userId === '1000001' && result?.thisDc === server.info.dcId;
    failed ||= !ok;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${ok ? line : `exit ${run.status}\n${run.stdout}${run.stderr}`}`);
  }
} finally {
  await server.stop();
}
if (failed) process.exit(1);
