/**
 * `mtwire encode` and `mtwire decode`: JSON ↔ hex for one boxed object, of mtwire's own schema or, with
 * `--schema`, of the user's.
 */
import { readFileSync } from 'node:fs';
import { hexId } from '../base/errors.js';
import { describeSchema } from '../codegen/emit-descriptor.js';
import { checkSchema } from '../schema/checks.js';
import { SchemaModel } from '../schema/model.js';
import { parseSchemaFiles } from '../schema/parser.js';
import { TlDescriptor } from '../tl/descriptor.js';
import { TlDecodeError } from '../tl/errors.js';
import { objectFromJsonWith, objectToJson } from '../tl/json.js';
import { DESCRIPTOR, decodeObject, encodeObject } from '../api/index.js';
import type { TlObject } from '../tl/define.js';
import { ANY_ENTRY, DescriptorCodec } from '../tl/descriptor-codec.js';
import { apiLayer, NEWEST_LAYER, OLDEST_LAYER } from '../layers/store.js';
import { parseArgs, UsageError, type ParsedArgs } from './args.js';

/** What a command prints: its result on stdout, and warnings that do not change the exit code on stderr. */
export interface CommandOutput {
  stdout: string;
  warnings: string[];
}

/** Bad input data (exit code 1): the message is printed as it is. */
export class InputError extends Error {}

export type ReadStdin = () => string;

/** mtwire's own schema, or the user's read at run time. */
interface SchemaCodec {
  descriptor: TlDescriptor;
  encode(value: TlObject): Uint8Array;
  decode(bytes: Uint8Array): TlObject;
  warnings: string[];
}

const CODEC_OPTIONS = { values: ['--file', '--layer'], lists: ['--schema', '--allow-shared-id'], flags: ['--pretty'] } as const;

export function runEncode(args: readonly string[], readStdin: ReadStdin): CommandOutput {
  const parsed = parseArgs('encode', args, CODEC_OPTIONS);
  if (parsed.positional.length > 1) throw new UsageError('encode takes one JSON argument (quote it), a --file or stdin');
  const text = readInput('encode', parsed.positional, parsed.values.get('--file'), readStdin).trim();
  if (!text) throw new InputError(`encode got no input: ${INPUT_HINT}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`encode input is not JSON: ${(err as Error).message}`);
  }
  const codec = loadCodec(parsed);
  const bytes = codec.encode(objectFromJsonWith(codec.descriptor, json));
  return { stdout: Buffer.from(bytes).toString('hex'), warnings: codec.warnings };
}

export function runDecode(args: readonly string[], readStdin: ReadStdin): CommandOutput {
  const parsed = parseArgs('decode', args, CODEC_OPTIONS);
  // Hex may come split over several arguments (`mtwire decode 15c4b51c 00000000`).
  const hex = readInput('decode', parsed.positional, parsed.values.get('--file'), readStdin).replace(/\s+/g, '');
  if (!hex) throw new InputError(`decode got no input: ${INPUT_HINT}`);
  const bad = /[^0-9a-fA-F]/.exec(hex);
  if (bad) throw new InputError(`decode input is not hex: '${bad[0]}' at character ${bad.index + 1}`);
  if (hex.length % 2) throw new InputError(`decode input has an odd number of hex digits (${hex.length}); a byte is two`);
  const codec = loadCodec(parsed);
  let value: TlObject;
  try {
    value = codec.decode(new Uint8Array(Buffer.from(hex, 'hex')));
  } catch (err) {
    throw plainDecodeError(err);
  }
  const json = objectToJson(value);
  return { stdout: JSON.stringify(json, null, parsed.flags.has('--pretty') ? 2 : undefined), warnings: codec.warnings };
}

const INPUT_HINT = 'give it as an argument, with --file <path>, or on stdin';

/** The one argument, `-` or nothing for stdin, or the file named by --file. */
function readInput(command: string, positional: string[], file: string | undefined, readStdin: ReadStdin): string {
  if (file !== undefined) {
    if (positional.length) throw new UsageError(`${command} takes its input either as an argument or with --file, not both`);
    return readText(file);
  }
  if (!positional.length || (positional.length === 1 && positional[0] === '-')) return readStdin();
  return positional.join(' ');
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** An id no entry has is the common case (a wrong schema or a wrong offset), so it gets its own words. */
function plainDecodeError(err: unknown): unknown {
  if (!(err instanceof TlDecodeError) || err.problem !== 'unknown-constructor' || err.constructorId === undefined) return err;
  const id = hexId(err.constructorId);
  const where = `at byte offset ${err.offset}`;
  return err.expected === ANY_ENTRY
    ? new InputError(`unknown constructor ${id} ${where}: no constructor or method of the schema has this id`)
    : new InputError(`unknown constructor ${id} ${where}: not a constructor of type ${err.expected}`);
}

/** mtwire's schema, the user's (`--schema`), or a stored API layer (`--layer`). */
function loadCodec(parsed: ParsedArgs): SchemaCodec {
  const schemaFiles = parsed.lists.get('--schema');
  const layerText = parsed.values.get('--layer');
  if (layerText !== undefined) {
    if (schemaFiles) throw new UsageError('--layer and --schema both name a schema: give one');
    return layerCodec(layerText);
  }
  if (!schemaFiles) {
    const decode = (bytes: Uint8Array) => decodeObject(bytes);
    return { descriptor: DESCRIPTOR, encode: encodeObject, decode, warnings: [] };
  }
  const schema = parseSchemaFiles(schemaFiles.map((file) => ({ file, text: readText(file) })));
  const warnings = checkSchema(schema, { sharedIds: parsed.lists.get('--allow-shared-id') });
  const descriptor = new TlDescriptor(describeSchema(new SchemaModel(schema)));
  const codec = new DescriptorCodec(descriptor);
  return { descriptor, encode: (v) => codec.encode(v), decode: (b) => codec.decode(b), warnings };
}

/** The API schema of a stored layer; one tdlib never shipped is read as the nearest lower one, with a warning. */
function layerCodec(text: string): SchemaCodec {
  const layer = Number(text);
  if (!/^\d+$/.test(text)) throw new UsageError(`--layer must be a whole number, got ${text}`);
  if (layer < OLDEST_LAYER || layer > NEWEST_LAYER)
    throw new UsageError(`--layer must be from ${OLDEST_LAYER} to ${NEWEST_LAYER}, got ${layer}`);
  const api = apiLayer(layer);
  const warnings = api.layer === layer ? [] : [`layer ${layer} was never shipped; using layer ${api.layer}, the nearest lower one`];
  return { descriptor: api.descriptor, encode: (v) => api.codec.encode(v), decode: (b) => api.codec.decode(b), warnings };
}
