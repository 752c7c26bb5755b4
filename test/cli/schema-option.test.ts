/**
 * `mtwire encode/decode --schema my.tl`: the CLI reads the user's schema at run time and encodes through
 * its descriptor; the bytes must equal those of the module `mtwire gen` generates from the same schema.
 */
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { LIBRARY_ID_EXCEPTIONS, LIBRARY_SCHEMA_FILES } from '../../src/codegen/build-library.js';
import { fixtureText } from '../helpers.js';
import { cli, root, withDerivedIds, workDir, writeWorkFile } from './helpers.js';

const schema = withDerivedIds(`
user.profile flags:# flags2:# name:string verified:flags.0?true age:flags.1?int bot:flags2.3?Bool ids:Vector<long> avatar:flags.2?bytes = user.Profile;
user.empty = user.Profile;
user.name text:string = user.Name;
user.pair first:user.Profile second:%user.Name = user.Pair;
---functions---
user.get id:long = user.Profile;
invokeTwice {X:Type} query:!X = X;
`);

const profile = {
  _: 'user.profile',
  name: 'ann',
  verified: true,
  bot: false,
  ids: ['1', '-2', '18446744073709551615'],
  avatar: '00ff',
};

interface UserModule {
  writeAny: (w: unknown, v: unknown) => void;
  readAny: (r: unknown) => unknown;
}

describe('mtwire encode / decode --schema', () => {
  const tl = writeWorkFile('user.tl', schema);

  test('gives the bytes of the generated module, and decodes them back', async () => {
    const out = join(workDir, 'user-module');
    expect(cli(['gen', tl, '--out', out, '--runtime', '../../../../src/tl/runtime.js'])).toMatchObject({ code: 0, stderr: '' });
    const mod = (await import(join(out, 'registry.ts'))) as UserModule;
    const { DESCRIPTOR } = await import(join(out, 'descriptor.ts'));
    const runtime = await import('../../src/tl/runtime.js');
    const values = [
      profile,
      { ...profile, age: 7, verified: false, bot: true },
      { _: 'user.empty' },
      { _: 'user.pair', first: { _: 'user.empty' }, second: { text: 'bare' } },
      { _: 'invokeTwice', query: { _: 'user.get', id: '42' } },
    ];
    for (const json of values) {
      const expected = runtime.encodeWith(mod.writeAny, runtime.objectFromJsonWith(DESCRIPTOR, json));
      const hex = Buffer.from(expected).toString('hex');
      expect(cli(['encode', JSON.stringify(json), '--schema', tl]), json._).toEqual({ code: 0, stdout: hex, stderr: '' });
      const decoded = cli(['decode', hex, '--schema', tl]);
      expect(decoded.code).toBe(0);
      expect(decoded.stdout).toBe(JSON.stringify(runtime.objectToJson(runtime.decodeWith(mod.readAny, expected))));
    }
  });

  test('errors name the field path and the unknown id in the user schema', () => {
    const bad = { ...profile, ids: ['1', '99999999999999999999'] };
    expect(cli(['encode', JSON.stringify(bad), '--schema', tl])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'mtwire: ids[1]: expected long from -2^63 to 2^64-1, got "99999999999999999999"',
    });
    const wrongType = { _: 'user.pair', first: { _: 'user.get', id: '1' }, second: profile };
    expect(cli(['encode', JSON.stringify(wrongType), '--schema', tl]).stderr).toBe(
      'mtwire: first: expected a constructor of type user.Profile, got "user.get"',
    );
    expect(cli(['decode', '15c4b51c00000000', '--schema', tl]).stderr).toBe(
      'mtwire: unknown constructor #1cb5c415 at byte offset 0: no constructor or method of the schema has this id',
    );
    expect(cli(['encode', '{"_":"inputUser","userId":"1","accessHash":"1"}', '--schema', tl]).stderr).toBe(
      'mtwire: expected `_` to name a constructor or method of the schema, got "inputUser"',
    );
  });

  test('a schema error stops the command with its position, exit 1; a CRC mismatch is a warning', () => {
    const broken = writeWorkFile('broken.tl', 'a#00000001 x:int = A;\nb#00000001 y:int = A;\n');
    expect(cli(['decode', '00', '--schema', broken])).toEqual({
      code: 1,
      stdout: '',
      stderr: `mtwire: ${broken}:2:1: 'b' has the id #00000001, which 'a' at ${broken}:1:1 already has (ids must be unique; list intended aliases as shared ids)`,
    });
    const mismatched = writeWorkFile('mismatched.tl', 'a#00000001 x:int = A;\n');
    const result = cli(['decode', '0100000007000000', '--schema', mismatched]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('{"_":"a","x":7}');
    expect(result.stderr).toMatch(/^mtwire: warning: .*mismatched\.tl:1:1: 'a' is declared with the id #00000001, but the CRC-32/);
  });
});

describe('mtwire encode / decode --schema with mtwire’s own schema files', () => {
  const files = LIBRARY_SCHEMA_FILES.flatMap((file) => ['--schema', join(root, file)]);
  const shared = LIBRARY_ID_EXCEPTIONS.sharedIds.flatMap((name) => ['--allow-shared-id', name]);

  test.each(['a', 'b1', 'b50', 'c'])('the %s payload: the same bytes and JSON as the generated API', (payload) => {
    const hex = fixtureText(`payloads/${payload}.L228.hex`).trim();
    const builtIn = cli(['decode', hex]);
    const viaSchema = cli(['decode', hex, ...files, ...shared]);
    expect(viaSchema.code).toBe(0);
    expect(viaSchema.stdout).toBe(builtIn.stdout);
    // mtwire's known CRC exceptions are warnings here: the CLI has no list of them.
    expect(viaSchema.stderr.split('\n')).toHaveLength(LIBRARY_ID_EXCEPTIONS.underivedIds.length);
    expect(cli(['encode', ...files, ...shared], viaSchema.stdout).stdout).toBe(hex);
  });

  test('without --allow-shared-id, tdlib’s invokeWith…Prefix ids are an error', () => {
    expect(cli(['decode', '00', ...files]).stderr).toMatch(
      /^mtwire: .*api\.tl:\d+:1: 'invokeWith\w+' has the id #\w{8}, which 'invokeWith\w+' at /,
    );
  });
});
