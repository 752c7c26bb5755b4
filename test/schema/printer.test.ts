/** The TL printer: every parsed declaration prints back as written, and printed text parses to the same AST. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TlEntry, TlParam, TlSchema, TypeExpr } from '../../src/schema/ast.js';
import { parseSchema } from '../../src/schema/parser.js';
import { printEntry, printSchema } from '../../src/schema/printer.js';
import { all, bang, fileNames, files, parsed } from './helpers.js';

/** The schema without source positions, for comparing a reparse with the original. */
const withoutSources = (schema: TlSchema) => ({
  layer: schema.layer,
  builtins: schema.builtins.map(({ text, name }) => ({ text, name })),
  entries: schema.entries.map(({ source: _source, ...rest }) => rest),
});

describe('printer', () => {
  it('prints every declaration line of api.tl and mtproto.tl back (ids zero-padded to 8 digits)', () => {
    for (const file of ['api.tl', 'mtproto.tl'] as const) {
      const lines = files[file].split('\n');
      for (const entry of parsed(file).entries) {
        const line = lines[entry.source.line - 1]!.replace(/#([0-9a-f]{1,8}) /, (_, id: string) => `#${id.padStart(8, '0')} `);
        expect(printEntry(entry)).toBe(line);
      }
    }
  });

  it('round-trips whole files and the merged schema', () => {
    const schemas: TlSchema[] = [...fileNames.map(parsed), all(), parseSchema('// LAYER 228\nfoo = Foo;', 'layer.tl')];
    for (const first of schemas) {
      const text = printSchema(first);
      const second = parseSchema(text, 'printed.tl');
      // Compared as JSON: a deep toEqual on 2,500 entries is needlessly slow, and key order is fixed by the parser.
      expect(JSON.stringify(withoutSources(second))).toBe(JSON.stringify(withoutSources(first)));
      expect(printSchema(second)).toBe(text);
    }
  });

  it('round-trips generated entries, including shapes the real schemas do not use', () => {
    const lower = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,6}$/);
    const upper = fc.stringMatching(/^[A-Z][a-zA-Z0-9_]{0,6}$/);
    const dotted = fc
      .tuple(fc.option(lower, { nil: undefined }), fc.oneof(lower, upper))
      .map(([namespace, name]) => (namespace ? `${namespace}.${name}` : name));
    const typeExpr = (depth: number): fc.Arbitrary<TypeExpr> =>
      fc
        .record({
          name: dotted,
          percent: fc.boolean(),
          args: depth === 0 ? fc.constant<TypeExpr[]>([]) : fc.array(typeExpr(depth - 1), { maxLength: 2 }),
        })
        .map(({ name, percent, args }) => {
          const last = name.slice(name.lastIndexOf('.') + 1);
          return { name, bare: percent || last[0] !== last[0]!.toUpperCase(), percent, bang: false, args };
        });
    const type = typeExpr(2);
    const paramShape = fc.oneof(
      fc.constant({ kind: 'flags' as const }),
      fc.record({ kind: fc.constant('conditional' as const), bit: fc.nat(31), type }),
      fc.record({ kind: fc.constant('type' as const), type }),
    );
    const entry = fc
      .record({
        kind: fc.constantFrom('constructor' as const, 'method' as const),
        name: dotted.map((name) => `e_${name}`),
        id: fc.option(fc.nat(0xffffffff), { nil: undefined }),
        generic: fc.boolean(),
        params: fc.uniqueArray(fc.tuple(lower, paramShape), { maxLength: 6, selector: ([name]) => name }),
        result: type,
      })
      .map(({ kind, name, id, generic, params, result }): Omit<TlEntry, 'source'> => {
        // A condition needs an earlier '#' field: the first conditional without one becomes that field.
        const flagFields: string[] = [];
        const tlParams = params.map(([paramName, shape]): TlParam => {
          if (shape.kind === 'type') return { name: paramName, type: shape };
          if (shape.kind === 'flags' || flagFields.length === 0) {
            flagFields.push(paramName);
            return { name: paramName, type: { kind: 'flags' } };
          }
          const flag = flagFields[shape.bit % flagFields.length]!;
          return { name: paramName, type: { kind: 'conditional', flag, bit: shape.bit, type: shape.type } };
        });
        // Longer than any generated name, so never a duplicate.
        if (generic) tlParams.push({ name: 'long_query', type: { kind: 'type', type: bang('X') } });
        const dot = name.lastIndexOf('.');
        const namespace = dot < 0 ? '' : name.slice(0, dot);
        const generics = generic ? [{ name: 'X', type: 'Type' }] : [];
        return { kind, name, namespace, id, generics, params: tlParams, result };
      });
    fc.assert(
      fc.property(entry, (expected) => {
        const header = expected.kind === 'method' ? '---functions---\n' : '';
        const text = header + printEntry({ ...expected, source: { file: '', line: 1, column: 1 } });
        const { source: _source, ...actual } = parseSchema(text, 'gen.tl').entries[0]!;
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('starts in the types section and marks each switch of section', () => {
    const schema = parseSchema('int ? = Int;\n---functions---\nf = X;\n---types---\nc#1 = X;\n---functions---\ng = Y;', 'x.tl');
    expect(printSchema(schema)).toBe(
      'int ? = Int;\n\n---functions---\n\nf = X;\n\n---types---\n\nc#00000001 = X;\n\n---functions---\n\ng = Y;\n',
    );
    expect(printSchema(parseSchema('// LAYER 7\nc = X;', 'x.tl'))).toBe('// LAYER 7\n\nc = X;\n');
  });
});
