/** The CLI's argument parsing: `--name value` options, `--flag` switches and positional arguments. */

/** A mistake in how the command was called (exit code 2), as opposed to bad input data (exit code 1). */
export class UsageError extends Error {}

export interface ArgSpec {
  /** Options that take a value; the last one given wins. */
  values?: readonly string[];
  /** Options that take a value and may be given more than once. */
  lists?: readonly string[];
  /** Options without a value. */
  flags?: readonly string[];
}

export interface ParsedArgs {
  values: Map<string, string>;
  lists: Map<string, string[]>;
  flags: Set<string>;
  positional: string[];
}

/** `-` alone is positional (stdin); anything else starting with `-` must be an option the command knows. */
export function parseArgs(command: string, args: readonly string[], spec: ArgSpec): ParsedArgs {
  const parsed: ParsedArgs = { values: new Map(), lists: new Map(), flags: new Set(), positional: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-' || !arg.startsWith('-')) {
      parsed.positional.push(arg);
    } else if (spec.flags?.includes(arg)) {
      parsed.flags.add(arg);
    } else if (spec.values?.includes(arg) || spec.lists?.includes(arg)) {
      const value = args[++i];
      if (value === undefined || (value.startsWith('-') && value !== '-')) throw new UsageError(`${arg} needs a value`);
      if (spec.values?.includes(arg)) parsed.values.set(arg, value);
      else parsed.lists.set(arg, [...(parsed.lists.get(arg) ?? []), value]);
    } else {
      throw new UsageError(`${command} has no option ${arg} (see mtwire ${command} --help)`);
    }
  }
  return parsed;
}
