// The Node side of everything that runs in Chromium (test/browser, bench/browser.mjs, the browser demo):
// bundles a page's TypeScript entry with esbuild for browsers, serves it on 127.0.0.1, and starts Debian's
// chromium through playwright-core.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Where .ci/run installs Debian's chromium; CHROMIUM overrides it. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * One script bundled from `entry` (relative to the repository) for `platform`, as text. For Node the
 * packages stay imports (resolved from the repository's node_modules), as they are for a Node user.
 */
export async function bundle(entry, platform = 'browser') {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../${entry}`, import.meta.url))],
    absWorkingDir: root,
    bundle: true,
    platform,
    format: 'esm',
    target: 'es2022',
    packages: platform === 'node' ? 'external' : undefined,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** Serves `html` at / and the bundle of `entry` at /page.js on 127.0.0.1 (`port` 0: a free one). */
export async function servePage(entry, html, port = 0) {
  const script = await bundle(entry);
  const server = createServer((request, response) => {
    const [type, body] = request.url === '/page.js' ? ['text/javascript', script] : request.url === '/' ? ['text/html', html] : [];
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': `${type ?? 'text/plain'}; charset=utf-8` });
    response.end(body ?? 'not found');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A page that loads /page.js as a module, with `body` inside. */
export const pageHtml = (title, body = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}<script type="module" src="/page.js"></script></body></html>`;

/** Headless chromium; throws with the install command when it is missing. */
export async function launchChromium({ headless = true } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM)`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless, args: ['--no-sandbox'] });
}

/** Opens `url` in a new page and waits until the page script has set globalThis[global]. */
export async function openPage(browser, url, global) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(url);
  await page
    .waitForFunction((name) => name in globalThis, global, { timeout: 30_000 })
    .catch((error) => {
      throw errors[0] ?? error;
    });
  return page;
}

/** What a page needs to know of a test server (see browser/party.ts ServerInfo). */
export const serverInfo = (server, phoneCode) => ({
  wsUrl: server.wsUrl,
  dcId: server.dcId,
  publicKeyPem: server.publicKeyPem,
  phoneCode,
});

/**
 * Bundles `entry` for Node into a node_modules/.cache beside it (so that its package imports resolve
 * as they would from the entry: bench/ has packages of its own) and imports it.
 */
export async function importForNode(entry) {
  const dir = fileURLToPath(new URL(`../${dirname(entry)}/node_modules/.cache/mtwire-browser/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${basename(entry).replace(/\./g, '_')}.mjs`);
  writeFileSync(file, await bundle(entry, 'node'));
  return import(file);
}

/** Forks browser/test-server-process.mjs and resolves once it listens: its ServerInfo, users and a stop(). */
export async function forkTestServer(host = '127.0.0.1') {
  const child = fork(fileURLToPath(new URL('./test-server-process.mjs', import.meta.url)), [host]);
  const message = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the test server process exited with ${code}`)));
  });
  return {
    ...message,
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.disconnect())),
  };
}
