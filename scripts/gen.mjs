// Regenerates src/generated/api/ and src/generated/service/ from schema/ (the first step of `npm run
// build`). The generator is TypeScript; esbuild bundles it in memory so that it runs before anything is
// compiled.
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { outputFiles } = buildSync({
  entryPoints: [join(root, 'src/codegen/build-library.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const mod = await import('data:text/javascript;base64,' + Buffer.from(outputFiles[0].text).toString('base64'));
const started = performance.now();
const written = mod.buildLibrary(root);
console.log(`generated ${written.join(' and ')} in ${Math.round(performance.now() - started)} ms`);
