/** `mtwire --help`, `mtwire <command> --help`, and usage errors: exit code 2 with one line. */
import { describe, expect, test } from 'vitest';
import { cli } from './helpers.js';

describe('mtwire help', () => {
  test('--help, -h and help list every command and the exit codes, exit 0', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const result = cli(args);
      expect(result.code).toBe(0);
      for (const usage of ['mtwire gen <file.tl>...', 'mtwire encode', 'mtwire decode', 'mtwire diff <old.tl> <new.tl>']) {
        expect(result.stdout).toContain(usage);
      }
      expect(result.stdout).toContain('Exit codes:\n  0  done');
      expect(result.stderr).toBe('');
    }
  });

  test('no command prints the help on stderr, exit 2', () => {
    const result = cli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('mtwire <command> --help');
  });

  test('each command has its own --help, anywhere among its arguments', () => {
    const options = { gen: '--allow-shared-id', encode: '--schema', decode: '--pretty', diff: 'added (+)' };
    for (const [command, text] of Object.entries(options)) {
      for (const args of [
        [command, '--help'],
        [command, 'x.tl', '-h'],
        ['help', command],
      ]) {
        const result = cli(args);
        expect(result.code, args.join(' ')).toBe(0);
        expect(result.stdout).toContain(`mtwire ${command}`);
        expect(result.stdout).toContain(text);
        expect(result.stdout).toContain('Exit codes:');
      }
    }
  });

  test('usage errors name the problem on one line, exit 2', () => {
    const cases: [string[], string][] = [
      [['frobnicate'], 'mtwire: unknown command frobnicate (see mtwire --help)'],
      [['help', 'frobnicate'], 'mtwire: unknown command frobnicate (see mtwire --help)'],
      [['gen'], 'mtwire: gen needs --out <dir>'],
      [['gen', '--out', 'x'], 'mtwire: gen needs at least one .tl file'],
      [['gen', 'x.tl', '--out'], 'mtwire: --out needs a value'],
      [['gen', 'x.tl', '--out', 'o', '--layer', 'two'], 'mtwire: --layer must be a whole number, got two'],
      [['gen', 'x.tl', '--out', 'o', '--frob'], 'mtwire: gen has no option --frob (see mtwire gen --help)'],
      [['gen', 'missing.tl', '--out', 'o'], 'mtwire: cannot read missing.tl: ENOENT'],
      [['encode', '{}', '{}'], 'mtwire: encode takes one JSON argument (quote it), a --file or stdin'],
      [['decode', '00', '--file', 'x'], 'mtwire: decode takes its input either as an argument or with --file, not both'],
      [['decode', '--file', 'missing.hex'], 'mtwire: cannot read missing.hex: ENOENT'],
      [['diff', 'a.tl'], 'mtwire: diff takes two .tl files: old, then new'],
    ];
    for (const [args, message] of cases) {
      expect(cli(args), args.join(' ')).toEqual({ code: 2, stdout: '', stderr: message });
    }
  });
});
