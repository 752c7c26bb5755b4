import type { TlEntry } from '../schema/ast.js';
import type { ResolvedType, SchemaModel } from '../schema/model.js';
import { camelCase, idHex } from '../schema/naming.js';
import { DESCRIPTOR_HEADER, DESCRIPTOR_MARKS as MARK, LEAF_CODES } from '../base/descriptor-format.js';
import { fieldsOf, type Field } from './emit-types.js';

/**
 * Emits `descriptor.ts`: what reflection needs (JSON conversion, arbitraries) about every generated
 * constructor and method, as one string that the runtime's `TlDescriptor` reads on first use. A string
 * and not object literals, so that importing it costs no evaluation of thousands of objects; and a module
 * of its own that `index.ts` does not re-export, so that only code doing reflection loads it.
 */
export function emitDescriptor(model: SchemaModel, runtime: string): string {
  return [
    `import { TlDescriptor } from '${runtime}';`,
    '',
    '/** The ids, names, fields and types of this module set, for JSON conversion and arbitraries; read on first use. */',
    // Pure: a bundle that never reads the descriptor drops it.
    `export const DESCRIPTOR = /* @__PURE__ */ new TlDescriptor(${JSON.stringify(describeSchema(model))});`,
    '',
  ].join('\n');
}

/** The descriptor text of the generated entries (format: base/descriptor-format.ts). */
export function describeSchema(model: SchemaModel): string {
  const typeIndex = new Map<string, number>();
  const indexOf = (type: string): number => {
    let index = typeIndex.get(type);
    if (index === undefined) {
      index = typeIndex.size;
      typeIndex.set(type, index);
    }
    return index;
  };
  const code = (t: ResolvedType): string => {
    switch (t.kind) {
      case 'vector':
        return (t.boxed ? MARK.boxedVector : MARK.bareVector) + code(t.element);
      case 'union':
        return String(indexOf(t.type));
      case 'bare':
        return MARK.bareConstructor + t.ctor.name;
      case 'generic':
        return MARK.generic + t.name;
      default:
        return LEAF_CODES[t.kind];
    }
  };
  const field = (f: Field): string => {
    const p = f.param.type;
    if (p.kind === 'flags') return f.prop + MARK.prop + MARK.flags;
    const condition = p.kind === 'conditional' ? camelCase(p.flag) + MARK.bit + p.bit + MARK.condition : '';
    return f.prop + MARK.prop + condition + code(f.type!);
  };
  const line = (e: TlEntry, type: string): string => [head(e), type, ...fieldsOf(model, e).map(field)].join(' ');
  const constructors = model.constructors.map((c) => line(c, String(indexOf(c.result.name))));
  const methods = model.methods.map((m) => line(m, code(model.resolve(m.result, m))));
  // The type list last: fields and results add the types they refer to.
  return [DESCRIPTOR_HEADER, [...typeIndex.keys()].join(' '), ...constructors, MARK.methods, ...methods].join('\n');
}

/** `name`, `name#1cb5c415`, `name#da9b0d0d{X}`. */
function head(e: TlEntry): string {
  const id = e.id === undefined ? '' : MARK.id + idHex(e.id);
  const generics = e.generics.length ? MARK.genericsOpen + e.generics.map((g) => g.name).join(',') + MARK.genericsClose : '';
  return e.name + id + generics;
}
