/** Constructor ids: CRC32 itself, and ids derived from normalized declarations as the TL rules define them. */
import { describe, expect, it } from 'vitest';
import { computedId, normalizedDeclaration } from '../../src/schema/crc.js';
import { parseSchema } from '../../src/schema/parser.js';
import { crc32 } from '../../src/base/crc32.js';
import { LIBRARY_ID_EXCEPTIONS } from '../../src/codegen/build-library.js';
import { fixtureJson } from '../helpers.js';
import { all, parsed } from './helpers.js';

describe('constructor ids', () => {
  it('crc32 gives the standard check values', () => {
    const utf8 = (s: string) => new TextEncoder().encode(s);
    expect(crc32(utf8(''))).toBe(0);
    expect(crc32(utf8('123456789'))).toBe(0xcbf43926);
    expect(crc32(utf8('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('matches the constructor id vectors of fixtures/tl-serialization.json', () => {
    const fixture = fixtureJson<{ constructor_id_vectors: { normalized: string; crc32: string }[] }>('tl-serialization.json');
    const api = parsed('api.tl');
    let matchedEntries = 0;
    for (const vector of fixture.constructor_id_vectors) {
      const id = Number(vector.crc32);
      expect(crc32(new TextEncoder().encode(vector.normalized))).toBe(id);
      // Where layer 228 still has the declaration the vector was made from, our normalization must agree.
      const entry = api.entries.find((e) => e.id === id && vector.normalized.startsWith(e.name + ' '));
      if (entry) {
        expect(normalizedDeclaration(entry)).toBe(vector.normalized);
        matchedEntries++;
      }
    }
    expect(matchedEntries).toBe(6);
  });

  it('derives every declared id from its declaration, except a known list', () => {
    // Ids not derived by the CRC rule, which the build accepts by name; the generator always uses the declared id.
    const notDerived = LIBRARY_ID_EXCEPTIONS.underivedIds;
    const withIds = all().entries.filter((e) => e.id !== undefined);
    const mismatches = withIds.filter((e) => computedId(e) !== e.id).map((e) => e.name);
    expect(mismatches.sort()).toEqual([...notDerived].sort());
    expect(withIds.length - mismatches.length).toBe(2498);
  });

  it('normalizes generics, true flags, bytes and vectors the way the ids expect', () => {
    const entry = parseSchema(
      'f#00000000 {X:Type} flags:# a:flags.0?true b:bytes c:flags.1?bytes d:Vector<bytes> q:!X = Vector<X>;',
      'n.tl',
    ).entries[0]!;
    expect(normalizedDeclaration(entry)).toBe('f X:Type flags:# b:string c:flags.1?string d:Vector bytes q:!X = Vector X');
    // vector's id follows the same rule, though it is declared in the builtin shape.
    expect(crc32(new TextEncoder().encode('vector t:Type # [ t ] = Vector t'))).toBe(0x1cb5c415);
  });
});
