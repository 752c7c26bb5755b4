// npm run bench [-- --filter <text>] [--quick] [--json <file>]: mtwire side by side with mtcute and gramjs.
// The peers are dependencies of bench/ only (bench/package.json), never of the library.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const path = (p) => fileURLToPath(new URL(`../${p}`, import.meta.url));

if (!existsSync(path('dist'))) {
  console.error('run npm run build first');
  process.exit(1);
}
if (!existsSync(path('bench/node_modules'))) {
  const install = spawnSync('npm', ['ci', '--prefix', path('bench')], { stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const args = process.argv.slice(2);
const run = spawnSync(process.execPath, [path('bench/harness.mjs'), ...args], { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
// The load and round-trip figures run on sockets, outside the harness; a --filter that names them asks for them.
const filters = args.filter((a, i) => args[i - 1] === '--filter');
if (!filters.length || filters.some((f) => 'load'.includes(f) || f.includes('load'))) {
  const load = spawnSync(process.execPath, [path('bench/load.mjs'), ...args], { stdio: 'inherit' });
  process.exit(load.status ?? 1);
}
