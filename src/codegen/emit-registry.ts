import type { TlEntry } from '../schema/ast.js';
import type { SchemaModel } from '../schema/model.js';
import { idHex } from '../schema/naming.js';
import { fn } from './emit-types.js';

/**
 * Emits `registry.ts`: id and name tables over every constructor and method, for values whose type is
 * only known at run time (`Object` fields, rpc_result bodies, `!X` queries, the CLI). Unlike the codec
 * it references everything, so only code that needs it should import it.
 *
 * Two methods of api.tl share an id (tdlib's `invokeWithBusinessConnectionPrefix` and
 * `invokeWithBusinessConnection`, both `#dd289f8e`): by id, the one declared last wins.
 */
export function emitRegistry(model: SchemaModel, runtime: string): string {
  const row = (e: TlEntry, write: string, read: string) => `  [0x${idHex(e.id!)}, '${e.name}', c.${write} as Writer, c.${read} as Reader],`;
  const ctors = model.constructors.filter((e) => e.id !== undefined);
  return [
    `import { TlEncodeError, type TlReader, type TlWriter, type TlObject } from '${runtime}';`,
    `import * as c from './codec.js';`,
    '',
    'type Writer = (w: TlWriter, v: TlObject) => void;',
    'type Reader = (r: TlReader) => TlObject;',
    'type Row = readonly [id: number, name: string, write: Writer, read: Reader];',
    '',
    'const CONSTRUCTORS: readonly Row[] = [',
    ...ctors.map((e) => row(e, fn.writeCtor(e.name), fn.readCtor(e.name))),
    '];',
    '',
    'const METHODS: readonly Row[] = [',
    ...model.methods.map((e) => row(e, fn.writeMethod(e.name), fn.readMethod(e.name))),
    '];',
    '',
    'type ResultReader = (r: TlReader, request: never) => unknown;',
    'const RESULTS = new Map<string, ResultReader>([',
    ...model.methods.map((e) => `  ['${e.name}', c.${fn.readResult(e.name)} as ResultReader],`),
    ']);',
    '',
    REGISTRY_RUNTIME,
  ].join('\n');
}

/** The part of the registry that does not depend on the schema. */
const REGISTRY_RUNTIME = `const readersById = (rows: readonly Row[]) => new Map(rows.map(([id, , , read]) => [id, read]));
const writersByName = (rows: readonly Row[]) => new Map(rows.map(([id, name, write]) => [name, [id, write] as const]));

const constructorReaders: ReadonlyMap<number, Reader> = readersById(CONSTRUCTORS);
const constructorWriters = writersByName(CONSTRUCTORS);
const methodReaders: ReadonlyMap<number, Reader> = readersById(METHODS);
const methodWriters = writersByName(METHODS);
const anyReaders = new Map([...constructorReaders, ...methodReaders]);
const anyWriters = new Map([...constructorWriters, ...methodWriters]);

/** Reads a constructor id and the fields of the entry it names in \`readers\`. */
function readBoxed(readers: ReadonlyMap<number, Reader>, r: TlReader, expected: string): TlObject {
  const id = r.uint32();
  const read = readers.get(id);
  if (!read) throw r.unknown(id, expected);
  return read(r);
}

/** Writes the constructor id and the fields of the entry that \`v._\` names in \`writers\`. */
function writeBoxed(writers: ReadonlyMap<string, readonly [number, Writer]>, w: TlWriter, v: TlObject, expected: string): void {
  const entry = writers.get((v as TlObject | null | undefined)?._ as string);
  if (!entry) throw new TlEncodeError(expected, v);
  w.uint32(entry[0]);
  entry[1](w, v);
}

/** Reads any boxed object of the schema (the id picks the constructor). */
export const readObject = (r: TlReader): TlObject => readBoxed(constructorReaders, r, 'Object');
/** Writes any object of the schema, boxed, choosing the constructor by its \`_\`. */
export const writeObject = (w: TlWriter, v: TlObject): void => writeBoxed(constructorWriters, w, v, 'a constructor of the schema');
/** Reads any boxed method call (what a server receives). */
export const readMethod = (r: TlReader): TlObject => readBoxed(methodReaders, r, 'method');
/** Writes any method call, boxed. */
export const writeMethod = (w: TlWriter, v: TlObject): void => writeBoxed(methodWriters, w, v, 'a method of the schema');
/** Reads any boxed constructor or method call of the schema. */
export const readAny = (r: TlReader): TlObject => readBoxed(anyReaders, r, 'any constructor or method');
/** Writes any constructor or method call of the schema, boxed. */
export const writeAny = (w: TlWriter, v: TlObject): void => writeBoxed(anyWriters, w, v, 'a constructor or method of the schema');

/** Reads the result of \`request\` (the body of its rpc_result), looking through wrappers such as invokeWithLayer. */
export function readResultOf(r: TlReader, request: TlObject): unknown {
  const read = RESULTS.get((request as TlObject | null | undefined)?._ as string);
  if (!read) throw new TlEncodeError('a method of the schema', request);
  return read(r, request as never);
}

/** The id of a constructor or method by TL name, or undefined. */
export function idOf(name: string): number | undefined {
  return (constructorWriters.get(name) ?? methodWriters.get(name))?.[0];
}

/** Whether \`name\` is a method of the schema. */
export function isMethodName(name: string): boolean {
  return methodWriters.has(name);
}
`;
