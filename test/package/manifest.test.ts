/** package.json as users meet it: the node10 type map follows `exports`, and the license files ship. */
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  license: string;
  files: string[];
  exports: Record<string, string | { types: string; default: string }>;
  typesVersions: { '*': Record<string, string[]> };
};

test('typesVersions gives node10 resolution the types of every subpath export, and nothing else', () => {
  const expected: Record<string, string[]> = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string' || subpath === '.') continue;
    expected[subpath.slice(2)] = [target.types];
  }
  expect(pkg.typesVersions['*']).toEqual(expected);
});

test('the MIT license and the changelog are published', () => {
  expect(pkg.license).toBe('MIT');
  expect(read('LICENSE')).toMatch(/^MIT License\n/);
  expect(read('CHANGELOG.md')).toMatch(/^# Changelog\n/);
  expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'schema', 'LICENSE', 'CHANGELOG.md']));
});
