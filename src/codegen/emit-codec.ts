import type { TlEntry } from '../schema/ast.js';
import type { ResolvedType, SchemaModel } from '../schema/model.js';
import { idHex } from '../schema/naming.js';
import { emitEntryValue } from './emit-api.js';
import { REGISTRY_RUNTIME, emitRegistryTables } from './emit-registry.js';
import {
  type Field,
  entryTypeRef,
  fieldsOf,
  fn,
  maskLiteral,
  propKey,
  referencedTypes,
  resultKey,
  resultWriterImports,
  sharedResults,
  tsType,
  unionTypeRef,
} from './emit-types.js';

/**
 * Emits `codec.ts`: one reader and one writer function per constructor, method and boxed type that
 * something calls, one reader per kind of method result, and the entry values that the namespace
 * modules name (`Api.InputUser`), and the registry's tables over them (see emit-registry). The functions
 * are plain top-level functions, so that a bundler keeps only those a program reaches, and module-private:
 * each export costs an importing program heap and link time, and only the entry values, the registry
 * functions and the writers that result-writers.ts calls are needed outside. Vectors are read and written with inline loops rather than through a generic helper, so that each
 * loop stays monomorphic.
 */
export function emitCodec(model: SchemaModel, runtime: string): string {
  const out: string[] = [];
  const bareUsed = bareConstructors(model);
  const exported = resultWriterImports(model);
  for (const c of model.constructors) {
    const write = fn.writeCtor(c.name);
    out.push(emitWriteBody(model, c, write, bareUsed.has(c.name), exported.has(write)));
    out.push(emitReadBody(model, c, fn.readCtor(c.name)));
  }
  for (const m of model.methods) {
    out.push(emitWriteBody(model, m, fn.writeMethod(m.name), false, false));
    out.push(emitReadBody(model, m, fn.readMethod(m.name)));
  }
  const used = referencedTypes(model);
  for (const [type, ctors] of model.types) {
    if (!used.has(type)) continue;
    out.push(emitUnionWriter(type, ctors, exported.has(fn.writeType(type))));
    out.push(emitUnionReader(type, ctors));
  }
  for (const t of sharedResults(model).values()) out.push(emitResultReader(model, t));
  out.push(emitReadResultOf(model));
  out.push(emitRegistryTables(model));
  out.push(...[...model.constructors, ...model.methods].map((e) => emitEntryValue(model, e)), '');
  const code = out.join('\n');
  const runtimeValues = ['TlEncodeError', 'defineConstructor', 'defineMethod', ...REGISTRY_RUNTIME];
  return [
    `import type { TlReader, TlWriter, TlObject, TlEntryValue${code.includes('ParamsOf<') ? ', ParamsOf' : ''} } from '${runtime}';`,
    `import { ${runtimeValues.join(', ')} } from '${runtime}';`,
    `import type * as Api from './types/index.js';`,
    '',
    code,
  ].join('\n');
}

function bareConstructors(model: SchemaModel): Set<string> {
  const used = new Set<string>();
  const visit = (t: ResolvedType): void => {
    if (t.kind === 'bare') used.add(t.ctor.name);
    if (t.kind === 'vector') visit(t.element);
  };
  for (const e of [...model.constructors, ...model.methods]) for (const f of fieldsOf(model, e)) if (f.type) visit(f.type);
  return used;
}

function genericParams(e: TlEntry): string {
  return e.generics.length ? `<${e.generics.map((g) => `${g.name} extends TlObject`).join(', ')}>` : '';
}

function entryType(e: TlEntry): string {
  return e.generics.length ? `${entryTypeRef(e)}<${e.generics.map((g) => g.name).join(', ')}>` : entryTypeRef(e);
}

function emitWriteBody(model: SchemaModel, e: TlEntry, name: string, checkObject: boolean, exported: boolean): string {
  const fields = fieldsOf(model, e);
  const body: string[] = [];
  if (checkObject) body.push(`if (typeof v !== 'object' || v === null) throw new TlEncodeError('${e.name}', v);`);
  for (const f of fields) {
    const access = `v.${propKey(f.prop)}`;
    if (!f.type) {
      body.push(`w.int32(${flagsExpression(fields, f.param.name)});`);
    } else if (f.type.kind === 'true') {
      continue;
    } else if (f.condition) {
      body.push(`if (${access} != null) {`, ...indent(writeStatements(f.type, access, 0)), '}');
    } else {
      body.push(...writeStatements(f.type, access, 0));
    }
  }
  const used = body.length > 0;
  return [
    `${exported ? 'export ' : ''}function ${name}${genericParams(e)}(${used ? 'w' : '_w'}: TlWriter, ${used ? 'v' : '_v'}: ${entryType(e)}): void {`,
    ...indent(body),
    '}',
    '',
  ].join('\n');
}

/** The value of a flags field: one bit per conditional field that is present (true for `?true`). */
function flagsExpression(fields: Field[], flagsName: string): string {
  const parts: string[] = [];
  for (const f of fields) {
    if (f.param.type.kind !== 'conditional' || f.param.type.flag !== flagsName || !f.type || !f.condition) continue;
    const access = `v.${propKey(f.prop)}`;
    const test = f.type.kind === 'true' ? access : `${access} != null`;
    parts.push(`(${test} ? ${maskLiteral(f.condition.mask)} : 0)`);
  }
  return parts.length ? parts.join(' | ') : '0';
}

/** Statements that write `value` of type `t` (also used for method results, see emit-result-writers). */
export function writeStatements(t: ResolvedType, value: string, depth: number): string[] {
  switch (t.kind) {
    case 'int':
      return [`w.int32(${value});`];
    case 'long':
      return [`w.int64(${value});`];
    case 'double':
      return [`w.double(${value});`];
    case 'string':
      return [`w.string(${value});`];
    case 'bytes':
      return [`w.bytes(${value});`];
    case 'int128':
      return [`w.fixed(${value}, 16);`];
    case 'int256':
      return [`w.fixed(${value}, 32);`];
    case 'Bool':
      return [`w.bool(${value});`];
    case 'true':
      return [];
    case 'union':
      return [`${fn.writeType(t.type)}(w, ${value});`];
    case 'bare':
      return [`${fn.writeCtor(t.ctor.name)}(w, ${value});`];
    case 'object':
      return [`writeObject(w, ${value});`];
    case 'generic':
      return [`writeMethod(w, ${value});`];
    case 'vector': {
      const a = `a${depth}`;
      const i = `i${depth}`;
      return [
        `{`,
        `  const ${a} = ${value};`,
        `  w.${t.boxed ? 'vector' : 'bareVector'}(${a});`,
        `  for (let ${i} = 0; ${i} < ${a}.length; ${i}++) {`,
        // `!`: the index is in range, and under noUncheckedIndexedAccess the element would be `T | undefined`.
        ...indent(writeStatements(t.element, `${a}[${i}]!`, depth + 1), 2),
        `  }`,
        `}`,
      ];
    }
  }
}

function emitReadBody(model: SchemaModel, e: TlEntry, name: string): string {
  const fields = fieldsOf(model, e);
  const body: string[] = [];
  const props: string[] = [`_: '${e.name}'`];
  fields.forEach((f, index) => {
    if (!f.type) {
      const referenced = fields.some((g) => g.param.type.kind === 'conditional' && g.param.type.flag === f.param.name);
      body.push(referenced ? `const f_${f.param.name} = r.int32();` : 'r.int32();');
      return;
    }
    if (f.type.kind === 'true') {
      const value = f.condition ? `(${f.condition.flagsLocal} & ${maskLiteral(f.condition.mask)}) !== 0` : 'true';
      props.push(`${propKey(f.prop)}: ${value}`);
      return;
    }
    const local = `v${index}`;
    const type = tsType(f.type);
    if (f.condition) {
      body.push(
        `let ${local}: ${type} | undefined;`,
        `if (${f.condition.flagsLocal} & ${maskLiteral(f.condition.mask)}) {`,
        ...indent(readStatements(model, f.type, local, 0)),
        '}',
      );
    } else if (isScalar(f.type)) {
      body.push(`const ${local} = ${scalarRead(f.type)};`);
    } else {
      body.push(`let ${local}: ${type};`, ...readStatements(model, f.type, local, 0));
    }
    props.push(`${propKey(f.prop)}: ${local}`);
  });
  const param = fields.length ? 'r' : '_r';
  return [`function ${name}(${param}: TlReader): ${entryTypeRef(e)} {`, ...indent(body), `  return { ${props.join(', ')} };`, '}', ''].join(
    '\n',
  );
}

function isScalar(t: ResolvedType): boolean {
  return t.kind !== 'vector';
}

function scalarRead(t: ResolvedType): string {
  switch (t.kind) {
    case 'int':
      return 'r.int32()';
    case 'long':
      return 'r.int64()';
    case 'double':
      return 'r.double()';
    case 'string':
      return 'r.string()';
    case 'bytes':
      return 'r.bytes()';
    case 'int128':
      return 'r.fixed(16)';
    case 'int256':
      return 'r.fixed(32)';
    case 'Bool':
      return 'r.bool()';
    case 'true':
      return 'true';
    case 'union':
      return `${fn.readType(t.type)}(r)`;
    case 'bare':
      return `${fn.readCtor(t.ctor.name)}(r)`;
    case 'object':
      return 'readObject(r)';
    case 'generic':
      return 'readMethod(r)';
    case 'vector':
      throw new Error('vectors are read by statements');
  }
}

function readStatements(model: SchemaModel, t: ResolvedType, target: string, depth: number): string[] {
  if (t.kind !== 'vector') return [`${target} = ${scalarRead(t)};`];
  const n = `n${depth}`;
  const a = `a${depth}`;
  const i = `i${depth}`;
  return [
    `{`,
    `  const ${n} = r.${t.boxed ? 'vector' : 'bareVector'}(${model.minSize(t.element)});`,
    `  const ${a} = new Array<${tsType(t.element)}>(${n});`,
    `  for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
    ...indent(readStatements(model, t.element, `${a}[${i}]`, depth + 1), 2),
    `  }`,
    `  ${target} = ${a};`,
    `}`,
  ];
}

/**
 * `readResultOf`, the one way to read a method's result: a table from method name to the reader of its
 * result, built on first use. The entry values do not hold their result readers, so that a program that
 * encodes `phone.requestCall` but never reads its answer does not carry the readers of `phone.PhoneCall`,
 * `User` and everything they contain; the bundler keeps them only where `readResultOf` is reached.
 */
function emitReadResultOf(model: SchemaModel): string {
  const readerOf = (t: ResolvedType) => (t.kind === 'union' ? fn.readType(t.type) : fn.readResult(resultKey(t)));
  return [
    'type ResultReader = (r: TlReader, request: never) => unknown;',
    'let resultReaders: ReadonlyMap<string, ResultReader> | undefined;',
    'const readers = (): ReadonlyMap<string, ResultReader> =>',
    '  (resultReaders ??= new Map<string, ResultReader>([',
    ...model.methods.map((m) => `    ['${m.name}', ${readerOf(model.resolve(m.result, m))}],`),
    '  ]));',
    '',
    '/**',
    ' * Reads the result of `request` (the body of the rpc_result that answers it) from `r`, looking through',
    ' * wrappers such as invokeWithLayer, typed as `Api.ResultOf<M>`. Throws TlEncodeError when `request` is not a',
    ' * method of the schema, and TlDecodeError when the bytes do not hold its result type.',
    ' */',
    'export function readResultOf<M extends TlObject>(r: TlReader, request: M): Api.ResultOf<M> {',
    '  const read = readers().get((request as TlObject | null | undefined)?._ as string);',
    "  if (!read) throw new TlEncodeError('a method of the schema', request);",
    '  return read(r, request as never) as Api.ResultOf<M>;',
    '}',
    '',
  ].join('\n');
}

/** The reader of a method result that is not a boxed type (a boxed one is read by the type's reader). */
function emitResultReader(model: SchemaModel, t: ResolvedType): string {
  const name = fn.readResult(resultKey(t));
  if (t.kind === 'generic') {
    return [
      `function ${name}(r: TlReader, request: { query: TlObject }): unknown {`,
      `  return readResultOf(r, request.query);`,
      '}',
      '',
    ].join('\n');
  }
  const type = tsType(t);
  const body = isScalar(t) ? [`return ${scalarRead(t)};`] : [`let v: ${type};`, ...readStatements(model, t, 'v', 0), 'return v;'];
  return [`function ${name}(r: TlReader): ${type} {`, ...indent(body), '}', ''].join('\n');
}

function emitUnionWriter(type: string, ctors: TlEntry[], exported: boolean): string {
  const cases = ctors.flatMap((c) => [
    `  case '${c.name}':`,
    `    w.uint32(0x${idHex(c.id!)});`,
    `    ${fn.writeCtor(c.name)}(w, v as ${entryTypeRef(c)});`,
    `    return;`,
  ]);
  return [
    `${exported ? 'export ' : ''}function ${fn.writeType(type)}(w: TlWriter, v: ${unionTypeRef(type)}): void {`,
    `  switch ((v as TlObject | null | undefined)?._) {`,
    ...cases.map((l) => '  ' + l),
    `    default:`,
    `      throw new TlEncodeError('${type}', v);`,
    `  }`,
    '}',
    '',
  ].join('\n');
}

function emitUnionReader(type: string, ctors: TlEntry[]): string {
  const cases = ctors.flatMap((c) => [`    case 0x${idHex(c.id!)}:`, `      return ${fn.readCtor(c.name)}(r);`]);
  return [
    `function ${fn.readType(type)}(r: TlReader): ${unionTypeRef(type)} {`,
    `  const id = r.uint32();`,
    `  switch (id) {`,
    ...cases,
    `    default:`,
    `      throw r.unknown(id, '${type}');`,
    `  }`,
    '}',
    '',
  ].join('\n');
}

export function indent(lines: string[], levels = 1): string[] {
  const pad = '  '.repeat(levels);
  return lines.map((l) => pad + l);
}
