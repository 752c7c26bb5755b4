/**
 * The JSON shape of TL objects, as in ../shared/bench/payloads/*.json and the CLI: generated objects
 * with `long` as a decimal string and `bytes`/`int128`/`int256` as lower-case hex. Schema-agnostic: the
 * way back from JSON reads the module set's descriptor to tell a `long` string from a `string`.
 */
import { bytesToHex, hexToBytes, isHex } from '../base/hex.js';
import type { TlObject } from './define.js';
import type { TlConstructorDescriptor, TlDescriptor, TlType } from './descriptor.js';
import { encodeFailure, TlEncodeError } from './errors.js';

/** The writer accepts unsigned longs too, keeping their bits. */
const LONG_MIN = -(2n ** 63n);
const ULONG_MAX = 2n ** 64n - 1n;

export type TlJson = null | boolean | number | string | TlJson[] | { [key: string]: TlJson };

/** Turns an object into its JSON shape. Needs no descriptor: bigints and byte arrays are told by their JS type. */
export function objectToJson(value: unknown): TlJson {
  try {
    return toJson(value);
  } catch (error) {
    throw encodeFailure(error, value);
  }
}

function toJson(value: unknown): TlJson {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    const out: { [key: string]: TlJson } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value as TlJson;
}

/**
 * Builds a typed object of the module set that `descriptor` describes from its JSON shape. Throws
 * TlEncodeError naming the path of the first field that does not fit (`protocol.libraryVersions[0]`).
 */
export function objectFromJsonWith(descriptor: TlDescriptor, json: unknown): TlObject {
  try {
    return fromJson(descriptor, json, undefined, '') as TlObject;
  } catch (error) {
    throw encodeFailure(error, json);
  }
}

/** An object named by its `_`, or, for a bare field, of the constructor `bare`. */
function fromJson(d: TlDescriptor, json: unknown, bare: TlConstructorDescriptor | undefined, path: string): unknown {
  const name = (json as { _?: unknown } | null)?._;
  const entry = typeof name === 'string' ? d.entry(name) : bare;
  if (typeof name === 'string' && !entry) throw new TlEncodeError('`_` to name a constructor or method of the schema', name, path);
  if (!entry || typeof json !== 'object') throw new TlEncodeError('an object with a known `_`', json, path);
  const out: Record<string, unknown> = { _: entry.name };
  for (const f of entry.fields) {
    if (f.kind === 'flags') continue;
    const v = (json as Record<string, unknown>)[f.prop];
    if (v === undefined && f.condition) continue;
    out[f.prop] = convert(d, f.type, v, `${path}${path ? '.' : ''}${f.prop}`);
  }
  return out;
}

function convert(d: TlDescriptor, t: TlType, v: unknown, path: string): unknown {
  switch (t.kind) {
    case 'long': {
      const long =
        typeof v === 'string' && /^-?\d+$/.test(v) ? BigInt(v) : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : undefined;
      if (long === undefined) throw new TlEncodeError('long as a decimal string', v, path);
      // Checked here, where the field is known: the writer's own check cannot name it.
      if (long < LONG_MIN || long > ULONG_MAX) throw new TlEncodeError('long from -2^63 to 2^64-1', v, path);
      return long;
    }
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0xffffffff) return v;
      throw new TlEncodeError('int from -2^31 to 2^32-1', v, path);
    case 'bytes':
    case 'int128':
    case 'int256':
      if (typeof v === 'string' && isHex(v)) return hexToBytes(v);
      throw new TlEncodeError(`${t.kind} as hex`, v, path);
    case 'vector':
      if (!Array.isArray(v)) throw new TlEncodeError('array', v, path);
      return v.map((x, i) => convert(d, t.element, x, `${path}[${i}]`));
    case 'union':
    case 'object':
    case 'generic':
      return fromJson(d, v, undefined, path);
    case 'bare':
      return fromJson(d, v, t.ctor, path);
    default:
      return v;
  }
}
