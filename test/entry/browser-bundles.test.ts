/** The browser entry points bundle for `--platform=browser` without a Node built-in; the check finds one where there is. */
import { describe, expect, test } from 'vitest';
import { BROWSER_ENTRIES, bundleForBrowser, checkBundles } from '../../scripts/check-bundles.mjs';

describe('browser bundles', () => {
  test('no entry a browser uses imports a Node built-in, and every one bundles', async () => {
    const { bundles, nodeImports } = await checkBundles();
    expect(nodeImports).toEqual([]);
    expect(bundles.map((b) => b.name)).toEqual([...Object.keys(BROWSER_ENTRIES), 'client + help.getConfig', 'phone.requestCall encode']);
    for (const b of bundles) expect(b.minified, b.name).toBeGreaterThan(300); // each is real code, not an empty module
  });

  test('the check finds a Node import, and names the file that makes it', async () => {
    // The test server is Node-only: its RSA key generation imports node:crypto.
    const server = await bundleForBrowser('mtwire/server', { file: 'src/server/index.ts' });
    expect(server.nodeImports).toContain('src/crypto/rsa-keygen.ts imports node:crypto');
    const bare = await bundleForBrowser('bare', { source: "import { gzipSync } from 'zlib'; export const z = gzipSync;" });
    expect(bare.nodeImports).toEqual(['<stdin> imports zlib']);
  });
});
