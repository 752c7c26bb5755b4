// Project rules that the compiler does not check. Exits 1 with one line per problem.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '../..');
const problems = [];

/**
 * Runtime dependencies the architecture allows (README says why each); peers (gramjs, mtcute) and
 * big-integer never. fflate is gzip where node:zlib is missing.
 */
const allowedDependencies = new Set(['ws', '@noble/hashes', 'fflate']);
const forbiddenImports = /from ['"](telegram|telegram\/.*|@mtcute\/.*|big-integer|long)['"]/;
const maxLines = 400;

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const dep of Object.keys(pkg.dependencies ?? {})) {
  if (!allowedDependencies.has(dep)) problems.push(`package.json: runtime dependency ${dep} is not allowed`);
}
for (const dep of Object.keys(pkg.devDependencies ?? {})) {
  if (/^(telegram|@mtcute\/|big-integer)/.test(dep)) problems.push(`package.json: ${dep} belongs in bench/package.json`);
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (name === 'generated' || name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(full).isDirectory() ? walk(full) : /\.(ts|mjs)$/.test(name) ? [full] : [];
  });
}

for (const file of ['src', 'test', 'fuzz', 'scripts', 'interop', 'browser', 'runtimes'].flatMap((dir) => walk(join(root, dir)))) {
  const rel = relative(root, file);
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // A final newline ends the last line; it does not start another.
  const lineCount = text.endsWith('\n') ? lines.length - 1 : lines.length;
  if (lineCount > maxLines) problems.push(`${rel}: ${lineCount} lines (split files over ${maxLines})`);
  lines.forEach((line, i) => {
    // interop/ is the test-only package whose job is to import the peers.
    if (!rel.startsWith('interop/') && forbiddenImports.test(line)) problems.push(`${rel}:${i + 1}: imports a peer or big-integer`);
    if (rel.startsWith('src/') && !rel.startsWith('src/demo/') && /\bconsole\.(log|info|warn|error|debug)\(/.test(line)) {
      problems.push(`${rel}:${i + 1}: console output in library code (use the logging hook)`);
    }
    if (/\b(it|test|describe)\.only\(/.test(line)) problems.push(`${rel}:${i + 1}: .only left in a test`);
  });
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: ok');
