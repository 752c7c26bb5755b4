/**
 * What an application pays for `mtwire/mtproto`: the state machines read and write only the service
 * schema (src/generated/service), so their bundle must hold none of the layer-228 API.
 */
import { buildSync, type Metafile } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MAX_BYTES = 150_000;
/** Constructors and methods that only api.tl declares, as a generated module names them. */
const API_ONLY_NAMES = ['phone.phoneCall', 'inputUser', 'updateShort', 'user', 'help.getConfig', 'invokeWithLayer', 'initConnection'];

function bundle(options: { entry: string } | { code: string }): { text: string; size: number; inputs: string[] } {
  const { outputFiles, metafile } = buildSync({
    ...('entry' in options ? { entryPoints: [options.entry] } : { stdin: { contents: options.code, resolveDir: root, loader: 'ts' } }),
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = outputFiles[0]!;
  return { text: output.text, size: output.contents.length, inputs: Object.keys((metafile as Metafile).inputs) };
}

/** The api.tl-only names that appear in `text` as string literals. */
function apiNamesIn(text: string): string[] {
  return API_ONLY_NAMES.filter((name) => ['"', "'", '`'].some((q) => text.includes(q + name + q)));
}

describe('mtwire/mtproto bundle (esbuild, minified)', () => {
  const mtproto = bundle({ entry: 'src/mtproto/index.ts' });

  test(`is ${(mtproto.size / 1000).toFixed(1)} kB, at most ${MAX_BYTES / 1000} kB`, () => {
    expect(mtproto.size).toBeLessThanOrEqual(MAX_BYTES);
  });

  test('loads nothing from the full API, the api glue or the schema parser', () => {
    const forbidden = mtproto.inputs.filter((path) => /^src\/(generated\/api|api|schema|codegen)\//.test(path));
    expect(forbidden).toEqual([]);
    expect(mtproto.inputs).toContain('src/generated/service/registry.ts');
  });

  test('carries no api.tl constructor or method name', () => {
    expect(apiNamesIn(mtproto.text)).toEqual([]);
  });

  test('the name check finds api.tl constructors when they are bundled', () => {
    const withApi = bundle({ code: "import { Api } from './src/api/index.js'; export const x = [Api.InputUser, Api.phone.PhoneCall];" });
    expect(apiNamesIn(withApi.text)).toEqual(expect.arrayContaining(['inputUser', 'phone.phoneCall']));
  });
});
