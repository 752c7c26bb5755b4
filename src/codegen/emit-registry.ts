import type { TlEntry } from '../schema/ast.js';
import type { SchemaModel } from '../schema/model.js';
import { idHex } from '../schema/naming.js';
import { fn } from './emit-types.js';

/** The functions over values whose type is only known at run time, exported by the codec and by `registry.ts`. */
export const REGISTRY_EXPORTS = ['readObject', 'writeObject', 'readMethod', 'writeMethod', 'readAny', 'writeAny', 'idOf', 'isMethodName'];

/** What the registry functions use from the runtime. */
export const REGISTRY_RUNTIME = [
  'readBoxed',
  'writeBoxed',
  'zipTable',
  'boxedWriters',
  'type FieldsReader',
  'type FieldsWriter',
  'type BoxedWriter',
];

/**
 * Emits `registry.ts`: the registry functions, re-exported from the codec, where they live beside the
 * generated functions their tables name (which stay private to the codec: an export costs every importer).
 */
export function emitRegistry(): string {
  return `export { ${REGISTRY_EXPORTS.join(', ')} } from './codec.js';\n`;
}

/**
 * The codec's part that reads and writes values whose type is only known at run time (`Object` fields,
 * rpc_result bodies, `!X` queries, `encodeObject`, the CLI): four tables, constructor readers by id,
 * method readers by id, constructor writers by name and method writers by name, plus names → ids and the
 * set of method names. Each table references the generated functions directly and is built by its own
 * function on first use, so a bundler drops every table that no reached function calls, and with it
 * every function only that table names: a client, which writes only methods and reads only
 * constructors, carries no method reader and no writer of a type it never sends. Tables that hold both
 * (`readAny`, `writeAny`) are built from the two.
 *
 * The tables are zipped from columns in schema order (ids, names, functions), so that a program that
 * keeps several tables carries each id and name once: written out row by row, the full API's ids and
 * names would be repeated in every table, 240 KB more in a bundle of everything.
 *
 * Where two entries share an id (tdlib's `invokeWithBusinessConnectionPrefix` and
 * `invokeWithBusinessConnection`, both `#dd289f8e`), by id the one declared last wins, and a method
 * wins over a constructor.
 */
export function emitRegistryTables(model: SchemaModel): string {
  const ctors = model.constructors.filter((e) => e.id !== undefined);
  const ids = (entries: TlEntry[]) => `[${entries.map((e) => `0x${idHex(e.id!)}`).join(', ')}]`;
  const names = (entries: TlEntry[]) => JSON.stringify(entries.map((e) => e.name));
  return [
    column('constructorIds', 'number[]', ids(ctors)),
    column('constructorNames', 'string[]', names(ctors)),
    column('methodIds', 'number[]', ids(model.methods)),
    column('methodNames', 'string[]', names(model.methods)),
    table(
      'constructorReaders',
      'number, FieldsReader',
      'constructorIds()',
      functions(
        'FieldsReader',
        ctors.map((c) => fn.readCtor(c.name)),
      ),
    ),
    table(
      'methodReaders',
      'number, FieldsReader',
      'methodIds()',
      functions(
        'FieldsReader',
        model.methods.map((m) => fn.readMethod(m.name)),
      ),
    ),
    table(
      'constructorWriters',
      'string, BoxedWriter',
      'constructorNames()',
      `boxedWriters(constructorIds(), ${functions(
        'FieldsWriter',
        ctors.map((c) => fn.writeCtor(c.name)),
      )})`,
    ),
    table(
      'methodWriters',
      'string, BoxedWriter',
      'methodNames()',
      `boxedWriters(methodIds(), ${functions(
        'FieldsWriter',
        model.methods.map((m) => fn.writeMethod(m.name)),
      )})`,
    ),
    table('entryIds', 'string, number', '[...constructorNames(), ...methodNames()]', '[...constructorIds(), ...methodIds()]'),
    cached('methodNameSet', 'ReadonlySet<string>', 'new Set(methodNames())'),
    cached('anyReaders', 'ReadonlyMap<number, FieldsReader>', 'new Map([...constructorReaders(), ...methodReaders()])'),
    cached('anyWriters', 'ReadonlyMap<string, BoxedWriter>', 'new Map([...constructorWriters(), ...methodWriters()])'),
    exported('readObject(r: TlReader): TlObject', `readBoxed(constructorReaders(), r, 'Object')`),
    exported('writeObject(w: TlWriter, v: TlObject): void', `writeBoxed(constructorWriters(), w, v, 'a constructor of the schema')`),
    exported('readMethod(r: TlReader): TlObject', `readBoxed(methodReaders(), r, 'method')`),
    exported('writeMethod(w: TlWriter, v: TlObject): void', `writeBoxed(methodWriters(), w, v, 'a method of the schema')`),
    exported('readAny(r: TlReader): TlObject', `readBoxed(anyReaders(), r, 'any constructor or method')`),
    exported('writeAny(w: TlWriter, v: TlObject): void', `writeBoxed(anyWriters(), w, v, 'a constructor or method of the schema')`),
    exported('idOf(name: string): number | undefined', 'entryIds().get(name)'),
    exported('isMethodName(name: string): boolean', 'methodNameSet().has(name)'),
  ].join('\n');
}

/** A column of the tables, made anew for each table built from it (each is built once). */
function column(name: string, type: string, value: string): string {
  return [`function ${name}(): ${type} {`, `  return ${value};`, '}', ''].join('\n');
}

/**
 * The generated functions in one array. Array.of with an explicit element type: tsc infers an array
 * literal of ~1700 function types as a union too complex to represent.
 */
function functions(type: string, names: string[]): string {
  return [`Array.of<${type}>(`, ...names.map((n) => `    ${n},`), '  )'].join('\n');
}

/** A map from `keys` to `values`, built on first use by the function `name`. */
function table(name: string, types: string, keys: string, values: string): string {
  return cached(name, `ReadonlyMap<${types}>`, `zipTable(${keys}, ${values})`);
}

function cached(name: string, type: string, value: string): string {
  return [`let ${name}Table: ${type} | undefined;`, `function ${name}(): ${type} {`, `  return (${name}Table ??= ${value});`, '}', ''].join(
    '\n',
  );
}

function exported(signature: string, body: string): string {
  return [`export function ${signature} {`, `  return ${body};`, '}', ''].join('\n');
}
