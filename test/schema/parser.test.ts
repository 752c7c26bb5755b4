/** The TL parser over mtwire's real schema files, its syntax errors, and the merging of several files. */
import { describe, expect, it } from 'vitest';
import type { TlEntry, TlSchema } from '../../src/schema/ast.js';
import { computedId } from '../../src/schema/crc.js';
import { parseSchema, parseSchemaFiles } from '../../src/schema/parser.js';
import { printEntry } from '../../src/schema/printer.js';
import { TlSchemaError } from '../../src/schema/scanner.js';
import { MtwireError } from '../../src/base/errors.js';
import { all, bang, bare, boxed, cond, fileNames, files, flags, parsed, typed } from './helpers.js';

const find = (schema: TlSchema, name: string): TlEntry => {
  const entry = schema.entries.find((e) => e.name === name);
  if (!entry) throw new Error(`no ${name}`);
  return entry;
};

/** `file:line:column: expected …` thrown for `text`, or a failure if nothing was thrown. */
function schemaError(text: string): TlSchemaError {
  try {
    parseSchema(text, 'bad.tl');
  } catch (error) {
    expect(error).toBeInstanceOf(TlSchemaError);
    return error as TlSchemaError;
  }
  throw new Error(`parsed without error: ${text}`);
}

describe('parsing the real schemas', () => {
  it('parses every line of every file on its own', () => {
    for (const file of fileNames) {
      const lines = files[file].split('\n');
      const declarations = lines.filter((line) => line.trim().endsWith(';') && !line.trim().startsWith('//'));
      const failures: string[] = [];
      for (const [index, line] of lines.entries()) {
        try {
          parseSchema(line, `${file}:${index + 1}`);
        } catch (error) {
          failures.push(String(error));
        }
      }
      expect(failures).toEqual([]);
      // Each declaration sits on one line, so the whole-file parse accounts for every one of them.
      const schema = parsed(file);
      expect(schema.entries.length + schema.builtins.length).toBe(declarations.length);
    }
  });

  it('finds the expected numbers of constructors, methods and builtins', () => {
    const count = (schema: TlSchema) => ({
      constructors: schema.entries.filter((e) => e.kind === 'constructor').length,
      methods: schema.entries.filter((e) => e.kind === 'method').length,
      withoutId: schema.entries.filter((e) => e.id === undefined).map((e) => e.name),
      builtins: schema.builtins.map((b) => b.name),
    });
    expect(count(parsed('api.tl'))).toEqual({
      constructors: 1648,
      methods: 813,
      withoutId: ['test.useConfigSimple', 'test.parseInputAppEvent'],
      builtins: ['int', 'long', 'double', 'string', 'bytes', 'int256', 'vector'],
    });
    expect(count(parsed('mtproto.tl'))).toMatchObject({ constructors: 49, methods: 10 });
    expect(count(parsed('mtproto.tl')).withoutId).toEqual([
      'tlsClientHello',
      'tlsBlockString',
      'tlsBlockRandom',
      'tlsBlockZero',
      'tlsBlockDomain',
      'tlsBlockGrease',
      'tlsBlockPublicKey',
      'tlsBlockScope',
      'tlsBlockPermutation',
    ]);
    expect(count(parsed('mtproto.tl')).builtins).toEqual(['int', 'long', 'double', 'string', 'vector', 'int128', 'int256']);
    expect(count(parsed('service.tl'))).toEqual({
      constructors: 5,
      methods: 0,
      withoutId: ['mt_message'],
      builtins: [],
    });
    // ipPort, ipPortSecret, accessPointRule and help.configSimple are in both api.tl and mtproto.tl.
    expect(count(all())).toMatchObject({ constructors: 1648 + 49 + 5 - 4, methods: 813 + 10 });
    expect(parsed('api.tl').layer).toBeUndefined();
  });

  it('keeps the builtin declarations verbatim, including the id of vector', () => {
    expect(parsed('api.tl').builtins.find((b) => b.name === 'vector')).toEqual({
      text: 'vector#1cb5c415 {t:Type} # [ t ] = Vector t;',
      name: 'vector',
      source: { file: 'api.tl', line: 14, column: 1 },
    });
    expect(parsed('mtproto.tl').builtins.map((b) => b.text)).toContain('int128 4*[ int ] = Int128;');
    // The two files declare vector and int256 in different shapes: both texts are kept.
    expect(all().builtins.filter((b) => b.name === 'vector' || b.name === 'int256')).toHaveLength(4);
  });

  it('parses phone.requestCall and phone.phoneCall exactly', () => {
    const api = parsed('api.tl');
    expect(find(api, 'phone.requestCall')).toEqual({
      kind: 'method',
      name: 'phone.requestCall',
      namespace: 'phone',
      id: 0x42ff96ed,
      generics: [],
      params: [
        flags('flags'),
        cond('video', 'flags', 0, bare('true')),
        typed('user_id', boxed('InputUser')),
        typed('random_id', bare('int')),
        typed('g_a_hash', bare('bytes')),
        typed('protocol', boxed('PhoneCallProtocol')),
      ],
      result: boxed('phone.PhoneCall'),
      source: { file: 'api.tl', line: 2969, column: 1 },
    });
    expect(find(api, 'phone.phoneCall')).toEqual({
      kind: 'constructor',
      name: 'phone.phoneCall',
      namespace: 'phone',
      id: 0xec82e140,
      generics: [],
      params: [typed('phone_call', boxed('PhoneCall')), typed('users', boxed('Vector', boxed('User')))],
      result: boxed('phone.PhoneCall'),
      source: { file: 'api.tl', line: 1085, column: 1 },
    });
  });

  it('parses initConnection with its {X:Type} generic and !X query', () => {
    const entry = find(parsed('api.tl'), 'initConnection');
    expect(entry.id).toBe(0xc1cd5ea9);
    expect(entry.generics).toEqual([{ name: 'X', type: 'Type' }]);
    expect(entry.params.slice(-3)).toEqual([
      cond('proxy', 'flags', 0, boxed('InputClientProxy')),
      cond('params', 'flags', 1, boxed('JSONValue')),
      typed('query', bang('X')),
    ]);
    expect(entry.result).toEqual(boxed('X'));
  });

  it('parses flags2 fields and conditions on them', () => {
    expect(find(parsed('api.tl'), 'community')).toEqual({
      kind: 'constructor',
      name: 'community',
      namespace: '',
      id: 0x65efe954,
      generics: [],
      params: [
        flags('flags'),
        cond('creator', 'flags', 0, bare('true')),
        cond('left', 'flags', 2, bare('true')),
        cond('min', 'flags', 12, bare('true')),
        flags('flags2'),
        cond('collapsed_in_dialogs', 'flags2', 20, bare('true')),
        typed('id', bare('long')),
        cond('access_hash', 'flags', 13, bare('long')),
        typed('title', bare('string')),
        typed('photo', boxed('ChatPhoto')),
        typed('date', bare('int')),
        cond('admin_rights', 'flags', 14, boxed('ChatAdminRights')),
        cond('default_banned_rights', 'flags', 18, boxed('ChatBannedRights')),
      ],
      result: boxed('Chat'),
      source: { file: 'api.tl', line: 133, column: 1 },
    });
  });

  it('parses bare vectors, nested vectors and entries without ids from mtproto.tl', () => {
    const mtproto = parsed('mtproto.tl');
    expect(find(mtproto, 'future_salts')).toMatchObject({
      id: 0xae500895,
      params: [typed('req_msg_id', bare('long')), typed('now', bare('int')), typed('salts', bare('vector', bare('future_salt')))],
      result: boxed('FutureSalts'),
      source: { file: 'mtproto.tl', line: 81, column: 1 },
    });
    expect(find(mtproto, 'tlsBlockPermutation')).toEqual({
      kind: 'constructor',
      name: 'tlsBlockPermutation',
      namespace: '',
      id: undefined,
      generics: [],
      params: [typed('entries', boxed('Vector', boxed('Vector', boxed('TlsBlock'))))],
      result: boxed('TlsBlock'),
      source: { file: 'mtproto.tl', line: 114, column: 1 },
    });
    // mtproto.tl switches back to ---types--- after its first ---functions--- block.
    expect(find(mtproto, 'req_pq_multi').kind).toBe('method');
    expect(find(mtproto, 'msgs_ack').kind).toBe('constructor');
    expect(find(mtproto, 'ping').kind).toBe('method');
  });

  it('parses the service constructors with the ids from the mtproto.tl comments', () => {
    const service = parsed('service.tl');
    const ids = Object.fromEntries(service.entries.map((e) => [e.name, e.id]));
    expect(ids).toEqual({
      rpc_result: 0xf35c6d01,
      mt_message: undefined,
      msg_container: 0x73f1f8dc,
      msg_copy: 0xe06046b2,
      gzip_packed: 0x3072cfa1,
    });
    expect(find(service, 'msg_container').params).toEqual([typed('messages', bare('vector', bare('mt_message')))]);
    expect(find(service, 'rpc_result').params[1]).toEqual(typed('result', boxed('Object')));
    // The "parsed manually" comment lines of mtproto.tl, as written there, carry these same ids, and there
    // the ids are CRC-derived (service.tl renames `message`, which changes the CRC of two of them).
    const commented = parseSchema(
      files['mtproto.tl']
        .split('\n')
        .filter((line) => line.includes('// parsed manually'))
        .map((line) => line.slice(2, line.indexOf(';') + 1))
        .join('\n'),
      'mtproto.tl comments',
    );
    expect(commented.entries.map((e) => e.name)).toEqual(['rpc_result', 'message', 'msg_container', 'msg_copy', 'gzip_packed']);
    for (const entry of commented.entries) {
      expect(entry.id).toBe(entry.name === 'message' ? undefined : ids[entry.name]);
      if (entry.id !== undefined) expect(computedId(entry)).toBe(entry.id);
    }
  });

  it("reports the ids declared more than once (the invokeWith*Prefix methods reuse their counterparts' ids)", () => {
    const byId = new Map<number, string[]>();
    for (const entry of all().entries) {
      if (entry.id !== undefined) byId.set(entry.id, [...(byId.get(entry.id) ?? []), entry.name]);
    }
    const shared = [...byId.values()].filter((names) => names.length > 1);
    expect(shared).toEqual([
      ['invokeWithBusinessConnectionPrefix', 'invokeWithBusinessConnection'],
      ['invokeWithGooglePlayIntegrityPrefix', 'invokeWithGooglePlayIntegrity'],
      ['invokeWithApnsSecretPrefix', 'invokeWithApnsSecret'],
      ['invokeWithReCaptchaPrefix', 'invokeWithReCaptcha'],
    ]);
  });
});

describe('schema syntax', () => {
  it('handles comments, multi-line declarations, percent types and the LAYER comment', () => {
    const schema = parseSchema('// LAYER 99\n/* block\n comment */ a#1 x:int // trailing\n  y:%Foo = A; // after\nb = B;', 'c.tl');
    expect(schema.layer).toBe(99);
    expect(schema.entries.map((e) => printEntry(e))).toEqual(['a#00000001 x:int y:%Foo = A;', 'b = B;']);
    expect(schema.entries[0]!.source).toEqual({ file: 'c.tl', line: 3, column: 13 });
    expect(schema.entries[0]!.params[1]).toEqual(typed('y', { ...bare('Foo'), percent: true }));
    expect(schema.entries[1]!.source).toEqual({ file: 'c.tl', line: 5, column: 1 });
  });

  it.each([
    ['missing =', 'foo#12345678 a:int;', "bad.tl:1:19: expected a parameter name or '=', found ';'"],
    ['missing = before the type', 'foo a:int Foo;', "bad.tl:1:14: expected ':', found ';'"],
    ['bad id', 'foo#zz = Foo;', "bad.tl:1:5: expected a constructor id of 1 to 8 hex digits, found 'zz'"],
    ['id too long', 'foo#123456789 = Foo;', "bad.tl:1:5: expected a constructor id of 1 to 8 hex digits, found '123456789'"],
    ['unterminated at end of file', 'foo a:int = Foo', "bad.tl:1:16: expected ';', found end of file"],
    ['unterminated before the next one', 'foo = Foo\nbar = Bar;', "bad.tl:2:1: expected ';', found 'bar'"],
    ['bad flag bit', 'foo flags:# a:flags.x?int = Foo;', "bad.tl:1:21: expected a flag bit number, found 'x'"],
    ['flag bit too large', 'foo flags:# a:flags.32?int = Foo;', "bad.tl:1:21: expected a flag bit from 0 to 31, found '32'"],
    ['unknown flag field', 'foo flags:# a:fl.0?int = Foo;', "bad.tl:1:15: expected a field declared earlier with type '#', found 'fl'"],
    [
      'flag field declared later',
      'foo a:flags.0?int flags:# = Foo;',
      "bad.tl:1:7: expected a field declared earlier with type '#', found 'flags'",
    ],
    [
      'flag field that is not #',
      'foo flags:int a:flags.0?int = Foo;',
      "bad.tl:1:17: expected a field declared earlier with type '#', found 'flags'",
    ],
    ['missing ?', 'foo flags:# a:flags.0 = Foo;', "bad.tl:1:23: expected '?', found '='"],
    ['< unclosed', 'foo a:Vector<long = Foo;', "bad.tl:1:19: expected '>', found '='"],
    ['duplicate param', 'foo a:int a:long = Foo;', "bad.tl:1:11: expected a new parameter name, found 'a'"],
    ['duplicate generic', 'foo {X:Type} {X:Type} = X;', "bad.tl:1:15: expected a new generic type name, found 'X'"],
    ['! on a non-generic', 'foo q:!Foo = Foo;', "bad.tl:1:8: expected a generic type declared with '{X:Type}' after '!', found 'Foo'"],
    ['missing result type', 'foo = ;', "bad.tl:1:7: expected a type name, found ';'"],
    ['stray character', 'foo a:int @ = Foo;', "bad.tl:1:11: expected a parameter name or '=', found '@'"],
    ['bad section', '---fun---\n', "bad.tl:1:1: expected '---types---' or '---functions---', found '---fun---'"],
    ['unterminated builtin', 'int ? = Int', "bad.tl:1:12: expected ';', found end of file"],
    ['unclosed block comment', 'a = A;\n  /* no end', "bad.tl:2:3: expected '*/' closing this comment, found end of file"],
    [
      'position after a block comment',
      '/* a\nb */ foo a:int\n  b:zz.1?int = Foo;',
      "bad.tl:3:5: expected a field declared earlier with type '#', found 'zz'",
    ],
    ['conflicting LAYER comments', '// LAYER 1\n// LAYER 2\n', 'bad.tl:2:1: this says LAYER 2, but bad.tl:1:1 says LAYER 1'],
  ])('rejects %s with an exact position', (_, text, message) => {
    const error = schemaError(text);
    expect(error.message).toBe(message);
    expect(error).toBeInstanceOf(MtwireError);
    expect(error.code).toBe('TL_SCHEMA');
  });

  it('merges identical declarations from several files and rejects conflicting ones, naming both places', () => {
    const merged = parseSchemaFiles([
      { file: 'a.tl', text: 'int ? = Int;\nfoo#1 a:int = Foo;' },
      { file: 'b.tl', text: 'int ? = Int;\n\nfoo#00000001 a:int = Foo;\nbar = Bar;' },
    ]);
    expect(merged.entries.map((e) => [e.name, e.source.file])).toEqual([
      ['foo', 'a.tl'],
      ['bar', 'b.tl'],
    ]);
    expect(merged.builtins).toHaveLength(1);
    expect(() =>
      parseSchemaFiles([
        { file: 'a.tl', text: 'foo#1 a:int = Foo;' },
        { file: 'b.tl', text: '\n  foo#1 a:long = Foo;' },
      ]),
    ).toThrow("b.tl:2:3: 'foo' is declared again, differently from its declaration at a.tl:1:1");
    expect(() =>
      parseSchemaFiles([
        { file: 'a.tl', text: '// LAYER 227\n' },
        { file: 'b.tl', text: '\n// LAYER 228\n' },
      ]),
    ).toThrow('b.tl:2:1: this says LAYER 228, but a.tl:1:1 says LAYER 227');
    expect(() => parseSchema('foo = Foo;\n---functions---\nfoo = Foo;', 'k.tl')).toThrow(
      "k.tl:3:1: 'foo' is declared again, differently from its declaration at k.tl:1:1 (a name may be declared only once, or identically)",
    );
  });
});
