// npm run examples [-- <name>…]: runs each example as a user would (after `npm run build`). The
// TypeScript ones are stripped of their types by esbuild into examples/.out/ and run by node; they import
// 'mtwire' by its package name, which resolves to this checkout's dist/ through package.json "exports".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import { transformSync } from 'esbuild';

const dir = fileURLToPath(new URL('.', import.meta.url));
const out = join(dir, '.out');
if (!existsSync(join(dir, '../dist'))) {
  console.error('run npm run build first');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const wanted = process.argv.slice(2);
const examples = readdirSync(dir)
  .filter((f) => /\.(ts|sh)$/.test(f))
  .filter((f) => !wanted.length || wanted.includes(f.replace(/\.(ts|sh)$/, '')));
if (wanted.length && examples.length !== wanted.length) {
  console.error(
    `no such example among: ${readdirSync(dir)
      .filter((f) => /\.(ts|sh)$/.test(f))
      .join(', ')}`,
  );
  process.exit(2);
}

let failed = 0;
for (const file of examples) {
  let command = ['bash', [join(dir, file)]];
  if (file.endsWith('.ts')) {
    const js = join(out, basename(file, '.ts') + '.mjs');
    writeFileSync(js, transformSync(readFileSync(join(dir, file), 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' }).code);
    command = [process.execPath, [js]];
  }
  console.log(`\n== examples/${file}`);
  const started = performance.now();
  const run = spawnSync(command[0], command[1], { stdio: 'inherit', timeout: 120_000 });
  const ms = Math.round(performance.now() - started);
  if (run.status === 0) console.log(`-- ok (${ms} ms)`);
  else {
    failed++;
    console.log(`-- FAILED (${run.signal ?? `exit ${run.status}`}, ${ms} ms)`);
  }
}
console.log(`\n${examples.length - failed}/${examples.length} examples ran`);
process.exit(failed ? 1 : 0);
