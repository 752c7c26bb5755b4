/**
 * The descriptor (generated descriptor.ts, read by TlDescriptor): entry by entry it says what the parsed
 * schema says, it is read only on first use, bad text is a typed error, and a user's module converts
 * JSON through its own descriptor.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TlEntry } from '../../src/schema/ast.js';
import { SchemaModel, type ResolvedType } from '../../src/schema/model.js';
import { camelCase } from '../../src/schema/naming.js';
import { parseSchema } from '../../src/schema/parser.js';
import { printSchema } from '../../src/schema/printer.js';
import { generate, writeGeneratedFiles } from '../../src/codegen/generate.js';
import { LIBRARY_OUT_DIR } from '../../src/codegen/build-library.js';
import { DESCRIPTOR } from '../../src/generated/api/descriptor.js';
import {
  TlDescriptor,
  TlDescriptorError,
  TlEncodeError,
  decodeWith,
  encodeWith,
  objectFromJsonWith,
  objectToJson,
  type TlEntryDescriptor,
  type TlObject,
  type TlReader,
  type TlType,
  type TlWriter,
} from '../../src/tl/runtime.js';
import { objectFromJson } from '../../src/api/index.js';
import { createArbitraries } from '../../src/testing/index.js';
import { librarySchema } from '../schema-helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A type written out alike from the generator's resolution and from the descriptor. */
function typeText(t: ResolvedType | TlType): string {
  switch (t.kind) {
    case 'vector':
      return `${t.boxed ? 'Vector' : 'vector'}<${typeText(t.element)}>`;
    case 'union':
      return t.type;
    case 'bare':
      return `%${t.ctor.name}`;
    case 'generic':
      return `!${t.name}`;
    default:
      return t.kind;
  }
}

/** What the descriptor must say about a parsed entry, from the parser's output and the model's resolution. */
function expectedEntry(model: SchemaModel, e: TlEntry): unknown {
  return {
    kind: e.kind,
    name: e.name,
    id: e.id,
    generics: e.generics.map((g) => g.name),
    ...(e.kind === 'constructor' ? { type: e.result.name } : { result: typeText(model.resolve(e.result, e)) }),
    fields: e.params.map((p) =>
      p.type.kind === 'flags'
        ? { kind: 'flags', prop: camelCase(p.name) }
        : {
            kind: 'value',
            prop: camelCase(p.name),
            type: typeText(model.resolve(p.type.type, e)),
            condition: p.type.kind === 'conditional' ? { flags: camelCase(p.type.flag), bit: p.type.bit } : undefined,
          },
    ),
  };
}

/** The same shape read from a descriptor entry. */
function describedEntry(d: TlEntryDescriptor): unknown {
  return {
    kind: d.kind,
    name: d.name,
    id: d.id,
    generics: d.generics,
    ...(d.kind === 'constructor' ? { type: d.type } : { result: typeText(d.result) }),
    fields: d.fields.map((f) =>
      f.kind === 'flags'
        ? { kind: 'flags', prop: f.prop }
        : { kind: 'value', prop: f.prop, type: typeText(f.type), condition: f.condition },
    ),
  };
}

describe("the library's descriptor against the parsed schema", () => {
  const schema = librarySchema();
  const model = new SchemaModel(schema);

  test('the same constructors and methods in the same order', () => {
    expect(DESCRIPTOR.constructors.map((c) => c.name)).toEqual(model.constructors.map((c) => c.name));
    expect(DESCRIPTOR.methods.map((m) => m.name)).toEqual(model.methods.map((m) => m.name));
    // Everything the parser read is described, or left out by the generator with a reason.
    const described = new Set([...DESCRIPTOR.constructors, ...DESCRIPTOR.methods].map((e) => e.name));
    const skipped = new Set(model.skipped.map((s) => s.name));
    expect(schema.entries.filter((e) => !described.has(e.name) && !skipped.has(e.name))).toEqual([]);
  });

  test('every entry: id, name, generics, type or result, and each field with its kind, type and flag bit', () => {
    model.constructors.forEach((e, i) => expect(describedEntry(DESCRIPTOR.constructors[i]!), e.name).toEqual(expectedEntry(model, e)));
    model.methods.forEach((e, i) => expect(describedEntry(DESCRIPTOR.methods[i]!), e.name).toEqual(expectedEntry(model, e)));
  });

  test('boxed types list the constructors that have ids, as the generated registry does', () => {
    expect(DESCRIPTOR.typeNames()).toEqual([...model.types.keys()]);
    for (const [type, ctors] of model.types)
      expect(
        DESCRIPTOR.constructorsOf(type)?.map((c) => c.name),
        type,
      ).toEqual(ctors.map((c) => c.name));
    expect(DESCRIPTOR.constructorsOf('MtMessage')).toBeUndefined(); // mt_message has no id
  });

  test('lookups by name, and bare types that are the described constructor itself', () => {
    expect(DESCRIPTOR.entry('phone.requestCall')?.kind).toBe('method');
    expect(DESCRIPTOR.entry('inputUser')).toBe(DESCRIPTOR.constructors.find((c) => c.name === 'inputUser'));
    expect(DESCRIPTOR.entry('noSuchThing')).toBeUndefined();
    const messages = DESCRIPTOR.entry('msg_container')!.fields[0]!;
    expect(messages.kind === 'value' && messages.type.kind === 'vector' && messages.type.element).toEqual({
      kind: 'bare',
      ctor: DESCRIPTOR.entry('mt_message'),
    });
  });

  test('the descriptor is smaller than the TL text it replaces', () => {
    const file = readFileSync(join(root, LIBRARY_OUT_DIR, 'descriptor.ts'), 'utf8');
    expect(file.length).toBeLessThan(printSchema(schema).length);
  });
});

describe('reading a descriptor', () => {
  const HEADER = 'mtwire-descriptor 1';
  const readAll = (d: TlDescriptor): void => {
    for (const e of [...d.constructors, ...d.methods]) void e.fields;
  };

  test('nothing is read until first use, and an entry only when it is asked for', () => {
    const d = new TlDescriptor('not a descriptor');
    expect(() => d.methods).toThrow(TlDescriptorError);
    // b's field and c's id are broken, but a is read without them.
    const partly = new TlDescriptor(`${HEADER}\nA\na#00000001 0 x:i\nb#00000002 0 x:Z\nc#nope 0\n-`);
    expect(partly.entry('a')?.fields).toEqual([{ kind: 'value', prop: 'x', type: { kind: 'int' }, condition: undefined }]);
    expect(partly.entry('b')?.id).toBe(2);
    expect(() => partly.entry('b')?.fields).toThrow(/line 4: unknown type "Z"/);
    expect(() => partly.entry('c')).toThrow(/line 5: bad id/);
  });

  test.each<[string, string, number, RegExp]>([
    ['another format', 'mtwire-descriptor 2\nA\n-', 1, /header/],
    ['no methods line', `${HEADER}\nA\na#00000001 0`, 3, /no "-" line/],
    ['a bad id', `${HEADER}\nA\na#0000001x 0\n-`, 3, /bad id/],
    ['an unknown boxed type', `${HEADER}\nA\na#00000001 1\n-`, 3, /no boxed type #1/],
    ['an entry without a type', `${HEADER}\nA\na#00000001\n-`, 3, /a: no type/],
    ['an unknown type code', `${HEADER}\nA\na#00000001 0 x:Z\n-`, 3, /unknown type "Z"/],
    ['an unknown bare constructor', `${HEADER}\nA\na#00000001 0 x:%b\n-`, 3, /unknown type "%b"/],
    ['a bit past 31', `${HEADER}\nA\na#00000001 0 flags:# x:flags.32?i\n-`, 3, /bad condition/],
    ['a field without a type', `${HEADER}\nA\na#00000001 0 x\n-`, 3, /expected prop:type/],
    ['a method without an id', `${HEADER}\nA\n-\nm 0`, 4, /method m has no id/],
    ['an empty line', `${HEADER}\nA\n\n-`, 3, /expected an entry/],
  ])('%s is a TlDescriptorError with its line', (_what, text, line, message) => {
    let error: unknown;
    try {
      readAll(new TlDescriptor(text));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TlDescriptorError);
    expect(error).toMatchObject({ code: 'TL_DESCRIPTOR', line });
    expect((error as Error).message).toMatch(message);
  });
});

describe('a user schema, generated and converted through its own descriptor', () => {
  const text = `
boolFalse#bc799737 = Bool;
boolTrue#997275b5 = Bool;
point#5a2f7d01 x:int y:int = Point;
blob#5a2f7d04 flags:# hidden:flags.0?true id:long key:int128 data:bytes tags:flags.1?Vector<string> origin:flags.1?Point weight:double ok:Bool = Blob;
path#5a2f7d05 points:vector<point> ids:Vector<long> = Path;
---functions---
wrap#5a2f7d06 {X:Type} tag:string query:!X = X;
blob.get#5a2f7d07 id:long = Blob;
`;
  interface UserModule {
    DESCRIPTOR: TlDescriptor;
    writeAny: (w: TlWriter, v: TlObject) => void;
    readAny: (r: TlReader) => TlObject;
  }
  let loaded: Promise<UserModule> | undefined;
  /** Generates the module into test/.generated once and imports it. */
  const load = (): Promise<UserModule> => {
    if (!loaded) {
      const out = join(root, 'test/.generated/descriptor-user');
      mkdirSync(join(root, 'test/.generated'), { recursive: true });
      writeGeneratedFiles(out, generate(parseSchema(text, 'user.tl'), { runtime: '../../../src/tl/runtime.js' }).files);
      // The descriptor is a module of its own: index.ts does not load it.
      loaded = Promise.all([import(join(out, 'index.ts')), import(join(out, 'descriptor.ts'))]).then(
        ([index, descriptor]) => ({ ...index, ...descriptor }) as UserModule,
      );
    }
    return loaded;
  };
  const roundTrip = (mod: UserModule, json: unknown): unknown => {
    const bytes = encodeWith(mod.writeAny, objectFromJsonWith(mod.DESCRIPTOR, json));
    return objectToJson(decodeWith(mod.readAny, bytes));
  };

  test('JSON → object → bytes → object → the same JSON', async () => {
    const mod = await load();
    const samples = [
      { _: 'point', x: -1, y: 2147483647 },
      {
        _: 'blob',
        hidden: true,
        id: '-9223372036854775808',
        key: '00112233445566778899aabbccddeeff',
        data: 'cafe',
        tags: ['a', 'é'],
        origin: { _: 'point', x: 1, y: -1 },
        weight: 1.5,
        ok: true,
      },
      { _: 'blob', hidden: false, id: '9223372036854775807', key: 'ff'.repeat(16), data: '', weight: 0, ok: false },
      { _: 'path', points: [{ _: 'point', x: 1, y: 2 }], ids: ['1', '-2'] },
      { _: 'wrap', tag: 'outer', query: { _: 'wrap', tag: 'inner', query: { _: 'blob.get', id: '7' } } },
    ];
    for (const json of samples) expect(roundTrip(mod, json)).toEqual(json);
    // Hex is read in either case and written in lower case.
    expect(roundTrip(mod, { ...samples[1], data: 'CAFE' })).toEqual(samples[1]);
    // A bare field's objects may leave out their `_`: the descriptor knows the constructor.
    expect(roundTrip(mod, { _: 'path', points: [{ x: 3, y: 4 }], ids: [] })).toEqual({
      _: 'path',
      points: [{ _: 'point', x: 3, y: 4 }],
      ids: [],
    });
  });

  test('arbitraries from its descriptor round-trip through its codec', async () => {
    const mod = await load();
    const arbitraries = createArbitraries(mod.DESCRIPTOR, { methods: ['blob.get'] });
    expect(arbitraries.allTypeNames()).toEqual(['Bool', 'Point', 'Blob', 'Path']);
    for (const name of arbitraries.allEntryNames()) {
      for (const v of fc.sample(arbitraries.arbitraryFor(name), { numRuns: 20, seed: 1 })) {
        expect(decodeWith(mod.readAny, encodeWith(mod.writeAny, v)), name).toStrictEqual(v);
      }
    }
  });

  test('a value that does not fit is a TlEncodeError naming its path', async () => {
    const mod = await load();
    const fails = (json: unknown): TlEncodeError => {
      try {
        objectFromJsonWith(mod.DESCRIPTOR, json);
      } catch (e) {
        if (e instanceof TlEncodeError) return e;
        throw e;
      }
      throw new Error('converted');
    };
    expect(fails({ _: 'path', points: [], ids: ['1', 'x'] }).message).toBe('ids[1]: expected long as a decimal string, got "x"');
    expect(fails({ _: 'wrap', tag: '', query: { _: 'blob.get', id: 1.5 } }).path).toBe('query.id');
    expect(fails({ _: 'path', points: [{ x: 1, y: 2 }, 7], ids: [] }).path).toBe('points[1]');
    expect(fails({ _: 'blob', id: '1', key: 'xyz', data: '' }).message).toBe('key: expected int128 as hex, got "xyz"');
    expect(fails({ _: 'inputUser' }).expected).toBe('`_` to name a constructor or method of the schema'); // another schema's constructor
  });
});

test("the library's objectFromJson names the path too", () => {
  expect(() => objectFromJson({ _: 'phone.receivedCall', peer: { _: 'inputPhoneCall', id: '1', accessHash: 'x' } })).toThrow(
    'peer.accessHash: expected long as a decimal string, got "x"',
  );
});
