import type { TlEntry } from '../schema/ast.js';
import { parseSchema } from '../schema/parser.js';
import { SchemaModel, type ResolvedType } from '../schema/model.js';
import { camelCase } from '../schema/naming.js';
import { SCHEMA_TL } from '../generated/api/schema.js';
import { encodeFailure, TlEncodeError } from '../tl/errors.js';
import type { TlObject } from '../tl/define.js';

/**
 * The JSON shape of TL objects, as in ../shared/bench/payloads/*.json and the CLI: generated objects
 * with `long` as a decimal string and `bytes`/`int128`/`int256` as lower-case hex.
 */
export type TlJson = null | boolean | number | string | TlJson[] | { [key: string]: TlJson };

/** Turns an object into its JSON shape. Needs no schema: bigints and byte arrays are told by their JS type. */
export function objectToJson(value: unknown): TlJson {
  try {
    return toJson(value);
  } catch (error) {
    throw encodeFailure(error, value);
  }
}

function toJson(value: unknown): TlJson {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex');
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    const out: { [key: string]: TlJson } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value as TlJson;
}

/** Builds a typed object from its JSON shape, using the schema to tell a `long` string from a `string`. */
export function objectFromJson(json: unknown): TlObject {
  try {
    return fromJson(jsonSchema(), json, undefined, '') as TlObject;
  } catch (error) {
    throw encodeFailure(error, json);
  }
}

interface JsonSchema {
  model: SchemaModel;
  entries: Map<string, TlEntry>;
}

let cached: JsonSchema | undefined;
function jsonSchema(): JsonSchema {
  if (!cached) {
    const model = new SchemaModel(parseSchema(SCHEMA_TL, 'generated schema'));
    cached = { model, entries: new Map([...model.constructors, ...model.methods].map((e) => [e.name, e])) };
  }
  return cached;
}

function fromJson(s: JsonSchema, json: unknown, bare: TlEntry | undefined, path: string): unknown {
  const name = (json as { _?: unknown } | null)?._;
  const entry = typeof name === 'string' ? s.entries.get(name) : bare;
  if (!entry || typeof json !== 'object') throw new TlEncodeError('an object with a known `_`', json, path);
  const out: Record<string, unknown> = { _: entry.name };
  for (const p of entry.params) {
    if (p.type.kind === 'flags') continue;
    const prop = camelCase(p.name);
    const v = (json as Record<string, unknown>)[prop];
    if (v === undefined && p.type.kind === 'conditional') continue;
    out[prop] = convert(s, s.model.resolve(p.type.type, entry), v, `${path}${path ? '.' : ''}${prop}`);
  }
  return out;
}

function convert(s: JsonSchema, t: ResolvedType, v: unknown, path: string): unknown {
  switch (t.kind) {
    case 'long':
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
      if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
      throw new TlEncodeError('long as a decimal string', v, path);
    case 'bytes':
    case 'int128':
    case 'int256':
      if (typeof v === 'string' && /^([0-9a-fA-F]{2})*$/.test(v)) return new Uint8Array(Buffer.from(v, 'hex'));
      throw new TlEncodeError(`${t.kind} as hex`, v, path);
    case 'vector':
      if (!Array.isArray(v)) throw new TlEncodeError('array', v, path);
      return v.map((x, i) => convert(s, t.element, x, `${path}[${i}]`));
    case 'union':
    case 'object':
    case 'generic':
      return fromJson(s, v, undefined, path);
    case 'bare':
      return fromJson(s, v, t.ctor, path);
    default:
      return v;
  }
}
