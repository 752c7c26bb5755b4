/** `mtwire encode` / `mtwire decode` over mtwire's own schema: the three inputs, the output, and each error. */
import { describe, expect, test } from 'vitest';
import { fixtureJson, fixtureText } from '../helpers.js';
import { cli, writeWorkFile } from './helpers.js';

const inputUser = '{"_":"inputUser","userId":"5","accessHash":"1"}';
const inputUserHex = 'c65811f205000000000000000100000000000000';

describe('mtwire encode / decode input and output', () => {
  test('encode a.L228.json gives a.L228.hex, decode gives the JSON back', () => {
    const json = fixtureJson('payloads/a.L228.json');
    const hex = fixtureText('payloads/a.L228.hex').trim();
    expect(cli(['encode', JSON.stringify(json)])).toEqual({ code: 0, stdout: hex, stderr: '' });
    const decoded = cli(['decode', hex]);
    expect(decoded.code).toBe(0);
    expect(JSON.parse(decoded.stdout)).toEqual(json);
  });

  test('the input may be the argument, a --file, stdin, or stdin named by -', () => {
    const jsonFile = writeWorkFile('input-user.json', inputUser + '\n');
    const hexFile = writeWorkFile('input-user.hex', inputUserHex.replace(/(.{8})/g, '$1 ') + '\n');
    for (const result of [
      cli(['encode', inputUser]),
      cli(['encode', '--file', jsonFile]),
      cli(['encode'], inputUser),
      cli(['encode', '-'], inputUser),
    ]) {
      expect(result).toEqual({ code: 0, stdout: inputUserHex, stderr: '' });
    }
    for (const result of [
      cli(['decode', inputUserHex]),
      cli(['decode', ...inputUserHex.match(/.{8}/g)!]),
      cli(['decode', '--file', hexFile]),
      cli(['decode'], inputUserHex + '\n'),
      cli(['decode', '-'], inputUserHex),
    ]) {
      expect(result).toEqual({ code: 0, stdout: inputUser, stderr: '' });
    }
  });

  test('decode prints compact JSON that encode takes back; --pretty indents', () => {
    const hex = fixtureText('payloads/b50.L228.hex').trim();
    const compact = cli(['decode', hex]).stdout;
    expect(compact).not.toContain('\n');
    expect(cli(['encode'], compact).stdout).toBe(hex);
    const pretty = cli(['decode', hex, '--pretty']).stdout;
    expect(pretty).toContain('\n  "_": ');
    expect(JSON.parse(pretty)).toEqual(JSON.parse(compact));
  });
});

describe('mtwire encode / decode errors: one line, exit 1', () => {
  const cases: [string[], string | undefined, string][] = [
    [['decode', 'zz'], undefined, "decode input is not hex: 'z' at character 1"],
    [['decode', ''], undefined, 'decode got no input: give it as an argument, with --file <path>, or on stdin'],
    [['decode'], ' \n', 'decode got no input: give it as an argument, with --file <path>, or on stdin'],
    [['decode', 'abc'], undefined, 'decode input has an odd number of hex digits (3); a byte is two'],
    [
      ['decode', '78563412'],
      undefined,
      'unknown constructor #12345678 at byte offset 0: no constructor or method of the schema has this id',
    ],
    // inputUser whose body ends inside user_id.
    [['decode', 'c65811f201000000'], undefined, 'input ends: need 8 bytes, 4 left at byte offset 4'],
    [['encode', ''], undefined, 'encode got no input: give it as an argument, with --file <path>, or on stdin'],
    [['encode', '{'], undefined, 'encode input is not JSON: '],
    [['encode', '{"_":"nope"}'], undefined, 'expected `_` to name a constructor or method of the schema, got "nope"'],
    [['encode', '[1]'], undefined, 'expected an object with a known `_`, got '],
    [
      ['encode', '{"_":"inputUser","userId":"99999999999999999999","accessHash":"1"}'],
      undefined,
      'userId: expected long from -2^63 to 2^64-1, got "99999999999999999999"',
    ],
    [
      ['encode', '{"_":"inputPeerUser","userId":"1","accessHash":"x"}'],
      undefined,
      'accessHash: expected long as a decimal string, got "x"',
    ],
  ];
  test.each(cases)('%j', (args, stdin, message) => {
    const result = cli(args, stdin);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^mtwire: [^\n]+$/);
    expect(result.stderr).toContain(`mtwire: ${message}`);
  });

  test('an out-of-range number inside a nested object names the whole field path', () => {
    const json = { _: 'messages.getHistory', peer: { _: 'inputPeerUser', userId: '1', accessHash: '18446744073709551616' } };
    expect(cli(['encode', JSON.stringify(json)])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('peer.accessHash: expected long'),
    });
  });
});
