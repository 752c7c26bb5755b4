import type { TlEntry } from '../schema/ast.js';
import type { SchemaModel } from '../schema/model.js';
import { indent, writeStatements } from './emit-codec.js';
import { entryTypeRef, fn, tsType } from './emit-types.js';

/**
 * Emits `result-writers.ts`: per method a writer of its result (the body of the rpc_result a server
 * sends), and `writeResultOf`, the mirror of the registry's `readResultOf`. Only servers need these,
 * so they live in their own module: a client that imports the registry does not carry them.
 */
export function emitResultWriters(model: SchemaModel, runtime: string): string {
  const functions = model.methods.map((m) => emitResultWriter(model, m));
  const code = functions.join('\n');
  // The writers call the codec's type and constructor writers by name; import exactly those.
  const codecNames = [...new Set(code.match(/\bw[tc]_[\w$]+(?=\()/g) ?? [])].sort();
  const registryNames = ['writeObject', 'writeMethod'].filter((f) => code.includes(`${f}(`));
  return [
    `import { TlEncodeError, type TlWriter, type TlObject } from '${runtime}';`,
    `import type * as Api from './types/index.js';`,
    ...(codecNames.length ? [`import { ${codecNames.join(', ')} } from './codec.js';`] : []),
    ...(registryNames.length ? [`import { ${registryNames.join(', ')} } from './registry.js';`] : []),
    '',
    code,
    'type ResultWriter = (w: TlWriter, request: never, value: never) => void;',
    'const RESULT_WRITERS = new Map<string, ResultWriter>([',
    ...model.methods.map((m) => `  ['${m.name}', ${fn.writeResult(m.name)} as ResultWriter],`),
    ']);',
    '',
    '/** Writes `value` as the result of `request` (what goes inside its rpc_result), looking through wrappers such as invokeWithLayer. */',
    'export function writeResultOf(w: TlWriter, request: TlObject, value: unknown): void {',
    '  const write = RESULT_WRITERS.get((request as TlObject | null | undefined)?._ as string);',
    "  if (!write) throw new TlEncodeError('a method of the schema', request);",
    '  write(w, request as never, value as never);',
    '}',
    '',
  ].join('\n');
}

function emitResultWriter(model: SchemaModel, m: TlEntry): string {
  const result = model.resolve(m.result, m);
  const name = fn.writeResult(m.name);
  if (result.kind === 'generic') {
    return [
      `export function ${name}(w: TlWriter, request: ${entryTypeRef(m)}, v: unknown): void {`,
      `  writeResultOf(w, request.query, v);`,
      '}',
      '',
    ].join('\n');
  }
  const body = writeStatements(result, 'v', 0);
  const params = body.length ? 'w: TlWriter' : '_w: TlWriter';
  return [`export function ${name}(${params}, _request: ${entryTypeRef(m)}, v: ${tsType(result)}): void {`, ...indent(body), '}', ''].join(
    '\n',
  );
}
