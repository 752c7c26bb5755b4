import { READ_BODY, WRITE_BODY, type TlObject } from './define.js';
import { TlEncodeError } from './errors.js';
import type { TlReader } from './reader.js';
import type { TlWriter } from './writer.js';

type Reader = (r: TlReader) => TlObject;
type Writer = (w: TlWriter, v: TlObject) => void;

/** What the registry needs of a generated entry value (`defineConstructor`/`defineMethod` put the rest there). */
export interface RegistryEntry {
  readonly tlName: string;
  readonly id: number;
}

/** Functions over every constructor and method of a schema, for values whose type is only known at run time. */
export interface TlRegistry {
  /** Reads any boxed object of the schema (the id picks the constructor). */
  readObject(r: TlReader): TlObject;
  /** Writes any object of the schema, boxed, choosing the constructor by its `_`. */
  writeObject(w: TlWriter, v: TlObject): void;
  /** Reads any boxed method call (what a server receives). */
  readMethod(r: TlReader): TlObject;
  /** Writes any method call, boxed. */
  writeMethod(w: TlWriter, v: TlObject): void;
  /** Reads any boxed constructor or method call of the schema. */
  readAny(r: TlReader): TlObject;
  /** Writes any constructor or method call of the schema, boxed. */
  writeAny(w: TlWriter, v: TlObject): void;
  /** The id of a constructor or method by TL name, or undefined. */
  idOf(name: string): number | undefined;
  /** Whether `name` is a method of the schema. */
  isMethodName(name: string): boolean;
}

interface Tables {
  constructorReaders: ReadonlyMap<number, Reader>;
  constructorWriters: ReadonlyMap<string, readonly [number, Writer]>;
  methodReaders: ReadonlyMap<number, Reader>;
  methodWriters: ReadonlyMap<string, readonly [number, Writer]>;
  anyReaders: ReadonlyMap<number, Reader>;
  anyWriters: ReadonlyMap<string, readonly [number, Writer]>;
}

/**
 * The registry of a generated module set. `constructors` (those with an id) and `methods` list the
 * entries in schema order, so that where two share an id the one declared last wins. The lists are
 * functions and the tables are built on first use: the generated entries are not yet defined while the
 * modules that import each other are evaluated, and a program that never looks anything up by id or
 * name pays nothing for the tables.
 */
export function defineRegistry(constructors: () => readonly RegistryEntry[], methods: () => readonly RegistryEntry[]): TlRegistry {
  let built: Tables | undefined;
  const tables = (): Tables => (built ??= buildTables(constructors(), methods()));
  return {
    readObject: (r) => readBoxed(tables().constructorReaders, r, 'Object'),
    writeObject: (w, v) => writeBoxed(tables().constructorWriters, w, v, 'a constructor of the schema'),
    readMethod: (r) => readBoxed(tables().methodReaders, r, 'method'),
    writeMethod: (w, v) => writeBoxed(tables().methodWriters, w, v, 'a method of the schema'),
    readAny: (r) => readBoxed(tables().anyReaders, r, 'any constructor or method'),
    writeAny: (w, v) => writeBoxed(tables().anyWriters, w, v, 'a constructor or method of the schema'),
    idOf: (name) => (tables().constructorWriters.get(name) ?? tables().methodWriters.get(name))?.[0],
    isMethodName: (name) => tables().methodWriters.has(name),
  };
}

function buildTables(constructors: readonly RegistryEntry[], methods: readonly RegistryEntry[]): Tables {
  const readers = (entries: readonly RegistryEntry[]) => new Map(entries.map((e) => [e.id, bodyOf(e)[READ_BODY]]));
  const writers = (entries: readonly RegistryEntry[]) => new Map(entries.map((e) => [e.tlName, [e.id, bodyOf(e)[WRITE_BODY]] as const]));
  const constructorReaders = readers(constructors);
  const constructorWriters = writers(constructors);
  const methodReaders = readers(methods);
  const methodWriters = writers(methods);
  return {
    constructorReaders,
    constructorWriters,
    methodReaders,
    methodWriters,
    anyReaders: new Map([...constructorReaders, ...methodReaders]),
    anyWriters: new Map([...constructorWriters, ...methodWriters]),
  };
}

function bodyOf(entry: RegistryEntry): { [READ_BODY]: Reader; [WRITE_BODY]: Writer } {
  return entry as unknown as { [READ_BODY]: Reader; [WRITE_BODY]: Writer };
}

/** Reads a constructor id and the fields of the entry it names in `readers`. */
function readBoxed(readers: ReadonlyMap<number, Reader>, r: TlReader, expected: string): TlObject {
  const id = r.uint32();
  const read = readers.get(id);
  if (!read) throw r.unknown(id, expected);
  return read(r);
}

/** Writes the constructor id and the fields of the entry that `v._` names in `writers`. */
function writeBoxed(writers: ReadonlyMap<string, readonly [number, Writer]>, w: TlWriter, v: TlObject, expected: string): void {
  const entry = writers.get((v as TlObject | null | undefined)?._ as string);
  if (!entry) throw new TlEncodeError(expected, v);
  w.uint32(entry[0]);
  entry[1](w, v);
}
