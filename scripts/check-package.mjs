// `npm run check:package`: packs the package exactly as `npm publish` would (prepack builds and strips
// `prepare`), then checks the tarball: publint (manifest and files), arethetypeswrong (types resolve for
// every entry point; the esm-only profile, since the package is ESM-only: see the README), and that the
// published manifest has no `prepare` script.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(join(tmpdir(), 'mtwire-pack-'));
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });
try {
  run('npm', ['pack', '--silent', '--pack-destination', out]);
  const tarball = join(
    out,
    readdirSync(out).find((f) => f.endsWith('.tgz')),
  );
  run('npx', ['--no-install', 'publint', 'run', tarball, '--strict']);
  run('npx', ['--no-install', 'attw', tarball, '--profile', 'esm-only']);
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  if (manifest.scripts?.prepare) throw new Error('the packed package.json still has a prepare script');
  console.log(`check:package: ${tarball.split('/').pop()} passes publint and attw, no prepare script`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
