/**
 * The `mtwire` command: generate a typed module from .tl files, encode/decode TL objects as hex ↔ JSON,
 * and compare two schemas. Pure apart from reading files: `runCli` returns what to print and the exit code.
 */
import { readFileSync } from 'node:fs';
import { MtwireError } from '../base/errors.js';
import { generate, writeGeneratedFiles } from '../codegen/generate.js';
import { diffSchemas } from '../schema/diff.js';
import { parseSchemaFiles } from '../schema/parser.js';
import { printEntry } from '../schema/printer.js';
import { parseArgs, UsageError } from './args.js';
import { InputError, readText, runDecode, runEncode, type CommandOutput, type ReadStdin } from './codec-commands.js';

const EXIT_CODES = `Exit codes:
  0  done (warnings, if any, on stderr)
  1  bad input: a schema error, JSON or hex that does not decode or encode (one line on stderr)
  2  bad usage: unknown command or option, a missing argument, a file that cannot be read`;

const INPUT = `Input: the argument, --file <path>, or stdin when there is no argument (or it is -).`;

const COMMAND_HELP = {
  gen: `mtwire gen <file.tl>... --out <dir> [options]
  Generate a typed TypeScript module set (codec.ts, registry.ts, result-writers.ts, descriptor.ts,
  schema.ts, index.ts, types/) from one or more TL schema files, merged in the order given.

Options:
  --out <dir>               where to write (its contents are replaced)
  --runtime <module>        where generated code imports the runtime from (default 'mtwire/tl')
  --layer <n>               the LAYER to export when the schema has no '// LAYER n' line
  --strict                  CRC mismatches and unknown types are errors, not warnings or skipped entries
  --allow-shared-id <name>  let <name> share its constructor id with another entry (repeatable)

Checks: two entries with one id are an error; an id that is not the CRC-32 of its declaration is a
warning naming the entry; an entry using an unknown type is skipped (listed) unless --strict.`,
  encode: `mtwire encode ['<json>' | --file <path> | -] [--schema <file.tl>... | --layer <n>]
  Serialize one boxed object and print it as hex. JSON shape: {"_": "name", camelCaseField: ...},
  long as a decimal string, bytes/int128/int256 as hex.
  ${INPUT}

Options:
  --file <path>             read the JSON from a file
  --schema <file.tl>        use this schema instead of mtwire's (layer 228 + MTProto service); repeatable
  --allow-shared-id <name>  with --schema: let <name> share its id with another entry (repeatable)
  --layer <n>               use the API schema of layer n (98-228; one never shipped: the nearest lower)`,
  decode: `mtwire decode [<hex> | --file <path> | -] [--schema <file.tl>... | --layer <n>] [--pretty]
  Deserialize one boxed object and print it as JSON (the shape encode reads), on one line.
  ${INPUT} Whitespace in the hex is ignored.

Options:
  --file <path>             read the hex from a file
  --schema <file.tl>        use this schema instead of mtwire's (layer 228 + MTProto service); repeatable
  --allow-shared-id <name>  with --schema: let <name> share its id with another entry (repeatable)
  --layer <n>               use the API schema of layer n (98-228; one never shipped: the nearest lower)
  --pretty                  indent the JSON`,
  diff: `mtwire diff <old.tl> <new.tl>
  List the constructors and methods added (+), removed (-) and changed (~: id, fields, type) between
  two versions of a schema. Entries are matched by name.`,
} as const;

type Command = keyof typeof COMMAND_HELP;

const HELP = `mtwire — TL code generator, codec and schema diff

Usage:
${Object.values(COMMAND_HELP)
  .map((text) => '  ' + text.split('\n')[0])
  .join('\n')}
  mtwire <command> --help    more about one command

${EXIT_CODES}`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(argv: readonly string[], readStdin: ReadStdin = () => readFileSync(0, 'utf8')): CliResult {
  const [command, ...args] = argv;
  try {
    if (command === undefined) return { code: 2, stdout: '', stderr: HELP };
    if (command === '--help' || command === '-h' || command === 'help') return help(args[0]);
    if (!isCommand(command)) throw new UsageError(`unknown command ${command} (see mtwire --help)`);
    if (args.includes('--help') || args.includes('-h')) return help(command);
    const { stdout, warnings } = COMMANDS[command](args, readStdin);
    return { code: 0, stdout, stderr: warnings.map((w) => `mtwire: warning: ${w}`).join('\n') };
  } catch (err) {
    if (err instanceof UsageError) return { code: 2, stdout: '', stderr: `mtwire: ${err.message}` };
    if (err instanceof InputError || err instanceof MtwireError) {
      return { code: 1, stdout: '', stderr: `mtwire: ${err.message.split('\n')[0]}` };
    }
    throw err;
  }
}

const COMMANDS: Record<Command, (args: readonly string[], readStdin: ReadStdin) => CommandOutput> = {
  gen: runGen,
  encode: runEncode,
  decode: runDecode,
  diff: runDiff,
};

function isCommand(name: string): name is Command {
  return Object.hasOwn(COMMAND_HELP, name);
}

function help(command: string | undefined): CliResult {
  if (command === undefined) return { code: 0, stdout: HELP, stderr: '' };
  if (!isCommand(command)) return { code: 2, stdout: '', stderr: `mtwire: unknown command ${command} (see mtwire --help)` };
  return { code: 0, stdout: `${COMMAND_HELP[command]}\n\n${EXIT_CODES}`, stderr: '' };
}

function runGen(args: readonly string[]): CommandOutput {
  const parsed = parseArgs('gen', args, {
    values: ['--out', '--runtime', '--layer'],
    lists: ['--allow-shared-id'],
    flags: ['--strict'],
  });
  const out = parsed.values.get('--out');
  if (!out) throw new UsageError('gen needs --out <dir>');
  if (!parsed.positional.length) throw new UsageError('gen needs at least one .tl file');
  const layerText = parsed.values.get('--layer');
  const layer = layerText === undefined ? undefined : Number(layerText);
  if (layer !== undefined && !Number.isInteger(layer)) throw new UsageError(`--layer must be a whole number, got ${layerText}`);
  const files = parsed.positional.map((file) => ({ file, text: readText(file) }));
  const result = generate(parseSchemaFiles(files), {
    runtime: parsed.values.get('--runtime'),
    layer,
    sources: parsed.positional,
    strict: parsed.flags.has('--strict'),
    sharedIds: parsed.lists.get('--allow-shared-id'),
  });
  writeGeneratedFiles(out, result.files);
  const skipped = result.skipped.map((s) => `\n  skipped ${s.name}: ${s.reason}`).join('');
  return { stdout: `wrote ${result.files.size} files to ${out}${skipped}`, warnings: result.warnings };
}

function runDiff(args: readonly string[]): CommandOutput {
  const { positional } = parseArgs('diff', args, {});
  const [before, after] = positional;
  if (positional.length !== 2 || !before || !after) throw new UsageError('diff takes two .tl files: old, then new');
  const read = (file: string) => parseSchemaFiles([{ file, text: readText(file) }]);
  const diff = diffSchemas(read(before), read(after));
  const lines = [
    ...diff.added.map((e) => `+ ${e.kind} ${printEntry(e)}`),
    ...diff.removed.map((e) => `- ${e.kind} ${printEntry(e)}`),
    ...diff.changed.map((c) => `~ ${c.kind} ${c.name}: ${c.changes.join('; ')}`),
  ];
  const counts = `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`;
  return { stdout: [...lines, counts].join('\n'), warnings: [] };
}
