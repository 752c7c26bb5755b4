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
const run = spawnSync(process.execPath, [path('bench/harness.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
