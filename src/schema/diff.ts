/**
 * What changed between two versions of a schema, entry by entry (`mtwire diff old.tl new.tl`): entries are
 * matched by kind and name, so a renamed constructor shows as one removed and one added.
 */
import { hexId } from '../base/errors.js';
import type { TlEntry, TlSchema } from './ast.js';
import { printParamType, printType } from './printer.js';

export interface EntryChange {
  kind: TlEntry['kind'];
  name: string;
  /** Each difference in plain words: `id #1 → #2`, `field x: int → long`, `field y added: string`. */
  changes: string[];
  before: TlEntry;
  after: TlEntry;
}

export interface SchemaDiff {
  added: TlEntry[];
  removed: TlEntry[];
  changed: EntryChange[];
}

const key = (e: TlEntry): string => `${e.kind} ${e.name}`;

export function diffSchemas(before: TlSchema, after: TlSchema): SchemaDiff {
  const old = new Map(before.entries.map((e) => [key(e), e]));
  const current = new Map(after.entries.map((e) => [key(e), e]));
  const changed: EntryChange[] = [];
  for (const [k, entry] of current) {
    const earlier = old.get(k);
    if (!earlier) continue;
    const changes = entryChanges(earlier, entry);
    if (changes.length) changed.push({ kind: entry.kind, name: entry.name, changes, before: earlier, after: entry });
  }
  return {
    added: after.entries.filter((e) => !old.has(key(e))),
    removed: before.entries.filter((e) => !current.has(key(e))),
    changed,
  };
}

function entryChanges(before: TlEntry, after: TlEntry): string[] {
  const changes: string[] = [];
  const idText = (id: number | undefined) => (id === undefined ? 'none' : hexId(id));
  if (before.id !== after.id) changes.push(`id ${idText(before.id)} → ${idText(after.id)}`);
  const oldFields = fieldsOf(before);
  const newFields = fieldsOf(after);
  for (const [name, type] of newFields) {
    const was = oldFields.get(name);
    if (was === undefined) changes.push(`field ${name} added: ${type}`);
    else if (was !== type) changes.push(`field ${name}: ${was} → ${type}`);
  }
  for (const [name, type] of oldFields) if (!newFields.has(name)) changes.push(`field ${name} removed: ${type}`);
  const order = (fields: Map<string, string>) => [...fields.keys()].filter((n) => oldFields.has(n) && newFields.has(n)).join(' ');
  if (order(oldFields) !== order(newFields)) changes.push('fields reordered');
  const result = (e: TlEntry) => printType(e.result);
  if (result(before) !== result(after))
    changes.push(`${before.kind === 'method' ? 'result' : 'type'} ${result(before)} → ${result(after)}`);
  return changes;
}

/** Field name → its type as written (`flags.0?true`, `#`), generics included. */
function fieldsOf(entry: TlEntry): Map<string, string> {
  const fields = new Map<string, string>();
  for (const generic of entry.generics) fields.set(`{${generic.name}}`, generic.type);
  for (const param of entry.params) fields.set(param.name, printParamType(param.type));
  return fields;
}
