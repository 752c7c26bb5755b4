import type { ResolvedType, SchemaModel } from '../schema/model.js';
import { indent, writeStatements } from './emit-codec.js';
import { fn, resultKey, resultWriterImports, sharedResults, tsType } from './emit-types.js';

/**
 * Emits `result-writers.ts`: `writeResultOf`, the mirror of the registry's `readResultOf`, which writes
 * a method's result (the body of the rpc_result a server sends). A boxed result is written by its
 * type's writer from the codec, any other by one writer per kind of result. Only servers need these, so
 * they live in their own module: a client that imports the registry does not carry them.
 */
export function emitResultWriters(model: SchemaModel, runtime: string): string {
  const code = [...sharedResults(model).values()].map(emitResultWriter).join('\n');
  const codecNames = [...resultWriterImports(model)].sort();
  const registryNames = ['writeObject', 'writeMethod'].filter((f) => code.includes(`${f}(`));
  const writerOf = (t: ResolvedType) => (t.kind === 'union' ? fn.writeType(t.type) : fn.writeResult(resultKey(t)));
  return [
    `import { TlEncodeError, type TlWriter, type TlObject } from '${runtime}';`,
    // The service schema's results are all boxed types, written by the codec: its module names no Api type.
    ...(code.includes('Api.') ? [`import type * as Api from './types/index.js';`] : []),
    ...(codecNames.length ? [`import { ${codecNames.join(', ')} } from './codec.js';`] : []),
    ...(registryNames.length ? [`import { ${registryNames.join(', ')} } from './registry.js';`] : []),
    '',
    code,
    'type ResultWriter = (w: TlWriter, value: never, request: never) => void;',
    '',
    '/** Method name → the writer of its result; built on first use. */',
    'let resultWriters: ReadonlyMap<string, ResultWriter> | undefined;',
    'const writers = (): ReadonlyMap<string, ResultWriter> =>',
    '  (resultWriters ??= new Map<string, ResultWriter>([',
    ...model.methods.map((m) => `    ['${m.name}', ${writerOf(model.resolve(m.result, m))}],`),
    '  ]));',
    '',
    '/** Writes `value` as the result of `request` (what goes inside its rpc_result), looking through wrappers such as invokeWithLayer. */',
    'export function writeResultOf(w: TlWriter, request: TlObject, value: unknown): void {',
    '  const write = writers().get((request as TlObject | null | undefined)?._ as string);',
    "  if (!write) throw new TlEncodeError('a method of the schema', request);",
    '  write(w, value as never, request as never);',
    '}',
    '',
  ].join('\n');
}

/** The writer of a method result that is not a boxed type. */
function emitResultWriter(t: ResolvedType): string {
  const name = fn.writeResult(resultKey(t));
  if (t.kind === 'generic') {
    return [
      `function ${name}(w: TlWriter, v: unknown, request: { query: TlObject }): void {`,
      `  writeResultOf(w, request.query, v);`,
      '}',
      '',
    ].join('\n');
  }
  return [`function ${name}(w: TlWriter, v: ${tsType(t)}): void {`, ...indent(writeStatements(t, 'v', 0)), '}', ''].join('\n');
}
