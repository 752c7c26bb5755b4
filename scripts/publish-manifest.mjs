// `npm pack` / `npm publish` hooks: the published package.json has no `prepare` script. `prepare` is what
// makes `npm ci` build a fresh clone (.ci/run and the README rely on it), but in a published manifest it
// only makes installers warn about an install-time script the tarball (already built) never needs.
// prepack: `strip` saves package.json beside itself and writes it without `scripts.prepare`;
// postpack: `restore` puts the saved one back. `strip` refuses to run over an unrestored save.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = join(root, 'package.json');
const saved = join(root, 'package.json.unpacked');

const step = process.argv[2];
if (step === 'strip') {
  if (existsSync(saved)) {
    throw new Error(`${saved} exists: an earlier pack did not finish; run "node scripts/publish-manifest.mjs restore" first`);
  }
  const text = readFileSync(manifest, 'utf8');
  writeFileSync(saved, text);
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  writeFileSync(manifest, JSON.stringify(pkg, null, 2) + '\n');
} else if (step === 'restore') {
  if (existsSync(saved)) renameSync(saved, manifest);
} else {
  throw new Error('usage: node scripts/publish-manifest.mjs strip|restore');
}
