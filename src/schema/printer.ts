/**
 * Canonical TL text for the AST: single spaces, ids as 8 lower-case hex digits, generics before params.
 * Parsing the output gives back the same AST (apart from source positions), which the tests check on the
 * real schemas.
 */
import type { ParamType, TlEntry, TlSchema, TypeExpr } from './ast.js';

/** `Vector<long>`, `%Message`, `!X`, `phone.PhoneCall`. */
export function printType(type: TypeExpr): string {
  const prefix = type.bang ? '!' : type.percent ? '%' : '';
  const args = type.args.length > 0 ? `<${type.args.map(printType).join(',')}>` : '';
  return prefix + type.name + args;
}

/** What follows `name:` for one parameter: `#`, `flags.0?true`, `Vector<long>`. */
export function printParamType(type: ParamType): string {
  switch (type.kind) {
    case 'flags':
      return '#';
    case 'conditional':
      return `${type.flag}.${type.bit}?${printType(type.type)}`;
    case 'type':
      return printType(type.type);
  }
}

/** `name#xxxxxxxx {X:Type} a:int flags:# b:flags.0?true c:Vector<long> = Result;` (no `#id` when undefined). */
export function printEntry(entry: TlEntry): string {
  const id = entry.id === undefined ? '' : '#' + (entry.id >>> 0).toString(16).padStart(8, '0');
  const parts = [entry.name + id];
  for (const generic of entry.generics) parts.push(`{${generic.name}:${generic.type}}`);
  for (const param of entry.params) parts.push(`${param.name}:${printParamType(param.type)}`);
  parts.push('=', printType(entry.result) + ';');
  return parts.join(' ');
}

/**
 * The whole schema: the `// LAYER` line if known, builtins, then the entries in order. Output starts in the
 * types section and writes a section marker whenever the kind changes, so a schema whose constructors all
 * precede its methods prints as "types, then `---functions---`", and interleaved sections (as in
 * mtproto.tl) keep their order through a round trip.
 */
export function printSchema(schema: TlSchema): string {
  const lines: string[] = [];
  if (schema.layer !== undefined) lines.push(`// LAYER ${schema.layer}`, '');
  for (const builtin of schema.builtins) lines.push(builtin.text);
  let kind: TlEntry['kind'] = 'constructor';
  for (const entry of schema.entries) {
    if (entry.kind !== kind) {
      kind = entry.kind;
      lines.push('', kind === 'method' ? '---functions---' : '---types---', '');
    }
    lines.push(printEntry(entry));
  }
  return lines.join('\n') + '\n';
}
