/** Running the CLI in-process, with files in test/.generated/cli and schemas whose ids follow the CRC rule. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../../src/cli/cli.js';
import { hexId } from '../../src/base/errors.js';
import { computedId } from '../../src/schema/crc.js';
import { parseSchema } from '../../src/schema/parser.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const workDir = join(root, 'test/.generated/cli');

/** Runs `mtwire …args`; stdin, when given, is what the command reads if it reads stdin. */
export function cli(args: string[], stdin?: string): CliResult {
  return runCli(args, () => {
    if (stdin === undefined) throw new Error('the command read stdin, which this test does not expect');
    return stdin;
  });
}

/** Writes a file under the work folder and returns its path. */
export function writeWorkFile(name: string, text: string): string {
  mkdirSync(workDir, { recursive: true });
  const path = join(workDir, name);
  writeFileSync(path, text);
  return path;
}

/** Gives every declaration without an id the id its text derives, so a schema passes the CRC check. */
export function withDerivedIds(schema: string): string {
  return schema
    .split('\n')
    .map((line) => {
      if (!line.trim().endsWith(';')) return line;
      const entry = parseSchema(line, 'line.tl').entries[0]!;
      if (entry.id !== undefined) return line;
      return line.replace(/^(\s*[\w.]+)/, `$1${hexId(computedId(entry))}`);
    })
    .join('\n');
}
