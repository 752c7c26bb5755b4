// The Node side of everything that runs in Chromium (test/browser, bench/browser.mjs, the browser demo):
// bundles a page's TypeScript entry with esbuild for browsers, serves it on 127.0.0.1, and starts Debian's
// chromium through playwright-core.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Where .ci/run installs Debian's chromium; CHROMIUM overrides it. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** One script bundled from `entry` (relative to the repository) for `platform`, as text. */
export async function bundle(entry, platform = 'browser') {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../${entry}`, import.meta.url))],
    absWorkingDir: root,
    bundle: true,
    platform,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** Serves `html` at / and the bundle of `entry` at /page.js on a free port of 127.0.0.1. */
export async function servePage(entry, html) {
  const script = await bundle(entry);
  const server = createServer((request, response) => {
    const [type, body] = request.url === '/page.js' ? ['text/javascript', script] : request.url === '/' ? ['text/html', html] : [];
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': `${type ?? 'text/plain'}; charset=utf-8` });
    response.end(body ?? 'not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
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
