import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSchemaFiles } from './parser.js';
import { generate, writeGeneratedFiles, type GeneratedFiles } from './generate.js';

/** The schema files of mtwire's own generated API, in the order they are merged. */
export const LIBRARY_SCHEMA_FILES = ['schema/mtproto.tl', 'schema/service.tl', 'schema/api.tl'];
/** tdlib's api.tl has no `// LAYER` line; schema/SOURCE.md records where 228 comes from. */
export const LIBRARY_LAYER = 228;
export const LIBRARY_OUT_DIR = 'src/generated';

/** Generates mtwire's layer-228 API from the repository's schema folder, in memory. */
export function generateLibrary(root: string): GeneratedFiles {
  const files = LIBRARY_SCHEMA_FILES.map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
  return generate(parseSchemaFiles(files), { runtime: '../tl/runtime.js', layer: LIBRARY_LAYER, sources: LIBRARY_SCHEMA_FILES });
}

/** What `npm run build` runs first: regenerate src/generated from schema/. */
export function buildLibrary(root: string): void {
  writeGeneratedFiles(join(root, LIBRARY_OUT_DIR), generateLibrary(root).files);
}
