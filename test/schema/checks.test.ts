/** The schema checks the generator runs: unique ids, ids that match their declaration, unknown types under strict. */
import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../src/schema/checks.js';
import { parseSchema } from '../../src/schema/parser.js';
import { generate } from '../../src/codegen/generate.js';
import { computedId } from '../../src/schema/crc.js';
import { hexId } from '../../src/base/errors.js';

/** `a = A;` with the id its declaration derives, so that only the case under test is wrong. */
const derived = (declaration: string): string => {
  const entry = parseSchema(declaration, 'x.tl').entries[0]!;
  return declaration.replace(/^(\S+)/, `$1${hexId(computedId(entry))}`);
};
const pointA = derived('pointA x:int = Point;');
const pointB = derived('pointB x:long = Point;');

describe('schema checks', () => {
  it('passes a schema whose ids are unique and derived, with no warnings', () => {
    expect(checkSchema(parseSchema(`${pointA}\n${pointB}`, 'x.tl'))).toEqual([]);
  });

  it('rejects two names with one id, pointing at the second', () => {
    const schema = parseSchema(`${pointA}\n${pointB.replace(/#\w+/, pointA.match(/#\w+/)![0])}`, 'x.tl');
    expect(() => checkSchema(schema)).toThrow(
      `x.tl:2:1: 'pointB' has the id ${pointA.match(/#\w+/)![0]}, which 'pointA' at x.tl:1:1 already has (ids must be unique; list intended aliases as shared ids)`,
    );
    // Listed as an alias, either name may share the id; the CRC of the alias then differs, a warning.
    expect(checkSchema(schema, { sharedIds: ['pointB'] })).toHaveLength(1);
    expect(checkSchema(schema, { sharedIds: ['pointA'] })).toHaveLength(1);
  });

  it('warns about each id that is not the CRC-32 of its declaration, and fails under strict', () => {
    const schema = parseSchema(`pointA#deadbeef x:int = Point;\n${pointB}\n  pointC#00000001 = Point;`, 'x.tl');
    const warnings = checkSchema(schema);
    expect(warnings).toEqual([
      `x.tl:1:1: 'pointA' is declared with the id #deadbeef, but the CRC-32 of its declaration is ${hexId(computedId(schema.entries[0]!))}`,
      `x.tl:3:3: 'pointC' is declared with the id #00000001, but the CRC-32 of its declaration is ${hexId(computedId(schema.entries[2]!))}`,
    ]);
    expect(() => checkSchema(schema, { strict: true })).toThrow(warnings[0]);
    expect(checkSchema(schema, { strict: true, underivedIds: ['pointA', 'pointC'] })).toEqual([]);
    expect(generate(schema).warnings).toEqual(warnings);
  });

  it('leaves out an entry with an unknown type, and fails under strict pointing at the type', () => {
    const schema = parseSchema(`${pointA}\n${derived('line a:Point b:Pointt = Line;')}`, 'x.tl');
    expect(generate(schema).skipped).toEqual([{ name: 'line', reason: 'x.tl:2:25: line: unknown type Pointt' }]);
    expect(() => generate(schema, { strict: true })).toThrow('x.tl:2:25: line: unknown type Pointt');
  });
});
