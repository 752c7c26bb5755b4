/**
 * The constructor-id rule of TL: an id is the CRC-32 of the declaration in a normalized form. The generator
 * never uses this to produce ids (the schema text is authoritative and a handful of ids are not derived this
 * way); it exists to check that the parser read every declaration the way its authors meant it.
 */
import { crc32 } from '../base/crc32.js';
import type { TlEntry, TypeExpr } from './ast.js';

const utf8 = new TextEncoder();

/** `Vector<bytes>` stays as is: only a whole parameter or result type `bytes` is the alias of `string`. */
function normalizedType(type: TypeExpr, topLevel: boolean): string {
  const prefix = type.bang ? '!' : type.percent ? '%' : '';
  const name = topLevel && type.name === 'bytes' ? 'string' : type.name;
  return [prefix + name, ...type.args.map((arg) => normalizedType(arg, false))].join(' ');
}

/** `flags.N?true` flags carry no data, so they do not contribute to the id. */
function isTrueFlag(type: TypeExpr): boolean {
  return type.name === 'true' && !type.percent && !type.bang && type.args.length === 0;
}

/**
 * The text whose CRC-32 is the id: no `#id`, generics as `X:Type` without braces, no `flags.N?true`
 * params, a `bytes` type written as `string`, `Vector<T>` as `Vector T`, no `;`.
 * `invokeAfterMsg#cb9f372d {X:Type} msg_id:long query:!X = X;` → `invokeAfterMsg X:Type msg_id:long query:!X = X`.
 */
export function normalizedDeclaration(entry: TlEntry): string {
  const parts = [entry.name];
  for (const generic of entry.generics) parts.push(`${generic.name}:${generic.type}`);
  for (const param of entry.params) {
    const type = param.type;
    if (type.kind === 'flags') parts.push(`${param.name}:#`);
    else if (type.kind === 'type') parts.push(`${param.name}:${normalizedType(type.type, true)}`);
    else if (!isTrueFlag(type.type)) {
      parts.push(`${param.name}:${type.flag}.${type.bit}?${normalizedType(type.type, true)}`);
    }
  }
  parts.push('=', normalizedType(entry.result, true));
  return parts.join(' ');
}

/** The id the declaration would have if it follows the CRC rule (compare with `entry.id`). */
export function computedId(entry: TlEntry): number {
  return crc32(utf8.encode(normalizedDeclaration(entry)));
}
