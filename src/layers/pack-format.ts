/**
 * The form in which the layer store keeps descriptor lines (format: base/descriptor-format.ts). A
 * descriptor refers to boxed types by their index in its type line, and that index differs from layer to
 * layer, so a declaration unchanged for years would be a different line in every layer. The store writes
 * each type reference as `@Name` instead, which makes a line depend on its declaration only, and turns a
 * layer's lines back into a descriptor by numbering the names in order of first appearance, the order in
 * which the generator numbers them, so the text is the generator's own.
 */
import { DESCRIPTOR_HEADER, DESCRIPTOR_MARKS as MARK } from '../base/descriptor-format.js';

/** Marks a type written by name in a stored line; no descriptor line uses it. */
const TYPE_NAME = '@';
/** A type reference in a descriptor line: after the type slot's space or a field's `:` / `?`, past vector marks. */
const INDEXED = /([ :?][*~]*)(\d+)(?=[ ]|$)/g;
const NAMED = /([ :?][*~]*)@([^ ]+)/g;

/** A descriptor's entry lines with every type index written as `@Name`, and where the methods start. */
export function toStoredLines(descriptor: string): { lines: string[]; constructorCount: number } {
  const [header, typeLine = '', ...entries] = descriptor.split('\n');
  if (header !== DESCRIPTOR_HEADER) throw new Error(`not a descriptor: ${header?.slice(0, 40)}`);
  const types = typeLine ? typeLine.split(' ') : [];
  const constructorCount = entries.indexOf(MARK.methods);
  const lines = entries
    .filter((_, i) => i !== constructorCount)
    .map((line) =>
      line.replace(INDEXED, (_, before: string, index: string) => {
        const name = types[Number(index)];
        if (name === undefined) throw new Error(`type index ${index} out of range in "${line.slice(0, 60)}"`);
        return before + TYPE_NAME + name;
      }),
    );
  return { lines, constructorCount };
}

/** The descriptor text of stored lines: the first `constructorCount` are constructors, the rest methods. */
export function fromStoredLines(lines: readonly string[], constructorCount: number): string {
  const indices = new Map<string, number>();
  const entries = lines.map((line) =>
    line.replace(NAMED, (_, before: string, name: string) => {
      let index = indices.get(name);
      if (index === undefined) indices.set(name, (index = indices.size));
      return before + index;
    }),
  );
  entries.splice(constructorCount, 0, MARK.methods);
  return [DESCRIPTOR_HEADER, [...indices.keys()].join(' '), ...entries].join('\n');
}

/**
 * A list of line numbers as runs of consecutive numbers, in base 36: `a` for one number, `a+n` for a
 * and the n after it, separated by `,`. A layer keeps most of the previous layer's lines in their
 * order, so its list is a few hundred runs, not thousands of numbers.
 */
export function encodeRuns(indices: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < indices.length;) {
    let end = i;
    while (end + 1 < indices.length && indices[end + 1] === indices[end]! + 1) end++;
    runs.push(end === i ? indices[i]!.toString(36) : `${indices[i]!.toString(36)}+${(end - i).toString(36)}`);
    i = end + 1;
  }
  return runs.join(',');
}

export function decodeRuns(text: string): number[] {
  const indices: number[] = [];
  if (!text) return indices;
  for (const run of text.split(',')) {
    const plus = run.indexOf('+');
    const start = parseInt(plus < 0 ? run : run.slice(0, plus), 36);
    const extra = plus < 0 ? 0 : parseInt(run.slice(plus + 1), 36);
    for (let i = 0; i <= extra; i++) indices.push(start + i);
  }
  return indices;
}
