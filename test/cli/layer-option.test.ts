/** `mtwire encode/decode --layer n`: bytes of an older API layer, read and written with that layer's stored schema. */
import { expect, test } from 'vitest';
import { cli } from './helpers.js';

// userEmpty is `userEmpty#200250ba id:int` in layer 98 and `userEmpty#d3bc4b7a id:long` in 228.
const userEmpty98 = 'ba50022005000000';

test('encode --layer 98 writes layer 98’s userEmpty; decode --layer 98 reads it back', () => {
  expect(cli(['encode', '--layer', '98', '{"_":"userEmpty","id":5}'])).toEqual({ code: 0, stdout: userEmpty98, stderr: '' });
  expect(cli(['decode', '--layer', '98', userEmpty98])).toEqual({ code: 0, stdout: '{"_":"userEmpty","id":5}', stderr: '' });
});

test('without --layer the same bytes are no constructor of layer 228', () => {
  const result = cli(['decode', userEmpty98]);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe('mtwire: unknown constructor #200250ba at byte offset 0: no constructor or method of the schema has this id');
});

test('a layer tdlib never shipped reads as the nearest lower one, with a warning', () => {
  // help.getConfig (#c4f9186b), the same in every layer.
  expect(cli(['decode', '--layer', '141', '6b18f9c4'])).toEqual({
    code: 0,
    stdout: '{"_":"help.getConfig"}',
    stderr: 'mtwire: warning: layer 141 was never shipped; using layer 140, the nearest lower one',
  });
});

test('a layer outside 98-228, a bad number, or --layer with --schema is a usage error', () => {
  expect(cli(['decode', '--layer', '97', '00'])).toEqual({ code: 2, stdout: '', stderr: 'mtwire: --layer must be from 98 to 228, got 97' });
  expect(cli(['decode', '--layer', '229', '00'])).toMatchObject({ code: 2, stderr: 'mtwire: --layer must be from 98 to 228, got 229' });
  expect(cli(['decode', '--layer', 'x1', '00'])).toMatchObject({ code: 2, stderr: 'mtwire: --layer must be a whole number, got x1' });
  expect(cli(['decode', '--layer', '144', '--schema', 'a.tl', '00'])).toMatchObject({
    code: 2,
    stderr: 'mtwire: --layer and --schema both name a schema: give one',
  });
});
