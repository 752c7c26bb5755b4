/**
 * Loading `mtwire/mtproto`, `mtwire/client` or `mtwire/server` loads no file of the generator (the schema and
 * codegen layers of ARCHITECTURE.md). Each entry point runs from its TypeScript source in a node of its own,
 * with module hooks (load-recorder.mjs) that log every module loaded, so the answer never depends on a
 * stale dist/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const recorder = new URL('./load-recorder.mjs', import.meta.url).href;
const generatorFolders = ['src/schema/', 'src/codegen/'];
const exportsMap = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports as Record<string, { default: string }>;

const temporary = mkdtempSync(join(tmpdir(), 'mtwire-loaded-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

/** The source file that tsc compiles to an export's `./dist/….js` (rootDir `.`, outDir `dist`). */
const sourceOf = (entryPoint: string): string => exportsMap[entryPoint]!.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts');

/** Every module that running `source` loads: files under root relative to it, anything else as its URL. */
function modulesLoadedBy(source: string): string[] {
  const log = join(temporary, source.replaceAll('/', '_') + '.log');
  const registration = `import { register } from 'node:module'; register(${JSON.stringify(recorder)}, { data: { log: ${JSON.stringify(log)} } });`;
  const node = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(registration)}`, join(root, source)], {
    encoding: 'utf8',
    timeout: 50_000,
  });
  expect(node.status, node.stderr).toBe(0);
  const rootUrl = pathToFileURL(root).href;
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url !== '')
    .map((url) => (url.startsWith(rootUrl) ? relative(root, fileURLToPath(url)).split('\\').join('/') : url));
}

const generatorFiles = (loaded: string[]): string[] => loaded.filter((file) => generatorFolders.some((folder) => file.startsWith(folder)));

test.each(['mtproto', 'client', 'server'])('loading mtwire/%s loads no file of the generator', (name) => {
  const source = sourceOf(`./${name}`);
  const loaded = modulesLoadedBy(source);
  // The hooks saw the entry point and what it imports, so an empty answer below is a real one.
  expect(loaded).toContain(source);
  expect(loaded).toContain('src/tl/reader.ts');
  expect(generatorFiles(loaded)).toEqual([]);
});

test('the CLI, which generates code, is seen loading the generator', () => {
  expect(generatorFiles(modulesLoadedBy('src/cli/cli.ts'))).toEqual(
    expect.arrayContaining(['src/schema/parser.ts', 'src/codegen/generate.ts']),
  );
});
