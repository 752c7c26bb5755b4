// npm run demo:browser [-- --port 8080] [-- --check]: serves a page on 127.0.0.1 where Alice and Bob, two
// clients in one browser page, sign in to a local test server over WebSocket, place and accept a call, and
// show their four emoji side by side. Open the printed address in any browser; Ctrl-C stops. With --check,
// Debian's chromium opens it headless and the command exits 0 once both sides show the same emoji.
import { parseArgs } from 'node:util';
import { forkTestServer, launchChromium, openPage, pageHtml, servePage } from './harness.mjs';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, check: { type: 'boolean', default: false } } });

const panel = (party, name) => `
  <section><h2>${name}</h2><p class="emoji" id="${party}-emoji">…</p><p id="${party}-fingerprint"></p><ol id="${party}-log"></ol></section>`;
const style = `<style>
  body { font-family: system-ui, sans-serif; margin: 2em; } main { display: flex; gap: 2em; }
  section { flex: 1; border: 1px solid #ccc; border-radius: 8px; padding: 1em; }
  .emoji { font-size: 3em; margin: 0.2em 0; } ol { font-size: 0.85em; color: #555; }
  .same { color: #070; } .mismatch { color: #b00; }
</style>`;

const server = await forkTestServer();
const [alice, bob] = server.users;
const settings = { server: server.info, bob: { id: bob.id, accessHash: bob.accessHash, phone: bob.phone }, alicePhone: alice.phone };
const html = pageHtml(
  'mtwire: a call in the browser',
  `${style}<h1>mtwire in the browser: ${alice.firstName} calls ${bob.firstName}</h1>
  <p>Two MTProto clients in this page, each over its own WebSocket to the test server at ${server.info.wsUrl}.</p>
  <main>${panel('alice', alice.firstName)}${panel('bob', bob.firstName)}</main><p id="verdict"></p>
  <script>globalThis.mtwireDemo = ${JSON.stringify(settings)};</script>`,
);
const site = await servePage('browser/demo-page.ts', html, Number(values.port));

async function stop() {
  await site.close();
  await server.stop();
}

if (values.check) {
  const browser = await launchChromium();
  try {
    const page = await openPage(browser, site.url, 'mtwireDemoResult');
    const result = await page.evaluate(() => globalThis.mtwireDemoResult);
    if (result.error) throw new Error(result.error);
    for (const party of ['alice', 'bob'])
      console.log(`${party.padEnd(5)}  ${result[party].emoji.join(' ')}  key fingerprint ${result[party].fingerprint}`);
    if (result.alice.fingerprint !== result.bob.fingerprint || result.alice.emoji.join() !== result.bob.emoji.join()) process.exitCode = 1;
  } finally {
    await browser.close();
    await stop();
  }
} else {
  console.log(`open ${site.url} (Ctrl-C stops)`);
  process.once('SIGINT', () => stop().then(() => process.exit(0)));
}
