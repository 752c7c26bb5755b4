// Writes src/layers/pack.ts, mtwire's store of the API schemas of layers 98-228, from the api.tl files of
// ../shared/schema/layers (see schema/SOURCE.md). Each layer is parsed and described exactly as the
// generator describes a schema; the store keeps every distinct descriptor line once (with type references
// by name: src/layers/pack-format.ts) and, per layer, which lines it has in which order.
// `node scripts/pack-layers.mjs [layers-dir]`; test/layers/pack.test.ts checks the result against the files.
import { buildSync } from 'esbuild';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? join(root, '../shared/schema/layers');
const out = join(root, 'src/layers/pack.ts');

const { outputFiles } = buildSync({
  stdin: {
    contents: [
      "export { parseSchemaFiles } from './src/schema/parser.ts';",
      "export { SchemaModel } from './src/schema/model.ts';",
      "export { describeSchema } from './src/codegen/emit-descriptor.ts';",
      "export { toStoredLines, encodeRuns } from './src/layers/pack-format.ts';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const tl = await import('data:text/javascript;base64,' + Buffer.from(outputFiles[0].text).toString('base64'));

const layers = readdirSync(source)
  .map((file) => /^api-L(\d+)\.tl$/.exec(file))
  .filter((match) => match !== null)
  .map((match) => ({ layer: Number(match[1]), file: join(source, match[0]) }))
  .sort((a, b) => a.layer - b.layer);
if (!layers.length) throw new Error(`no api-L<n>.tl files in ${source}`);

/** Every distinct stored line, numbered in order of first appearance from the oldest layer up. */
const lineIndex = new Map();
const rows = layers.map(({ layer, file }) => {
  const schema = tl.parseSchemaFiles([{ file, text: readFileSync(file, 'utf8') }]);
  const { lines, constructorCount } = tl.toStoredLines(tl.describeSchema(new tl.SchemaModel(schema)));
  const indices = lines.map((line) => {
    if (!lineIndex.has(line)) lineIndex.set(line, lineIndex.size);
    return lineIndex.get(line);
  });
  return `${layer} ${constructorCount} ${tl.encodeRuns(indices)}`;
});

const text = [
  '// Written by scripts/pack-layers.mjs from the api.tl of every layer tdlib shipped (schema/SOURCE.md); do not edit.',
  '// Read by store.ts: LINES holds each distinct descriptor line once, LAYERS one row per layer.',
  `export const LINES: string = ${JSON.stringify([...lineIndex.keys()].join('\n'))};`,
  `export const LAYERS: string = ${JSON.stringify(rows.join('\n'))};`,
  '',
].join('\n');
writeFileSync(out, text);
console.log(
  `packed ${layers.length} layers (${layers[0].layer}-${layers.at(-1).layer}): ${lineIndex.size} distinct lines, ${text.length} bytes`,
);
