/** Schemas for tests, read and parsed with the generator's front half (nothing at run time parses TL text). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TlSchema } from '../src/schema/ast.js';
import { SchemaModel } from '../src/schema/model.js';
import { parseSchema, parseSchemaFiles } from '../src/schema/parser.js';
import { LIBRARY_SCHEMA_FILES, withBinaryServiceStrings } from '../src/codegen/build-library.js';
import { describeSchema } from '../src/codegen/emit-descriptor.js';
import { TlDescriptor } from '../src/tl/descriptor.js';

/** mtwire's own schema as the generator reads it (schema/*.tl, service strings as bytes), parsed anew. */
export function librarySchema(): TlSchema {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const files = LIBRARY_SCHEMA_FILES.map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
  return withBinaryServiceStrings(parseSchemaFiles(files));
}

/** The descriptor that a module generated from `text` exports, without writing or importing the module. */
export function descriptorOf(text: string): TlDescriptor {
  return new TlDescriptor(describeSchema(new SchemaModel(parseSchema(text, 'test.tl'))));
}

/**
 * mtproto.tl's MTProxy fake-TLS templates, in schema order: declarations without constructor ids that never
 * travel as TL, so every module set generated from mtproto.tl leaves them out.
 */
export const MTPROXY_TLS_TEMPLATES = [
  'tlsClientHello',
  'tlsBlockScope',
  'tlsBlockPermutation',
  'tlsBlockString',
  'tlsBlockRandom',
  'tlsBlockZero',
  'tlsBlockDomain',
  'tlsBlockGrease',
  'tlsBlockPublicKey',
];
