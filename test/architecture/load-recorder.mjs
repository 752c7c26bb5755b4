// Module hooks for generator-not-loaded.test.ts: node runs mtwire's TypeScript sources, each compiled on its
// own by esbuild as tsc emits it (every import that is not `import type` kept), and appends the URL of every
// module it loads to the log file named in `register`'s data.
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

let log;

export function initialize(data) {
  log = data.log;
}

export function resolve(specifier, context, nextResolve) {
  // NodeNext sources name the `.js` file that tsc would write beside them.
  const fromSource = context.parentURL?.endsWith('.ts') && specifier.startsWith('.');
  return nextResolve(fromSource ? specifier.replace(/\.js$/, '.ts') : specifier, context);
}

export function load(url, context, nextLoad) {
  appendFileSync(log, url + '\n');
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const { code } = transformSync(readFileSync(fileURLToPath(url), 'utf8'), {
    loader: 'ts',
    format: 'esm',
    sourcefile: url,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
