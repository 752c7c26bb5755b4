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

/**
 * The MTProto layer's module set: the handshake and the service messages without the layer-228 API, so
 * that the session state machines (and their bundle) stay small.
 */
export const SERVICE_SCHEMA_FILES = ['schema/mtproto.tl', 'schema/service.tl'];
export const SERVICE_OUT_DIR = 'src/generated/service';

/** Both module sets import the runtime from src/tl, two folders up from their own. */
const RUNTIME = '../../tl/runtime.js';

/**
 * The service schema declares `string` for everything length-prefixed, but apart from these fields
 * its strings carry binary data (big-endian numbers, ciphertext, gzip streams, one status byte per id).
 * `string` and `bytes` have the same wire form and the same constructor ids, so generating those
 * fields as `bytes` only changes their TypeScript type: Uint8Array, never a mangled UTF-8 decode.
 */
const SERVICE_TEXT_FIELDS = new Set(['rpc_error.error_message', 'accessPointRule.phone_prefix_rules']);

export function withBinaryServiceStrings(schema: TlSchema): TlSchema {
  const entries = schema.entries.map((e) => {
    if (!SERVICE_SCHEMA_FILES.includes(e.source.file)) return e;
    const params = e.params.map((p) =>
      p.type.kind !== 'flags' && p.type.type.name === 'string' && !SERVICE_TEXT_FIELDS.has(`${e.name}.${p.name}`)
        ? { ...p, type: { ...p.type, type: { ...p.type.type, name: 'bytes' } } }
        : p,
    );
    return { ...e, params };
  });
  return { ...schema, entries };
}

/**
 * The known exceptions to the id checks in mtwire's own schema. tdlib's `invokeWith…Prefix` methods declare
 * the ids of the full wrappers (by id, the full wrapper wins: codegen/emit-registry.ts). The ids of the
 * others are not the CRC-32 of their declarations as written; the declared id is the one on the wire.
 */
const PREFIX_METHODS = [
  'invokeWithBusinessConnectionPrefix',
  'invokeWithGooglePlayIntegrityPrefix',
  'invokeWithApnsSecretPrefix',
  'invokeWithReCaptchaPrefix',
];
export const LIBRARY_ID_EXCEPTIONS = {
  sharedIds: PREFIX_METHODS,
  underivedIds: [
    ...PREFIX_METHODS,
    'ipPortSecret',
    'accessPointRule',
    'help.configSimple',
    'inputPeerPhotoFileLocationLegacy',
    'inputStickerSetThumbLegacy',
    // service.tl names the bare envelope `mt_message` (api.tl has its own `message`); with the original
    // name `message` these two derive.
    'msg_container',
    'msg_copy',
  ],
};

/** One of mtwire's module sets from the repository's schema folder, in memory. */
function generateFromSchema(root: string, schemaFiles: string[], layer?: number): GeneratedFiles {
  const files = schemaFiles.map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
  const schema = withBinaryServiceStrings(parseSchemaFiles(files));
  // Strict: a CRC mismatch not listed above, or an entry with an unknown type, fails the build.
  return generate(schema, { runtime: RUNTIME, layer, sources: schemaFiles, strict: true, ...LIBRARY_ID_EXCEPTIONS });
}

/** Generates mtwire's layer-228 API from the repository's schema folder, in memory. */
export function generateLibrary(root: string): GeneratedFiles {
  return generateFromSchema(root, LIBRARY_SCHEMA_FILES, LIBRARY_LAYER);
}

/** Generates the service module set (mtproto.tl + service.tl) that src/mtproto imports, in memory. */
export function generateService(root: string): GeneratedFiles {
  return generateFromSchema(root, SERVICE_SCHEMA_FILES);
}

/** What `npm run build` runs first: regenerate both module sets from schema/. Returns the folders written. */
export function buildLibrary(root: string): string[] {
  writeGeneratedFiles(join(root, LIBRARY_OUT_DIR), generateLibrary(root).files);
  writeGeneratedFiles(join(root, SERVICE_OUT_DIR), generateService(root).files);
  return [LIBRARY_OUT_DIR, SERVICE_OUT_DIR];
}
