import type { TlObject } from './define.js';
import { TlEncodeError } from './errors.js';
import type { TlReader } from './reader.js';
import type { TlWriter } from './writer.js';

/** A generated reader of one entry's fields (after its id). */
export type FieldsReader = (r: TlReader) => TlObject;

/**
 * A generated writer of one entry's fields. Its value is `never`: each writer takes its own entry's type,
 * and a table only ever hands it the object whose `_` chose it.
 */
export type FieldsWriter = (w: TlWriter, v: never) => void;

/** A constructor id and the generated writer of that entry's fields. */
export type BoxedWriter = readonly [id: number, write: FieldsWriter];

/**
 * The map from each key to the value at the same index: how a generated registry builds its tables from
 * columns in schema order (ids, names, functions). Of two equal keys the later one wins.
 */
export function zipTable<K, V>(keys: readonly K[], values: readonly V[]): Map<K, V> {
  const table = new Map<K, V>();
  for (let i = 0; i < keys.length; i++) table.set(keys[i]!, values[i]!);
  return table;
}

/** Pairs each id with the writer at the same index: the values of a writer table. */
export function boxedWriters(ids: readonly number[], writers: readonly FieldsWriter[]): BoxedWriter[] {
  return ids.map((id, i) => [id, writers[i]!] as const);
}

/**
 * Reads a constructor id and the fields of the entry it names in `readers`: what a generated module set's
 * `readObject`, `readMethod` and `readAny` do, each over its own table. An id the table does not hold is a
 * TlDecodeError naming it and where it was read; `expected` says what the table holds.
 */
export function readBoxed(readers: ReadonlyMap<number, FieldsReader>, r: TlReader, expected: string): TlObject {
  const id = r.uint32();
  const read = readers.get(id);
  if (!read) throw r.unknown(id, expected);
  return read(r);
}

/**
 * Writes the constructor id and the fields of the entry that `v._` names in `writers` (`writeObject`,
 * `writeMethod`, `writeAny`). A value whose `_` the table does not hold is a TlEncodeError saying what was
 * expected (`expected`) and what was given.
 */
export function writeBoxed(writers: ReadonlyMap<string, BoxedWriter>, w: TlWriter, v: TlObject, expected: string): void {
  const entry = writers.get((v as TlObject | null | undefined)?._ as string);
  if (!entry) throw new TlEncodeError(expected, v);
  w.uint32(entry[0]);
  entry[1](w, v as never);
}
