/**
 * The `mtwire` command: generate a typed module from .tl files, and encode/decode TL objects of
 * mtwire's own schema (layer 228 + MTProto service types) as hex ↔ JSON.
 */
import { readFileSync } from 'node:fs';
import { parseSchemaFiles } from '../schema/parser.js';
import { generate, writeGeneratedFiles } from '../codegen/generate.js';
import { MtwireError } from '../base/errors.js';
import { decodeObject, encodeObject, objectFromJson, objectToJson } from '../api/index.js';

const HELP = `mtwire — TL code generator and codec

Usage:
  mtwire gen <file.tl>... --out <dir> [--runtime <module>] [--layer <n>]
      Generate a typed TypeScript module (api/, codec.ts, registry.ts, descriptor.ts, schema.ts,
      index.ts) from one or more TL schema files. Generated code imports the runtime from
      'mtwire/tl' unless --runtime names another module.
  mtwire encode '<json>'
      Serialize one object of mtwire's schema and print it as hex. JSON shape: {"_": "name",
      camelCaseField: ...}, long as a decimal string, bytes/int128/int256 as hex.
  mtwire decode <hex>
      Deserialize one boxed object and print it as JSON (the same shape).
  mtwire --help

Exit codes: 0 ok, 2 bad input (a one-line message on stderr).`;

class UsageError extends Error {}

function takeOption(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(i, 2);
  return value;
}

function runGen(args: string[]): string {
  const out = takeOption(args, '--out');
  const runtime = takeOption(args, '--runtime');
  const layerText = takeOption(args, '--layer');
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  if (!out) throw new UsageError('gen needs --out <dir>');
  if (!args.length) throw new UsageError('gen needs at least one .tl file');
  const layer = layerText === undefined ? undefined : Number(layerText);
  if (layer !== undefined && !Number.isInteger(layer)) throw new UsageError(`--layer must be a whole number, got ${layerText}`);
  const files = args.map((file) => {
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch {
      throw new UsageError(`cannot read ${file}`);
    }
  });
  const result = generate(parseSchemaFiles(files), { runtime, layer, sources: args });
  writeGeneratedFiles(out, result.files);
  const skipped = result.skipped.map((s) => `\n  skipped ${s.name}: ${s.reason}`).join('');
  return `wrote ${result.files.size} files to ${out}${skipped}`;
}

function runEncode(args: string[]): string {
  if (args.length !== 1) throw new UsageError('encode takes one JSON argument');
  let json: unknown;
  try {
    json = JSON.parse(args[0]!);
  } catch (err) {
    throw new UsageError(`bad JSON: ${(err as Error).message}`);
  }
  return Buffer.from(encodeObject(objectFromJson(json))).toString('hex');
}

function runDecode(args: string[]): string {
  const hex = args.join('').replace(/\s+/g, '');
  if (!hex || !/^([0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError('decode takes an even-length hex string');
  return JSON.stringify(objectToJson(decodeObject(new Uint8Array(Buffer.from(hex, 'hex')))), null, 2);
}

export function runCli(argv: string[]): { code: number; stdout: string; stderr: string } {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'gen':
        return { code: 0, stdout: runGen(args), stderr: '' };
      case 'encode':
        return { code: 0, stdout: runEncode(args), stderr: '' };
      case 'decode':
        return { code: 0, stdout: runDecode(args), stderr: '' };
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        return {
          code: command === undefined ? 2 : 0,
          stdout: command === undefined ? '' : HELP,
          stderr: command === undefined ? HELP : '',
        };
      default:
        throw new UsageError(`unknown command ${command} (try --help)`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof MtwireError) {
      return { code: 2, stdout: '', stderr: `mtwire: ${err.message.split('\n')[0]}` };
    }
    throw err;
  }
}
