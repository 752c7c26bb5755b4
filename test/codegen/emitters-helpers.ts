import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import ts from 'typescript';
import { emitApiModules } from '../../src/codegen/emit-api.js';
import { emitCodec } from '../../src/codegen/emit-codec.js';
import { emitRegistry } from '../../src/codegen/emit-registry.js';
import { emitResultWriters } from '../../src/codegen/emit-result-writers.js';
import { SchemaModel } from '../../src/schema/model.js';
import { parseSchema } from '../../src/schema/parser.js';
import type { TlObject, TlReader, TlWriter } from '../../src/tl/runtime.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const outRoot = join(root, 'test/.generated/emitters');
const runtimeTs = join(root, 'src/tl/runtime.ts');

export function modelOf(tl: string, file = 'test.tl'): SchemaModel {
  return new SchemaModel(parseSchema(tl, file));
}

/** Calls each emitter directly, the way `generate` assembles them, importing the runtime from `runtimeFor(depth)`. */
export function emitAll(model: SchemaModel, runtimeFor: (depth: number) => string): Map<string, string> {
  const files = new Map<string, string>();
  files.set('codec.ts', emitCodec(model, runtimeFor(0)));
  files.set('registry.ts', emitRegistry());
  files.set('result-writers.ts', emitResultWriters(model, runtimeFor(0)));
  for (const [path, content] of emitApiModules(model, runtimeFor(1))) files.set(path, content);
  return files;
}

/** Writes `files` under `dir`, each import of the runtime pointing at src/tl/runtime. */
function writeSet(dir: string, model: SchemaModel, transform: (path: string, content: string) => [string, string]): void {
  rmSync(dir, { recursive: true, force: true });
  const runtimeFor = (depth: number) => {
    const rel = relative(join(dir, ...new Array<string>(depth).fill('x')), runtimeTs).replace(/\\/g, '/');
    return rel.replace(/\.ts$/, '.js');
  };
  for (const [path, content] of emitAll(model, runtimeFor)) {
    const [outPath, outContent] = transform(path, content);
    mkdirSync(dirname(join(dir, outPath)), { recursive: true });
    writeFileSync(join(dir, outPath), outContent);
  }
}

type Value = ((params?: Record<string, unknown>) => TlObject) & {
  tlName: string;
  id: number;
  is(v: unknown): boolean;
  encode(v: unknown): Uint8Array;
  decode(bytes: Uint8Array, options?: { allowTrailing?: boolean }): any;
};

/** A generated module set, compiled and loaded. Values are loosely typed: the tests check behaviour. */
export interface Loaded {
  Api: Record<string, any>;
  registry: {
    readObject(r: TlReader): TlObject;
    writeObject(w: TlWriter, v: unknown): void;
    readMethod(r: TlReader): TlObject;
    writeMethod(w: TlWriter, v: unknown): void;
    readAny(r: TlReader): TlObject;
    writeAny(w: TlWriter, v: unknown): void;
    idOf(name: string): number | undefined;
    isMethodName(name: string): boolean;
  };
  /** `readResultOf` from the codec, `writeResultOf` from result-writers.ts. */
  results: {
    readResultOf(r: TlReader, request: unknown): unknown;
    writeResultOf(w: TlWriter, request: unknown, value: unknown): void;
  };
  value(path: string): Value;
}

/**
 * Emits `tl` with every emitter, writes the TypeScript to test/.generated/emitters/<name>/ts, compiles
 * each file with esbuild into …/<name>/js, and imports the JavaScript (which loads the same runtime
 * module as the tests, so `instanceof TlDecodeError` works).
 */
export async function compile(name: string, tl: string): Promise<Loaded> {
  const model = modelOf(tl, `${name}.tl`);
  const base = join(outRoot, name);
  writeSet(join(base, 'ts'), model, (path, content) => [path, content]);
  writeSet(join(base, 'js'), model, (path, content) => {
    const js = transformSync(content, { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: path }).code;
    return [path.replace(/\.ts$/, '.js'), js];
  });
  const js = join(base, 'js');
  const [types, registry, codec, writers] = await Promise.all([
    import(join(js, 'types/index.js')),
    import(join(js, 'registry.js')),
    import(join(js, 'codec.js')),
    import(join(js, 'result-writers.js')),
  ]);
  const results = { readResultOf: codec.readResultOf, writeResultOf: writers.writeResultOf };
  const value = (path: string): Value => {
    const v = path.split('.').reduce<any>((o, k) => o?.[k], types);
    if (typeof v !== 'function') throw new Error(`no generated value ${path}`);
    return v as Value;
  };
  return { Api: types, registry, results, value };
}

/** The folder of a compiled set's TypeScript, for type checking. */
export const tsDir = (name: string): string => join(outRoot, name, 'ts');

/** Type-checks files with the project's compiler settings (plus `extra`); returns one line per diagnostic. */
export function typecheck(files: string[], extra: ts.CompilerOptions = {}): string[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    strict: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    ...extra,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${relative(root, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
export const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/[\s|]+/g, ''), 'hex'));
/** A little-endian int32 as hex, for building expected bytes. */
export const le32 = (v: number): string => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v | 0);
  return b.toString('hex');
};
export const le64 = (v: bigint): string => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt.asIntN(64, v));
  return b.toString('hex');
};
