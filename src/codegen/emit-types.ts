import type { TlEntry, TlParam } from '../schema/ast.js';
import type { ResolvedType, SchemaModel } from '../schema/model.js';
import { camelCase, constructorIdent, mangle, methodIdent, qualified, typeIdent } from '../schema/naming.js';

/**
 * The pieces of generated code that both the codec and the API emitters need: TS types of fields and
 * the names of generated functions.
 */

/** `wc_`/`rc_` write/read a constructor's fields, `wm_`/`rm_` a method's, `rr_`/`wr_` a method's result, `wt_`/`rt_` a boxed type. */
export const fn = {
  writeCtor: (name: string) => `wc_${mangle(name)}`,
  readCtor: (name: string) => `rc_${mangle(name)}`,
  writeMethod: (name: string) => `wm_${mangle(name)}`,
  readMethod: (name: string) => `rm_${mangle(name)}`,
  readResult: (name: string) => `rr_${mangle(name)}`,
  writeResult: (name: string) => `wr_${mangle(name)}`,
  writeType: (name: string) => `wt_${mangle(name)}`,
  readType: (name: string) => `rt_${mangle(name)}`,
};

export function entryIdent(e: TlEntry): string {
  return e.kind === 'method' ? methodIdent(e.name) : constructorIdent(e.name);
}

/** `Api.phone.PhoneCall`: how any module refers to an entry's interface. */
export function entryTypeRef(e: TlEntry): string {
  return `Api.${qualified(e.name, entryIdent(e))}`;
}

/** `Api.TypeInputUser`: how any module refers to a boxed type's union. */
export function unionTypeRef(type: string): string {
  return `Api.${qualified(type, typeIdent(type))}`;
}

export function tsType(t: ResolvedType): string {
  switch (t.kind) {
    case 'int':
    case 'double':
      return 'number';
    case 'long':
      return 'bigint';
    case 'string':
      return 'string';
    case 'bytes':
    case 'int128':
    case 'int256':
      return 'Uint8Array';
    case 'Bool':
    case 'true':
      return 'boolean';
    case 'vector': {
      const inner = tsType(t.element);
      return inner.includes(' ') ? `(${inner})[]` : `${inner}[]`;
    }
    case 'union':
      return unionTypeRef(t.type);
    case 'bare':
      return entryTypeRef(t.ctor);
    case 'object':
      return 'TlObject';
    case 'generic':
      return t.name;
  }
}

/** A field as the generated code sees it. */
export interface Field {
  param: TlParam;
  /** camelCase property name. */
  prop: string;
  /** Undefined for `flags` fields. */
  type: ResolvedType | undefined;
  /** For conditional fields: the flags field's local name and the bit mask. */
  condition: { flagsLocal: string; mask: number } | undefined;
}

export function flagsLocal(param: string): string {
  return `f_${param}`;
}

export function fieldsOf(model: SchemaModel, e: TlEntry): Field[] {
  return e.params.map((param) => {
    const t = param.type;
    if (t.kind === 'flags') return { param, prop: camelCase(param.name), type: undefined, condition: undefined };
    const type = model.resolve(t.type, e);
    const condition = t.kind === 'conditional' ? { flagsLocal: flagsLocal(t.flag), mask: 2 ** t.bit } : undefined;
    return { param, prop: camelCase(param.name), type, condition };
  });
}

/** A mask as a TS literal that is also a valid int32 (`1 << 31` is negative). */
export function maskLiteral(mask: number): string {
  return mask === 2 ** 31 ? '-0x80000000' : '0x' + mask.toString(16);
}

/** Names of `long` and `Vector<long>` fields, which constructors turn from numbers into bigints. */
export function longProps(fields: Field[]): string[] {
  return fields.filter((f) => f.type?.kind === 'long' || (f.type?.kind === 'vector' && f.type.element.kind === 'long')).map((f) => f.prop);
}

/** A property name usable in an object literal or a `.` access. */
export function propKey(prop: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(prop) ? prop : JSON.stringify(prop);
}
