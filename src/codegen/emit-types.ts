import type { TlEntry, TlParam } from '../schema/ast.js';
import type { ResolvedType, SchemaModel } from '../schema/model.js';
import { camelCase, constructorIdent, mangle, methodIdent, qualified, typeIdent } from '../schema/naming.js';

/**
 * The pieces of generated code that both the codec and the API emitters need: TS types of fields and
 * the names of generated functions.
 */

/**
 * `wc_`/`rc_` write/read a constructor's fields, `wm_`/`rm_` a method's, `wt_`/`rt_` a boxed type, and
 * `rr_`/`wr_` a method result that is not a boxed type, one function per such type (`resultKey`).
 */
export const fn = {
  writeCtor: (name: string) => `wc_${mangle(name)}`,
  readCtor: (name: string) => `rc_${mangle(name)}`,
  writeMethod: (name: string) => `wm_${mangle(name)}`,
  readMethod: (name: string) => `rm_${mangle(name)}`,
  readResult: (key: string) => `rr_${key}`,
  writeResult: (key: string) => `wr_${key}`,
  writeType: (name: string) => `wt_${mangle(name)}`,
  readType: (name: string) => `rt_${mangle(name)}`,
};

/** The codec module's export of an entry value: `phone$requestCall`, `InputUser`. */
export function entryExport(e: TlEntry): string {
  return mangle(qualified(e.name, entryIdent(e)));
}

/**
 * Names a result type for its shared reader and writer: `Bool`, `Vector$long`, `Vector$t_User`. Methods
 * with the same result share them (217 methods of layer 228 return `Bool`); `!X` results are `query`.
 */
export function resultKey(t: ResolvedType): string {
  switch (t.kind) {
    case 'vector':
      return `${t.boxed ? 'Vector' : 'vector'}$${resultKey(t.element)}`;
    case 'union':
      return `t_${mangle(t.type)}`;
    case 'bare':
      return `b_${mangle(t.ctor.name)}`;
    case 'object':
      return 'Object';
    case 'generic':
      return 'query';
    default:
      return t.kind;
  }
}

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

/** Calls `visit` on `t` and, for vectors, on their elements. */
function eachPart(t: ResolvedType, visit: (part: ResolvedType) => void): void {
  visit(t);
  if (t.kind === 'vector') eachPart(t.element, visit);
}

/** The method results that are not a boxed type, one per `resultKey`, in schema order. */
export function sharedResults(model: SchemaModel): Map<string, ResolvedType> {
  const results = new Map<string, ResolvedType>();
  for (const m of model.methods) {
    const t = model.resolve(m.result, m);
    if (t.kind !== 'union') results.set(resultKey(t), t);
  }
  return results;
}

/**
 * The boxed types whose reader and writer some generated code calls: those of fields and method results.
 * A type that is neither (`MsgsAck`, `RpcResult`, `P_Q_inner_data`: read by id through the registry or
 * through its constructor's value) needs no reader or writer of its own.
 */
export function referencedTypes(model: SchemaModel): Set<string> {
  const used = new Set<string>();
  const note = (t: ResolvedType) => eachPart(t, (part) => part.kind === 'union' && used.add(part.type));
  for (const e of [...model.constructors, ...model.methods]) for (const f of fieldsOf(model, e)) if (f.type) note(f.type);
  for (const m of model.methods) note(model.resolve(m.result, m));
  return used;
}

/** The codec functions that result-writers.ts calls: the writers of the boxed types and bare constructors that results are made of. */
export function resultWriterImports(model: SchemaModel): Set<string> {
  const names = new Set<string>();
  for (const m of model.methods) {
    eachPart(model.resolve(m.result, m), (part) => {
      if (part.kind === 'union') names.add(fn.writeType(part.type));
      if (part.kind === 'bare') names.add(fn.writeCtor(part.ctor.name));
    });
  }
  return names;
}
