// npm run interop [-- --filter <text>]: independent clients (mtcute, gramjs) against the test server.
// The clients are dependencies of interop/ only (interop/package.json), never of the library.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const path = (p) => fileURLToPath(new URL(`../${p}`, import.meta.url));

if (!existsSync(path('dist'))) {
  console.error('run npm run build first');
  process.exit(1);
}
if (!existsSync(path('interop/node_modules'))) {
  // No install scripts: nothing the suite loads needs one, and better-sqlite3 (an @mtcute/node dependency the
  // suite never opens) would try to download or compile a native module.
  const install = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', path('interop')], {
    stdio: 'inherit',
  });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const run = spawnSync(process.execPath, [path('interop/run.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
// mtcute through a migration and a cloud password on the multi-DC cluster (interop/multidc.mjs), unless a
// --filter names something else.
const args = process.argv.slice(2);
const filters = args.filter((_, i) => args[i - 1] === '--filter');
const multiDcNamed = !filters.length || filters.some((f) => 'mtcute multi-DC'.includes(f));
const multiDc = multiDcNamed ? spawnSync(process.execPath, [path('interop/multidc.mjs')], { stdio: 'inherit' }) : { status: 0 };
process.exit(run.status === 0 && multiDc.status === 0 ? 0 : 1);
