/** The layer check (scripts/check-layers.mjs) over the real tree, and over small trees that break its rules. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { checkLayers, parseLayerTable, type LayerViolation } from '../../scripts/check-layers.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = join(root, 'scripts/check-layers.mjs');
const rules = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
const asLines = (violations: LayerViolation[]): string[] => violations.map(({ file, line, message }) => `${file}:${line}: ${message}`);

/** Files that keep every rule: own-layer, lower-layer, type-only, re-export and package-subpath imports. */
const lawful: Record<string, string> = {
  'src/base/errors.ts': 'export class BaseError extends Error {}\n',
  'src/crypto/hash.ts': [
    "import { sha256 } from '@noble/hashes/sha2.js';",
    "import { createHash } from 'node:crypto';",
    "import { BaseError } from '../base/errors.js';",
    'export { BaseError, createHash, sha256 };',
  ].join('\n'),
  'src/mtproto/envelope.ts': 'export const envelope = 1;\n',
  'src/mtproto/session.ts': [
    "import type { BaseError } from '../base/errors.js';",
    "import { sha256 } from '../crypto/hash.js';",
    "import { envelope } from './envelope.js';",
    'export const session = (error: BaseError) => [error, sha256, envelope];',
  ].join('\n'),
  'src/client/y.ts': "import { envelope } from '../mtproto/envelope.js';\nexport const y = envelope;\n",
  'src/index.ts': "export * from './client/y.js';\n",
};

/** One file for each way to break a rule. */
const unlawful: Record<string, string> = {
  'src/mtproto/x.ts': [
    "// import { z } from '../server/z.js' in a comment is not an import,",
    'const note = "nor is import \'../server/z.js\' in a string";',
    "import { y } from '../client/y.js';",
    'export const x = [note, y];',
  ].join('\n'),
  'src/mtproto/zip.ts': "import { gzipSync } from 'node:zlib';\nexport const zip = gzipSync;\n",
  'src/mtproto/types.ts': "\nimport type { Api } from '../generated/api/index.js';\nexport type Peer = Api.Peer;\n",
  'src/stray.ts': 'export const stray = 1;\n',
  'src/tl/all.ts': "export * from '../crypto/hash.js';\n",
  'src/crypto/lazy.ts': "export const connect = () => import('../transport/tcp.js');\n",
  'src/crypto/lookalike.ts': "import '@noble/hashes-lookalike';\n",
  'src/base/up.ts': "import '../../package.json';\n",
};

const unlawfulReport = [
  'src/base/up.ts:1: layer base imports package.json (no layer) — not allowed',
  'src/crypto/lazy.ts:1: layer crypto imports src/transport/tcp.ts (layer transport) — not allowed',
  'src/crypto/lookalike.ts:1: layer crypto imports @noble/hashes-lookalike (package) — not allowed',
  'src/mtproto/types.ts:2: layer mtproto imports src/generated/api/index.ts (layer api) — not allowed',
  'src/mtproto/x.ts:3: layer mtproto imports src/client/y.ts (layer client) — not allowed',
  'src/mtproto/zip.ts:1: layer mtproto imports node:zlib (package) — not allowed',
  'src/stray.ts:1: in no layer of the table — not allowed',
  'src/tl/all.ts:1: layer tl imports src/crypto/hash.ts (layer crypto) — not allowed',
];

const temporary = mkdtempSync(join(tmpdir(), 'mtwire-layers-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

/** A tree under the temporary folder with these files and the real ARCHITECTURE.md. */
function fixtureTree(name: string, files: Record<string, string>): string {
  const tree = join(temporary, name);
  for (const [path, text] of Object.entries({ ...files, 'ARCHITECTURE.md': rules })) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  return tree;
}

const runScript = (tree: string) => spawnSync(process.execPath, [script, tree], { encoding: 'utf8' });

test('the real tree keeps the rules of ARCHITECTURE.md', () => {
  const { files, violations } = checkLayers(root, rules);
  expect(asLines(violations)).toEqual([]);
  expect(files).toBeGreaterThan(100);
});

describe('a tree that breaks the rules', () => {
  test('each broken rule is one violation naming the file, the line and both layers', () => {
    const tree = fixtureTree('unlawful', { ...lawful, ...unlawful });
    expect(asLines(checkLayers(tree, rules).violations)).toEqual(unlawfulReport);
  });

  test('the script prints the violations and exits 1', () => {
    const result = runScript(fixtureTree('unlawful-script', { ...lawful, ...unlawful }));
    expect(result.status).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual(unlawfulReport);
    expect(result.stdout).toBe('');
  });
});

test('a tree that keeps the rules passes, and the script sums up what it checked', () => {
  const tree = fixtureTree('lawful', lawful);
  expect(checkLayers(tree, rules)).toEqual({ files: 6, imports: 8, violations: [] });
  const result = runScript(tree);
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe('check:layers: 6 files, 8 imports checked, no violations\n');
  expect(result.status).toBe(0);
});

describe('the table', () => {
  test('is read from ARCHITECTURE.md with every layer of the document', () => {
    const layers = parseLayerTable(rules);
    expect(layers.map((layer) => layer.name)).toContain('mtproto');
    expect(layers.find((layer) => layer.name === 'api')?.folders).toEqual(['src/generated/api/', 'src/api/']);
    expect(layers.find((layer) => layer.name === 'crypto')?.packages).toEqual(['node:crypto', '@noble/hashes']);
    expect(layers.find((layer) => layer.name === 'base')).toMatchObject({ layers: new Set(), packages: [] });
  });

  test('that is missing, or names a layer it does not define, is an error', () => {
    expect(() => parseLayerTable('# no table here')).toThrow('no layer table');
    const typo = rules.replace('| mtproto | `src/mtproto/` | service,', '| mtproto | `src/mtproto/` | servce,');
    expect(() => parseLayerTable(typo)).toThrow('layer mtproto may import servce, which is no layer');
  });
});
