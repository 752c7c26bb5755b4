import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every module and package that loading `entry` loads: its static imports, followed (type-only ones are erased). */
function staticImports(entry: string): Set<string> {
  const reached = new Set<string>();
  const visit = (file: string) => {
    const name = relative(src, file);
    if (reached.has(name)) return;
    reached.add(name);
    const text = readFileSync(file, 'utf8');
    for (const [, from, bare] of text.matchAll(
      /^(?:import|export)(?!\s+type\s)[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^import\s*['"]([^'"]+)['"]/gm,
    )) {
      const specifier = (from ?? bare)!;
      if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else reached.add(specifier);
    }
  };
  visit(join(src, entry));
  return reached;
}

describe("what `import { Api } from 'mtwire'` loads", () => {
  const loaded = staticImports('index.ts');

  test('the client, but not its socket adapters, which load with the first connection', () => {
    expect(loaded).toContain('client/link.ts');
    for (const lazy of ['transport/tcp.ts', 'transport/websocket.ts', 'ws', 'node:net', 'node:http']) expect(loaded).not.toContain(lazy);
  });

  test('not node:crypto, which the providers load on first use', () => {
    expect(loaded).toContain('crypto/node.ts');
    expect(loaded).not.toContain('node:crypto');
  });
});
