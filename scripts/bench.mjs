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
// The import-cost, load and older-layer figures run outside the harness (fresh processes, sockets, mtwire
// against itself); a --filter that names one asks for it, no --filter for all.
const filters = args.filter((a, i) => args[i - 1] === '--filter');
const named = (name) => !filters.length || filters.some((f) => name.includes(f) || f.includes(name));
for (const [name, script] of [
  ['import', 'bench/imports.mjs'],
  ['load', 'bench/load.mjs'],
  ['layers', 'bench/layers.mjs'],
]) {
  if (!named(name)) continue;
  const child = spawnSync(process.execPath, [path(script), ...args], { stdio: 'inherit' });
  if (child.status !== 0) process.exit(child.status ?? 1);
}
