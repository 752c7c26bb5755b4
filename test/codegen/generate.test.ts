import { describe, expect, test } from 'vitest';
import { readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { generate, listFiles } from '../../src/codegen/generate.js';
import { generateLibrary, LIBRARY_OUT_DIR } from '../../src/codegen/build-library.js';
import { parseSchema } from '../../src/schema/parser.js';
import { runCli } from '../../src/cli/cli.js';
import { MTPROXY_TLS_TEMPLATES } from '../schema-helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('generated layer-228 API', () => {
  const fresh = generateLibrary(root);

  test('the build output equals a fresh generation, file for file', () => {
    const outDir = join(root, LIBRARY_OUT_DIR);
    const onDisk = listFiles(outDir).sort();
    expect(onDisk).toEqual([...fresh.files.keys()].sort());
    for (const [path, content] of fresh.files) expect(readFileSync(join(outDir, path), 'utf8'), path).toBe(content);
  });

  test('generation is deterministic', () => {
    const again = generateLibrary(root);
    expect([...again.files]).toEqual([...fresh.files]);
  });

  test('only entries that cannot be serialized are left out, each with its reason', () => {
    expect(fresh.skipped.map((s) => s.name)).toEqual(['test.useConfigSimple', 'test.parseInputAppEvent', ...MTPROXY_TLS_TEMPLATES]);
  });
});

describe('tree shaking', () => {
  const bundle = (code: string) => {
    const dir = join(root, 'node_modules/.cache/mtwire-treeshake');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'entry.ts'), code);
    const out = buildSync({
      entryPoints: [join(dir, 'entry.ts')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      write: false,
      logLevel: 'silent',
    });
    return out.outputFiles[0]!.text;
  };
  const api = join(root, 'src/generated/api/types/index.js');

  test('a bundle using two constructors carries those two, not the schema', () => {
    const code = bundle(
      `import * as Api from ${JSON.stringify(api)};\n` +
        `console.log(Api.InputUser.encode(new Api.InputUser({ userId: 1, accessHash: 2 })), Api.InputPeerSelf.encode(new Api.InputPeerSelf()));`,
    );
    const constructors = code.match(/defineConstructor\(\s*"[\w.]+"/g) ?? [];
    expect(constructors).toHaveLength(2);
    expect(code).not.toContain('messages.sendMessage');
    expect(code.length).toBeLessThan(40_000);
  });

  test('each registry function carries only the tables it reads through', () => {
    const registry = JSON.stringify(join(root, 'src/generated/api/registry.js'));
    // Unminified, esbuild keeps the generated names: rc_/rm_ read constructors/methods, wc_/wm_ write them.
    const carried = (name: string) => {
      const code = bundle(`import { ${name} } from ${registry};\nconsole.log(${name});`);
      const count = (prefix: string) => code.match(new RegExp(`^function ${prefix}_`, 'gm'))?.length ?? 0;
      return { rc: count('rc'), rm: count('rm'), wc: count('wc'), wm: count('wm') };
    };
    // The API has ~1700 constructors with an id and ~800 methods.
    const allConstructors = 1000;
    const allMethods = 500;
    const objects = carried('readObject');
    expect(objects.rc).toBeGreaterThan(allConstructors);
    expect(objects).toMatchObject({ rm: 0, wc: 0, wm: 0 });
    const calls = carried('readMethod');
    expect(calls.rm).toBeGreaterThan(allMethods);
    expect(calls.rc).toBeLessThan(objects.rc); // only the constructors inside some method's parameters
    expect(calls).toMatchObject({ wc: 0, wm: 0 });
    expect(carried('readAny')).toEqual({ rc: objects.rc, rm: calls.rm, wc: 0, wm: 0 });
    const sent = carried('writeMethod');
    expect(sent.wm).toBe(calls.rm);
    expect(sent).toMatchObject({ rc: 0, rm: 0 });
    const written = carried('writeObject');
    expect(written).toEqual({ rc: 0, rm: 0, wc: objects.rc, wm: 0 });
    // A method's writer reaches the writers of the types it sends: not User, Message and the other answers.
    expect(sent.wc).toBeLessThan(written.wc / 2);
    expect(carried('idOf')).toEqual({ rc: 0, rm: 0, wc: 0, wm: 0 });
  });
});

describe('mtwire gen on a private schema', () => {
  const schema = `
point#5a2f7d01 x:int y:int = Point;
shape.polygon#5a2f7d02 flags:# closed:flags.0?true name:flags.1?string points:Vector<Point> = shape.Shape;
---functions---
shape.center#5a2f7d03 shape:shape.Shape = Point;
`;

  test('generates a working standalone module', async () => {
    const out = join(root, 'test/.generated/private');
    rmSync(out, { recursive: true, force: true });
    const tl = join(root, 'test/.generated/private.tl');
    mkdirSync(join(root, 'test/.generated'), { recursive: true });
    writeFileSync(tl, schema);
    const result = runCli(['gen', tl, '--out', out, '--runtime', '../../../src/tl/runtime.js']);
    // The made-up ids are not the CRC-32 of their declarations: one warning each, generation goes on.
    const warned = result.stderr
      .split('\n')
      .map((line) => /^mtwire: warning: .*:\d+:1: '([\w.]+)' is declared with the id/.exec(line)?.[1]);
    expect(warned).toEqual(['point', 'shape.polygon', 'shape.center']);
    expect(result.code).toBe(0);
    const mod = await import(join(out, 'index.ts'));
    const polygon = new mod.Api.shape.Polygon({ closed: true, points: [new mod.Api.Point({ x: 1, y: -1 })] });
    const bytes: Uint8Array = mod.Api.shape.Polygon.encode(polygon);
    expect(Buffer.from(bytes).toString('hex')).toBe('027d2f5a0100000015c4b51c01000000017d2f5a01000000ffffffff');
    expect(mod.Api.shape.Polygon.decode(bytes)).toEqual({ ...polygon, name: undefined });
    expect(mod.isMethodName('shape.center')).toBe(true);
    expect(result.stdout).toBe(`wrote 8 files to ${out}`); // codec, registry, result-writers, descriptor, schema, index, api/index, api/shape
    expect(mod.LAYER).toBeUndefined();
  });

  test('the same schema text always gives the same files', () => {
    const a = generate(parseSchema(schema, 'x.tl'));
    const b = generate(parseSchema(schema, 'x.tl'));
    expect([...a.files]).toEqual([...b.files]);
  });
});
