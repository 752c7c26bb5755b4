// The browser bundles: each entry point a browser uses, bundled by esbuild for `--platform=browser` from
// src/, must import no Node built-in (`node:zlib` or bare `zlib` alike), and the two programs of issue 15
// must stay within their gzip budgets. `node scripts/check-bundles.mjs` prints each bundle's size and exits 1
// on any Node import or budget overrun (so `.ci/run` fails). test/entry/browser-bundles.test.ts runs the
// same checks, and looks inside the client's bundle for the generated functions it must not carry.
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(fileURLToPath(import.meta.url), '../..');

/** The package's browser entry points (package.json `exports`), by the source file each is built from. */
export const BROWSER_ENTRIES = {
  mtwire: 'src/index.ts',
  'mtwire/client': 'src/client/index.ts',
  'mtwire/crypto': 'src/crypto/index.ts',
  'mtwire/mtproto': 'src/mtproto/index.ts',
  'mtwire/transport': 'src/transport/index.ts',
  'mtwire/calls': 'src/calls/index.ts',
  'mtwire/api': 'src/generated/api/types/index.ts',
  'mtwire/tl': 'src/tl/runtime.ts',
  'mtwire/testing': 'src/testing/index.ts',
  // Not named by issue 15, but nothing in them needs Node either: kept that way.
  'mtwire/platform': 'src/platform/index.ts',
  'mtwire/layers': 'src/layers/index.ts',
  'mtwire/transport/websocket-standard': 'src/transport/websocket-standard.ts',
  'mtwire/testing/handshake': 'src/testing/auth-key-memory.ts',
};

/** A program that connects over WebSocket and asks for the config: what a browser app pays at least. */
export const CLIENT_GET_CONFIG = `
import { MtprotoClient } from './src/client/index.ts';
import { help } from './src/generated/api/types/index.ts';
export async function getConfig(url) {
  const client = new MtprotoClient({ transport: { kind: 'websocket', url }, dcId: 2, apiId: 1 });
  await client.connect();
  return client.invoke(new help.getConfig());
}`;

/**
 * A program that only builds and encodes the seed's phone.requestCall (issue 15 part 5): it must not carry
 * the reader of the call's result (phone.PhoneCall, User and everything inside them). It imports the
 * namespace module itself (`mtwire/api/phone`): esbuild keeps every value of a nested namespace that a
 * program reaches as `Api.phone.x`.
 */
export const ENCODE_REQUEST_CALL = `
import * as phone from './src/generated/api/types/phone.ts';
import { InputUser, PhoneCallProtocol } from './src/generated/api/types/index.ts';
const request = new phone.requestCall({
  video: true,
  userId: new InputUser({ userId: 123456789, accessHash: -1234567890123456789n }),
  randomId: 3511366,
  gAHash: new Uint8Array(32),
  protocol: new PhoneCallProtocol({ udpP2p: true, udpReflector: true, minLayer: 65, maxLayer: 92, libraryVersions: ['2.4.4'] }),
});
export const bytes = phone.requestCall.encode(request);`;

/** gzip budgets in bytes, by bundle name. */
export const GZIP_BUDGETS = { 'client + help.getConfig': 250 * 1024, 'phone.requestCall encode': 10 * 1024 };

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * Bundles one entry (a file, or source text standing in for a user's program) minified for browsers.
 * Node built-ins are kept external so that every one is reported, with the file that imports it.
 */
export async function bundleForBrowser(name, entry, { generatedNames = false } = {}) {
  const result = await build({
    ...(entry.file ? { entryPoints: [join(root, entry.file)] } : { stdin: { contents: entry.source, resolveDir: root, loader: 'js' } }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    // With `generatedNames`, identifiers keep their names (`wc_user`, `rm_messages_sendMessage`) so that a test
    // can tell which generated functions a bundle carries; its size is then not the minified one.
    ...(generatedNames ? { minifySyntax: true, minifyWhitespace: true } : { minify: true }),
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: [...nodeBuiltins],
  });
  const nodeImports = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
    input.imports.filter((i) => nodeBuiltins.has(i.path)).map((i) => `${file} imports ${i.path}`),
  );
  const { contents: bytes, text } = result.outputFiles[0];
  return { name, minified: bytes.length, gzip: gzipSync(bytes).length, nodeImports, text };
}

/** Every browser bundle's sizes and Node imports, and the violations among them. */
export async function checkBundles() {
  const bundles = [];
  for (const [name, file] of Object.entries(BROWSER_ENTRIES)) bundles.push(await bundleForBrowser(name, { file }));
  bundles.push(await bundleForBrowser('client + help.getConfig', { source: CLIENT_GET_CONFIG }));
  bundles.push(await bundleForBrowser('phone.requestCall encode', { source: ENCODE_REQUEST_CALL }));
  const nodeImports = bundles.flatMap((b) => b.nodeImports.map((line) => `${b.name}: ${line}`));
  const overBudget = bundles
    .filter((b) => b.gzip > (GZIP_BUDGETS[b.name] ?? Infinity))
    .map((b) => `${b.name}: ${b.gzip} bytes gzip, over the budget of ${GZIP_BUDGETS[b.name]}`);
  return { bundles, nodeImports, overBudget };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { bundles, nodeImports, overBudget } = await checkBundles();
  for (const b of bundles) {
    const budget = GZIP_BUDGETS[b.name] ? ` (budget ${(GZIP_BUDGETS[b.name] / 1024).toFixed(0)} KB)` : '';
    console.log(
      `${b.name.padEnd(24)} ${(b.minified / 1024).toFixed(1).padStart(7)} KB min ${(b.gzip / 1024).toFixed(1).padStart(6)} KB gzip${budget}`,
    );
  }
  const problems = [...nodeImports, ...overBudget];
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log('bundles: no Node built-in imported, every budget kept');
}
