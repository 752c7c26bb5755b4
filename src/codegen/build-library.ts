import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSchemaFiles } from '../schema/parser.js';
import { generate, writeGeneratedFiles, type GeneratedFiles } from './generate.js';
import type { TlSchema } from '../schema/ast.js';

/** The schema files of mtwire's own generated API, in the order they are merged. */
export const LIBRARY_SCHEMA_FILES = ['schema/mtproto.tl', 'schema/service.tl', 'schema/api.tl'];
/** tdlib's api.tl has no `// LAYER` line; schema/SOURCE.md records where 228 comes from. */
export const LIBRARY_LAYER = 228;
export const LIBRARY_OUT_DIR = 'src/generated/api';

const SERVICE_SCHEMA_FILES = new Set(['schema/mtproto.tl', 'schema/service.tl']);
/**
 * The service schema declares `string` for everything length-prefixed, but apart from these fields
 * its strings carry binary data (big-endian numbers, ciphertext, gzip streams, one status byte per id).
 * `string` and `bytes` have the same wire form and the same constructor ids, so generating those
 * fields as `bytes` only changes their TypeScript type: Uint8Array, never a mangled UTF-8 decode.
 */
const SERVICE_TEXT_FIELDS = new Set(['rpc_error.error_message', 'accessPointRule.phone_prefix_rules']);

export function withBinaryServiceStrings(schema: TlSchema): TlSchema {
  const entries = schema.entries.map((e) => {
    if (!SERVICE_SCHEMA_FILES.has(e.source.file)) return e;
    const params = e.params.map((p) =>
      p.type.kind !== 'flags' && p.type.type.name === 'string' && !SERVICE_TEXT_FIELDS.has(`${e.name}.${p.name}`)
        ? { ...p, type: { ...p.type, type: { ...p.type.type, name: 'bytes' } } }
        : p,
    );
    return { ...e, params };
  });
  return { ...schema, entries };
}

/** Generates mtwire's layer-228 API from the repository's schema folder, in memory. */
export function generateLibrary(root: string): GeneratedFiles {
  const files = LIBRARY_SCHEMA_FILES.map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
  const schema = withBinaryServiceStrings(parseSchemaFiles(files));
  return generate(schema, { runtime: '../../tl/runtime.js', layer: LIBRARY_LAYER, sources: LIBRARY_SCHEMA_FILES });
}

/** What `npm run build` runs first: regenerate src/generated/api from schema/. */
export function buildLibrary(root: string): void {
  writeGeneratedFiles(join(root, LIBRARY_OUT_DIR), generateLibrary(root).files);
}
