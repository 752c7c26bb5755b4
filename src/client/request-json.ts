/**
 * A request object as JSON that describes itself: how a saved session records its pending requests. A TL
 * object holds only numbers, strings, booleans, bigints (`long`), byte arrays (`bytes`, `int128`,
 * `int256`), vectors and nested objects, so it can be written and rebuilt without the schema. Recording
 * the TL bytes instead would need the reader of every method to rebuild the object, and a client, which
 * only ever writes methods, carries none of them (see ARCHITECTURE, "Registry tables").
 *
 * A bigint is `{ "$long": "<decimal>" }`, bytes are `{ "$bytes": "<hex>" }` and a double that JSON cannot
 * hold (NaN, ±Infinity, -0) is `{ "$double": "NaN" }`: no TL field name starts with `$`.
 */
import { bytesToHex, hexToBytes } from '../base/hex.js';
import type { TlObject } from '../tl/define.js';
import { SavedSessionError } from './session-errors.js';

export type RequestJson = null | boolean | number | string | RequestJson[] | { [key: string]: RequestJson };

/** The JSON form of `value`; throws SavedSessionError naming the path of a value no TL object holds. */
export function requestToJson(value: unknown, path = 'request'): RequestJson {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // -0 too: JSON.stringify writes it as 0, and a TL double keeps its sign.
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { $double: Object.is(value, -0) ? '-0' : String(value) };
    case 'bigint':
      return { $long: value.toString() };
    case 'object':
      if (value === null) return null;
      if (value instanceof Uint8Array) return { $bytes: bytesToHex(value) };
      if (Array.isArray(value)) return value.map((item, i) => requestToJson(item, `${path}[${i}]`));
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .map(([key, v]) => [key, requestToJson(v, `${path}.${key}`)]),
      );
    default:
      throw new SavedSessionError(path, `a ${typeof value} is not a value of a TL object`);
  }
}

/** Rebuilds the request that `requestToJson` recorded; throws SavedSessionError naming the path of what does not fit. */
export function requestFromJson(json: unknown, path = 'request'): TlObject {
  const value = fromJson(json, path);
  if (typeof (value as Partial<TlObject> | null)?._ !== 'string') throw new SavedSessionError(path, 'not an object with a `_` name');
  return value as TlObject;
}

function fromJson(json: unknown, path: string): unknown {
  if (json === null || typeof json === 'string' || typeof json === 'boolean' || typeof json === 'number') return json;
  if (Array.isArray(json)) return json.map((item, i) => fromJson(item, `${path}[${i}]`));
  if (typeof json !== 'object') throw new SavedSessionError(path, `a ${typeof json} is not JSON`);
  const tagged = taggedValue(json as Record<string, unknown>, path);
  if (tagged !== NOT_TAGGED) return tagged;
  return Object.fromEntries(Object.entries(json).map(([key, v]) => [key, fromJson(v, `${path}.${key}`)]));
}

const NOT_TAGGED = Symbol('not tagged');

function taggedValue(json: Record<string, unknown>, path: string): unknown {
  const keys = Object.keys(json);
  if (keys.length !== 1 || !keys[0]!.startsWith('$')) return NOT_TAGGED;
  const [tag, text] = [keys[0]!, json[keys[0]!]];
  if (typeof text !== 'string') throw new SavedSessionError(path, `${tag} holds a ${typeof text}, not a string`);
  if (tag === '$long' && /^-?\d+$/.test(text)) return BigInt(text);
  if (tag === '$bytes' && /^(?:[0-9a-f]{2})*$/i.test(text)) return hexToBytes(text);
  if (tag === '$double' && ['NaN', 'Infinity', '-Infinity', '-0'].includes(text)) return Number(text);
  throw new SavedSessionError(path, `${tag} ${JSON.stringify(text.slice(0, 40))} is not a value it can hold`);
}
