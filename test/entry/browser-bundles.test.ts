/**
 * The browser entry points bundle for `--platform=browser` without a Node built-in, the two programs of
 * issue 15 stay within their gzip budgets, and the client's bundle carries only the generated functions a
 * client can use. The check finds a Node import where there is one.
 */
import { describe, expect, test } from 'vitest';
import { BROWSER_ENTRIES, bundleForBrowser, checkBundles, CLIENT_GET_CONFIG, GZIP_BUDGETS } from '../../scripts/check-bundles.mjs';

const checked = checkBundles();

describe('browser bundles', () => {
  test('no entry a browser uses imports a Node built-in, and every one bundles', async () => {
    const { bundles, nodeImports } = await checked;
    expect(nodeImports).toEqual([]);
    expect(bundles.map((b) => b.name)).toEqual([...Object.keys(BROWSER_ENTRIES), 'client + help.getConfig', 'phone.requestCall encode']);
    for (const b of bundles) expect(b.minified, b.name).toBeGreaterThan(300); // each is real code, not an empty module
  });

  test('client + help.getConfig is at most 250 KB gzip, phone.requestCall encode at most 10 KB', async () => {
    expect(GZIP_BUDGETS).toEqual({ 'client + help.getConfig': 250 * 1024, 'phone.requestCall encode': 10 * 1024 });
    const { bundles, overBudget } = await checked;
    expect(overBudget).toEqual([]);
    const gzip = Object.fromEntries(bundles.map((b) => [b.name, b.gzip]));
    expect(gzip['client + help.getConfig']).toBeLessThanOrEqual(250 * 1024);
    expect(gzip['phone.requestCall encode']).toBeLessThanOrEqual(10 * 1024);
  });

  test('the client carries no method reader and no writer of what only a server sends', async () => {
    // Unminified names: the API's generated writers are `wc_<constructor>` (the service schema's are few).
    const { text } = await bundleForBrowser('client', { source: CLIENT_GET_CONFIG }, { generatedNames: true });
    const has = (fn: string) => new RegExp(`\\bfunction ${fn.replace(/\$/g, '\\$')}\\(`).test(text);
    // Answers and updates: read by the client, written only by a server.
    for (const fn of ['wc_config', 'wc_message', 'wc_updateNewMessage', 'wc_messages$messages', 'wc_auth$sentCode']) {
      expect(has(fn), fn).toBe(false);
    }
    // What the client does use: the writers of the methods it sends and of their parameters, every constructor reader.
    for (const fn of ['wm_help$getConfig', 'wm_messages$sendMessage', 'wc_inputPeerUser', 'rc_config', 'rc_updateNewMessage']) {
      expect(has(fn), fn).toBe(true);
    }
    // Method readers: a client writes methods and never reads one. The program's own `help` namespace import
    // keeps help's entry values (and each its reader); the rest are the service schema's, for the handshake.
    for (const fn of ['rm_messages$sendMessage', 'rm_invokeWithLayer', 'rm_initConnection', 'rm_upload$saveFilePart', 'rm_auth$signIn']) {
      expect(has(fn), fn).toBe(false);
    }
    const methodReaders = (text.match(/\bfunction rm_[\w$]+\(/g) ?? []).filter((fn) => !fn.includes('rm_help$'));
    expect(methodReaders.length).toBeLessThanOrEqual(10);
    const writers = text.match(/\bfunction wc_[\w$]+\(/g) ?? [];
    const readers = text.match(/\bfunction rc_[\w$]+\(/g) ?? [];
    expect(writers.length).toBeLessThan(readers.length / 2);
  });

  test('the check finds a Node import, and names the file that makes it', async () => {
    // The test server is Node-only: its RSA key generation imports node:crypto.
    const server = await bundleForBrowser('mtwire/server', { file: 'src/server/index.ts' });
    expect(server.nodeImports).toContain('src/crypto/rsa-keygen.ts imports node:crypto');
    const bare = await bundleForBrowser('bare', { source: "import { gzipSync } from 'zlib'; export const z = gzipSync;" });
    expect(bare.nodeImports).toEqual(['<stdin> imports zlib']);
  });
});
