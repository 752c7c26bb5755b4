import type { TlEntry } from '../schema/ast.js';
import { CodegenError, type SchemaModel, namespaceOf } from '../schema/model.js';
import { idHex, idWireBytes, typeIdent } from '../schema/naming.js';
import { printEntry } from '../schema/printer.js';
import { entryExport, entryIdent, entryTypeRef, fieldsOf, fn, longProps, propKey, tsType, unionTypeRef } from './emit-types.js';

/**
 * Emits `types/<namespace>.ts` files: per constructor and method an interface and a value of the same
 * name; per boxed type a union and a guard. The root module re-exports each namespace (`Api.phone`)
 * and holds the method → result map that makes `invoke` typed. The values are defined in the codec
 * module, beside the functions they call (see `emitEntryValue`); a namespace module re-exports them
 * under the names of their interfaces.
 */
export function emitApiModules(model: SchemaModel, runtime: string): Map<string, string> {
  const files = new Map<string, string>();
  const namespaces = model.namespaces();
  for (const ns of namespaces) files.set(`types/${ns || 'index'}.ts`, emitNamespace(model, ns, namespaces, runtime));
  return files;
}

const ROOT_EXTRAS = ['MethodResults', 'ResultOf', 'AnyMethod', 'GenericMethodName', 'TypesByName'];

function emitNamespace(model: SchemaModel, ns: string, namespaces: string[], runtime: string): string {
  const ctors = model.constructors.filter((c) => c.namespace === ns);
  const methods = model.methods.filter((m) => m.namespace === ns);
  const types = [...model.types].filter(([type]) => namespaceOf(type) === ns);
  const body: string[] = [];
  for (const e of [...ctors, ...methods]) body.push(emitEntry(model, e));
  for (const [type, list] of types) body.push(emitUnion(type, list));
  const subNamespaces = ns === '' ? namespaces.filter((n) => n !== '') : [];
  if (ns === '') body.push(emitRootExtras(model));
  checkUniqueNames(ns, [
    ...ctors.map(entryIdent),
    ...methods.map(entryIdent),
    ...types.flatMap(([t]) => [typeIdent(t), 'is' + typeIdent(t)]),
    ...subNamespaces,
    ...(ns === '' ? ROOT_EXTRAS : []),
  ]);

  const code = body.join('\n');
  const values = [...ctors, ...methods].map((e) => `${entryExport(e)} as ${entryIdent(e)}`);
  const header = [
    ...(/\bTlObject\b/.test(code) ? [`import type { TlObject } from '${runtime}';`] : []),
    ...(/\bApi\./.test(code) ? [`import type * as Api from './index.js';`] : []),
    // A re-export, not a local const: each local binding of ~2500 would cost every importer heap.
    ...(values.length ? [`export { ${values.join(', ')} } from '../codec.js';`] : []),
    ...subNamespaces.map((n) => `export * as ${n} from './${n}.js';`),
    '',
  ];
  return [...header, code].join('\n');
}

function emitEntry(model: SchemaModel, e: TlEntry): string {
  const ident = entryIdent(e);
  const generics = e.generics.length ? `<${e.generics.map((g) => `${g.name} extends TlObject = TlObject`).join(', ')}>` : '';
  const props = [`_: '${e.name}';`];
  for (const f of fieldsOf(model, e)) {
    if (!f.type) continue;
    // `| undefined` on optional fields: decoders return an absent field as a key whose value is undefined,
    // which exactOptionalPropertyTypes would otherwise not allow.
    const type = tsType(f.type);
    props.push(f.condition === undefined ? `${propKey(f.prop)}: ${type};` : `${propKey(f.prop)}?: ${type} | undefined;`);
  }
  const iface = [`export interface ${ident}${generics} {`, ...props.map((p) => '  ' + p), '}'];
  return [docComment(e), ...iface, ''].join('\n');
}

/**
 * The declared type of an entry's value. An entry with type parameters (`invokeWithLayer {X:Type}
 * query:!X`) gets generic call signatures first, so that `new Api.invokeWithLayer({ layer, query })` is an
 * `Api.invokeWithLayer<typeof query>` and `invoke` sees through it to the query's result type.
 */
function valueType(model: SchemaModel, e: TlEntry): string {
  const type = entryTypeRef(e);
  if (!e.generics.length) return `TlEntryValue<${type}>`;
  const names = e.generics.map((g) => g.name);
  const typeParams = `<${names.map((n) => `${n} extends TlObject`).join(', ')}>`;
  const genericFields = fieldsOf(model, e).flatMap((f) => (f.type?.kind === 'generic' ? [`${propKey(f.prop)}: ${f.type.name}`] : []));
  const params = `ParamsOf<${type}> & { ${genericFields.join('; ')} }`;
  const built = `${type}<${names.join(', ')}>`;
  return `{ new ${typeParams}(params: ${params}): ${built}; ${typeParams}(params: ${params}): ${built} } & TlEntryValue<${type}>`;
}

/**
 * The codec module's definition of an entry's value, exported as `entryExport(e)`. `longs` lists the
 * fields that the value's constructor turns from numbers into bigints.
 */
export function emitEntryValue(model: SchemaModel, e: TlEntry): string {
  const type = entryTypeRef(e);
  const longs = longProps(fieldsOf(model, e));
  const declared = valueType(model, e);
  // A generic value's call signatures are narrower than what define* returns: the cast states them.
  const cast = e.generics.length ? ` as ${declared}` : '';
  const head = `export const ${entryExport(e)}: ${declared} = /*#__PURE__*/`;
  const close = longs.length ? `, ${JSON.stringify(longs)})${cast};` : `)${cast};`;
  if (e.kind === 'method') {
    return `${head} defineMethod<${type}>('${e.name}', 0x${idHex(e.id!)}, ${fn.writeMethod(e.name)}, ${fn.readMethod(e.name)}${close}`;
  }
  // A constructor without an id (used only bare) still gets a value, whose boxed forms throw.
  const id = e.id === undefined ? 'undefined' : `0x${idHex(e.id)}`;
  return `${head} defineConstructor<${type}>('${e.name}', ${id}, ${fn.writeCtor(e.name)}, ${fn.readCtor(e.name)}${close}`;
}

/** The declaration as written in the schema and how the object starts on the wire. */
function docComment(e: TlEntry): string {
  const wire = e.id === undefined ? 'bare only: no constructor id' : `on the wire: \`${idWireBytes(e.id)}\` then the fields`;
  return [
    '/**',
    ` * \`${printEntry(e).replace(/\*\//g, '*\\/')}\``,
    ' *',
    ` * ${e.kind === 'method' ? 'Method' : 'Constructor'}; ${wire}.`,
    ' */',
  ].join('\n');
}

function emitUnion(type: string, ctors: TlEntry[]): string {
  const ident = typeIdent(type);
  const members = ctors.map(entryTypeRef).join(' | ');
  const cases = ctors.map((c) => `    case '${c.name}':`).join('\n');
  return [
    `/** Boxed type \`${type}\`: ${ctors.map((c) => c.name).join(', ')}. */`,
    `export type ${ident} = ${members};`,
    `export function is${ident}(value: unknown): value is ${ident} {`,
    `  switch ((value as TlObject | null | undefined)?._) {`,
    cases,
    `      return true;`,
    `    default:`,
    `      return false;`,
    `  }`,
    `}`,
    '',
  ].join('\n');
}

function emitRootExtras(model: SchemaModel): string {
  const plain = model.methods.filter((m) => model.resolve(m.result, m).kind !== 'generic');
  const generic = model.methods.filter((m) => model.resolve(m.result, m).kind === 'generic');
  const results = plain.map((m) => `  '${m.name}': ${tsType(model.resolve(m.result, m))};`);
  const all = model.methods.map(entryTypeRef);
  // A boxed type named like an entry is left out: by name, the runtime finds the entry first. `Object`
  // always means any object (the service schema's constructors of type Object are among them).
  const entryNames = new Set([...model.constructors, ...model.methods].map((e) => e.name).concat('Object'));
  const byName = [
    ...[...model.constructors, ...model.methods].map((e) => `  '${e.name}': ${entryTypeRef(e)};`),
    ...[...model.types.keys()].filter((t) => !entryNames.has(t)).map((t) => `  '${t}': ${unionTypeRef(t)};`),
    '  Object: TlObject;',
  ];
  return [
    '/**',
    ' * The type of every constructor, method and boxed type by its TL name: what `arbitraryFor(name)` of',
    " * `mtwire/testing` gives (`'inputUser'` → `InputUser`, `'InputUser'` → `TypeInputUser`, `Object` → any object).",
    ' */',
    'export interface TypesByName {',
    ...byName,
    '}',
    '',
    '/** The result type of every method whose result does not depend on a wrapped query. */',
    'export interface MethodResults {',
    ...results,
    '}',
    '',
    '/** Methods that wrap another query (`query:!X`) and return its result. */',
    `export type GenericMethodName = ${generic.length ? generic.map((m) => `'${m.name}'`).join(' | ') : 'never'};`,
    '',
    '/** Any method object of this schema. */',
    `export type AnyMethod = ${all.length ? all.join(' | ') : 'never'};`,
    '',
    '/** The result type of a method object, looking through wrappers such as invokeWithLayer. */',
    'export type ResultOf<M extends TlObject> = M extends { _: GenericMethodName; query: infer Q extends TlObject }',
    '  ? ResultOf<Q>',
    "  : M['_'] extends keyof MethodResults",
    "    ? MethodResults[M['_']]",
    '    : unknown;',
    '',
  ].join('\n');
}

function checkUniqueNames(ns: string, names: string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new CodegenError(`two generated names ${ns ? ns + '.' : ''}${n} collide`);
    if (RESERVED.has(n)) throw new CodegenError(`generated name ${ns ? ns + '.' : ''}${n} is a reserved word`);
    seen.add(n);
  }
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(
    ' ',
  ),
);
