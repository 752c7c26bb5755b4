// The layer rules of ARCHITECTURE.md, checked over the import graph of src/. The rules are read from the
// table between `<!-- layers:start -->` and `<!-- layers:end -->`, never restated here, so the document
// and the check cannot drift apart. `node scripts/check-layers.mjs [root]` checks root (default: this
// repository) against root/ARCHITECTURE.md; exits 1 with one line per violation.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const tableStart = '<!-- layers:start -->';
const tableEnd = '<!-- layers:end -->';
/** What the table writes in a column that lists nothing. */
const none = '—';

/**
 * The layers of the table in `rulesText`: name, folders (a path ending in `/` is a folder, any other a
 * single file), the layers it may import and the packages it may import. Throws on a table that cannot be
 * read or that names a layer it does not define, so a typo cannot silently allow or forbid anything.
 */
export function parseLayerTable(rulesText) {
  const start = rulesText.indexOf(tableStart);
  const end = rulesText.indexOf(tableEnd, start);
  if (start < 0 || end < 0) throw new Error(`no layer table between ${tableStart} and ${tableEnd}`);
  const rows = rulesText
    .slice(start + tableStart.length, end)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, line.endsWith('|') ? -1 : undefined)
        .split('|')
        .map((cell) => cell.trim()),
    );
  // The header row and the |---| row under it.
  const layers = rows.slice(2).map((cells) => {
    if (cells.length !== 4) throw new Error(`layer table row with ${cells.length} cells, not 4: | ${cells.join(' | ')} |`);
    const [name, folders, mayImportLayers, mayImportPackages] = cells;
    return { name, folders: list(folders), layers: new Set(list(mayImportLayers)), packages: list(mayImportPackages) };
  });
  const names = new Set(layers.map((layer) => layer.name));
  for (const layer of layers) {
    if (layer.folders.length === 0) throw new Error(`layer ${layer.name} has no folders`);
    for (const name of layer.layers) if (!names.has(name)) throw new Error(`layer ${layer.name} may import ${name}, which is no layer`);
  }
  return layers;
}

/** A comma-separated table cell, without the backticks around each item; `—` is the empty list. */
function list(cell) {
  if (cell === none) return [];
  return cell.split(',').map((item) => item.trim().replace(/^`(.*)`$/, '$1'));
}

/**
 * Checks every `.ts` file under `root/src` (generated code included) against the table in `rulesText`.
 * Returns the number of files and of import specifiers read, and the violations in file order, each with
 * the file (relative to root, `/`-separated), the 1-based line and the message.
 */
export function checkLayers(root, rulesText) {
  const layers = parseLayerTable(rulesText);
  // The longest folder that contains a path names its layer, so a folder may sit inside another's.
  const folders = layers
    .flatMap((layer) => layer.folders.map((folder) => ({ folder, layer })))
    .sort((a, b) => b.folder.length - a.folder.length);
  const layerOf = (path) => folders.find(({ folder }) => (folder.endsWith('/') ? path.startsWith(folder) : path === folder))?.layer;

  const files = sourceFiles(join(root, 'src')).map((file) => relative(root, file).split(sep).join('/'));
  const violations = [];
  let imports = 0;
  for (const file of files) {
    const layer = layerOf(file);
    if (!layer) {
      violations.push({ file, line: 1, message: 'in no layer of the table — not allowed' });
      continue;
    }
    const text = readFileSync(join(root, file), 'utf8');
    for (const { fileName: specifier, pos } of ts.preProcessFile(text, true, true).importedFiles) {
      imports++;
      const line = lineAt(text, pos);
      if (specifier.startsWith('.')) {
        // NodeNext specifiers name the emitted `.js`; the layer is the source file's.
        const target = join(dirname(file), specifier).split(sep).join('/').replace(/\.js$/, '.ts');
        const targetLayer = layerOf(target);
        if (targetLayer === layer || (targetLayer && layer.layers.has(targetLayer.name))) continue;
        const what = targetLayer ? `layer ${targetLayer.name}` : 'no layer';
        violations.push({ file, line, message: `layer ${layer.name} imports ${target} (${what}) — not allowed` });
      } else if (!layer.packages.some((name) => specifier === name || specifier.startsWith(name + '/'))) {
        violations.push({ file, line, message: `layer ${layer.name} imports ${specifier} (package) — not allowed` });
      }
    }
  }
  return { files: files.length, imports, violations };
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return entry.name.endsWith('.ts') ? [path] : [];
    });
}

function lineAt(text, offset) {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { files, imports, violations } = checkLayers(root, readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8'));
  if (violations.length) {
    console.error(violations.map(({ file, line, message }) => `${file}:${line}: ${message}`).join('\n'));
    process.exit(1);
  }
  console.log(`check:layers: ${files} files, ${imports} imports checked, no violations`);
}
