// The last step of `npm run build`: rewrites the compiled generated modules (dist/src/generated/**/*.js)
// with short local names and without indentation. A module's source text stays in the heap of every
// program that imports it (V8 compiles functions lazily from it), and tsc prints the API's codec in
// 2.3 MB; compacted it is 1.3 MB. Exports keep their names, lines their breaks (stack traces still point
// somewhere readable), and calls their `/* @__PURE__ */` annotations, which bundlers need in order to
// drop the entries a program does not use: esbuild's whitespace minifier would remove those, so it is
// not used, and indentation is stripped line by line instead.
import { transformSync } from 'esbuild';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const generated = join(dirname(fileURLToPath(import.meta.url)), '../dist/src/generated');

const REEXPORT = /^export\s*(?:\*|\{)[^;]*?\bfrom\s*['"]/m;
const files = readdirSync(generated, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
let before = 0;
let after = 0;
for (const file of files) {
  const path = join(generated, file);
  const source = readFileSync(path, 'utf8');
  // esbuild also rewrites each `export { a as B } from` into an import plus an export, a module entry
  // more per name: the namespace modules, which are mostly re-exports, are only unindented.
  const code = REEXPORT.test(source) ? source : transformSync(source, { format: 'esm', minifyIdentifiers: true, sourcefile: file }).code;
  // Leading spaces matter only inside template literals, the one kind of literal that spans lines.
  const compact = code.includes('`') ? code : code.replace(/^ +/gm, '');
  writeFileSync(path, compact);
  before += source.length;
  after += compact.length;
}
console.log(`compacted ${files.length} generated modules: ${(before / 1e6).toFixed(2)} MB → ${(after / 1e6).toFixed(2)} MB`);
