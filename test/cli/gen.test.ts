/** `mtwire gen`: the schema checks as a user meets them (messages with file:line:column, exit codes). */
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { cli, withDerivedIds, workDir, writeWorkFile } from './helpers.js';

const out = join(workDir, 'gen-out');

describe('mtwire gen schema checks', () => {
  test('a clean schema: the files written, no warnings, exit 0', () => {
    const tl = writeWorkFile('clean.tl', withDerivedIds('point x:int y:int = Point;\n---functions---\ncenter p:Point = Point;\n'));
    expect(cli(['gen', tl, '--out', out])).toEqual({ code: 0, stdout: `wrote 7 files to ${out}`, stderr: '' });
  });

  test('two names with one id: an error at the second, exit 1; --allow-shared-id accepts it', () => {
    const point = withDerivedIds('point x:int = Point;');
    const id = /#(\w{8})/.exec(point)![1];
    const tl = writeWorkFile('shared.tl', `${point}\nalias#${id} x:int = Point;\n`);
    expect(cli(['gen', tl, '--out', out])).toEqual({
      code: 1,
      stdout: '',
      stderr: `mtwire: ${tl}:2:1: 'alias' has the id #${id}, which 'point' at ${tl}:1:1 already has (ids must be unique; list intended aliases as shared ids)`,
    });
    const allowed = cli(['gen', tl, '--out', out, '--allow-shared-id', 'alias']);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain(`mtwire: warning: ${tl}:2:1: 'alias' is declared with the id #${id}, but the CRC-32`);
  });

  test('a name declared twice, differently: an error in plain words, exit 1', () => {
    const tl = writeWorkFile('twice.tl', 'a#00000001 x:int = A;\na#00000001 x:long = A;\n');
    expect(cli(['gen', tl, '--out', out])).toEqual({
      code: 1,
      stdout: '',
      stderr: `mtwire: ${tl}:2:1: 'a' is declared again, differently from its declaration at ${tl}:1:1 (a name may be declared only once, or identically)`,
    });
  });

  test('wrong ids: one warning per entry, exit 0; under --strict an error, exit 1', () => {
    const tl = writeWorkFile('wrong-ids.tl', 'a#deadbeef x:int = A;\nb#00000002 y:int = A;\n');
    const result = cli(['gen', tl, '--out', out]);
    expect(result.code).toBe(0);
    const warnings = result.stderr.split('\n');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      new RegExp(`^mtwire: warning: ${tl}:1:1: 'a' is declared with the id #deadbeef, but the CRC-32 of its declaration is #[0-9a-f]{8}$`),
    );
    expect(warnings[1]).toContain(`${tl}:2:1: 'b' is declared with the id #00000002`);
    const strict = cli(['gen', tl, '--out', out, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(warnings[0]!.replace('warning: ', ''));
  });

  test('an unknown type: the entry is skipped (listed), exit 0; under --strict an error at the type, exit 1', () => {
    const tl = writeWorkFile('unknown-type.tl', withDerivedIds('point x:int = Point;\nline a:Point   b:Pont = Line;\n'));
    const result = cli(['gen', tl, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`skipped line: ${tl}:2:27: line: unknown type Pont`);
    expect(cli(['gen', tl, '--out', out, '--strict'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `mtwire: ${tl}:2:27: line: unknown type Pont`,
    });
  });

  test('a syntax error: its position and what was expected, exit 1', () => {
    const tl = writeWorkFile('syntax.tl', 'point#00000001 x:int y = Point;\n');
    expect(cli(['gen', tl, '--out', out])).toEqual({ code: 1, stdout: '', stderr: `mtwire: ${tl}:1:24: expected ':', found '='` });
  });
});
