/**
 * Consistency checks over a parsed schema that the grammar cannot express: constructor ids must be unique
 * (two entries with one id make decoding ambiguous), and each id should be the CRC-32 of its declaration
 * (a mismatch usually means a typo in the id or in the declaration).
 */
import { hexId } from '../base/errors.js';
import type { TlEntry, TlSchema } from './ast.js';
import { computedId } from './crc.js';
import { TlSchemaError, where } from './scanner.js';

export interface SchemaCheckOptions {
  /**
   * Entries allowed to share their id with another entry (tdlib's `invokeWith…Prefix` methods declare the
   * ids of the full wrappers). Each group of entries with one id may hold at most one entry not listed.
   */
  sharedIds?: readonly string[];
  /** Entries whose ids are known not to be the CRC-32 of their declaration: no warning for these. */
  underivedIds?: readonly string[];
  /** CRC mismatches are errors rather than warnings. */
  strict?: boolean;
}

/**
 * Throws TlSchemaError for the first id declared by two entries (pointing at the second) and, under
 * `strict`, for the first CRC mismatch. Returns the warnings, one `file:line:column: …` line per entry.
 */
export function checkSchema(schema: TlSchema, options: SchemaCheckOptions = {}): string[] {
  const shared = new Set(options.sharedIds);
  const underived = new Set(options.underivedIds);
  const ownerById = new Map<number, TlEntry>();
  const warnings: string[] = [];
  for (const entry of schema.entries) {
    if (entry.id === undefined) continue;
    const owner = ownerById.get(entry.id);
    if (owner && !shared.has(entry.name) && !shared.has(owner.name)) {
      const detail = `'${entry.name}' has the id ${hexId(entry.id)}, which '${owner.name}' at ${where(owner.source)} already has`;
      throw new TlSchemaError(entry.source, `${detail} (ids must be unique; list intended aliases as shared ids)`);
    }
    if (!owner || shared.has(owner.name)) ownerById.set(entry.id, entry);
    const derived = computedId(entry);
    if (derived === entry.id || underived.has(entry.name)) continue;
    const mismatch = new TlSchemaError(
      entry.source,
      `'${entry.name}' is declared with the id ${hexId(entry.id)}, but the CRC-32 of its declaration is ${hexId(derived)}`,
    );
    if (options.strict) throw mismatch;
    warnings.push(mismatch.message);
  }
  return warnings;
}
