// npm run bench:browser: the same measuring code (browser/measure.ts) in Node and in Debian's chromium,
// against one local test server over WebSocket, in a process of its own. Prints the README's table: handshake + help.getConfig
// (median of 10 fresh clients after one warm-up) and AES-IGE / SHA-256 throughput, each host on its defaults.
import { forkTestServer, importForNode, launchChromium, openPage, pageHtml, servePage } from '../browser/harness.mjs';

const RUNS = 10;
const SIZES = [1024, 64 * 1024];
const THROUGHPUT_MS = 400;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
};

const node = await importForNode('browser/node-side.ts');
const server = await forkTestServer();
const options = { server: server.info };
const site = await servePage('browser/test-page.ts', pageHtml('mtwire bench'));
const browser = await launchChromium();
try {
  const page = await openPage(browser, site.url, 'mtwirePage');
  const inPage = (name, ...args) => page.evaluate(([name, args]) => globalThis.mtwirePage[name](...args), [name, args]);

  const hosts = {
    node: { version: `Node ${process.versions.node}`, run: (name, ...args) => node[name](...args) },
    chromium: { version: `Chromium ${browser.version()}`, run: inPage },
  };
  const results = {};
  for (const [host, { run }] of Object.entries(hosts)) {
    await run('handshakeAndGetConfig', options, 1);
    const handshake = median(await run('handshakeAndGetConfig', options, RUNS));
    const throughput = [];
    for (const size of SIZES) throughput.push(await run('cryptoThroughput', size, THROUGHPUT_MS));
    results[host] = { handshake, throughput };
  }

  const cell = (v, digits = 1) => v.toFixed(digits);
  console.log(`| | ${hosts.node.version} | ${hosts.chromium.version} | Chromium / Node |`);
  console.log('| --- | --- | --- | --- |');
  const row = (label, n, c, unit, digits) =>
    console.log(`| ${label} | ${cell(n, digits)} ${unit} | ${cell(c, digits)} ${unit} | ${(c / n).toFixed(2)}× |`);
  row(`handshake + help.getConfig (median of ${RUNS})`, results.node.handshake, results.chromium.handshake, 'ms', 1);
  SIZES.forEach((size, i) => {
    const n = results.node.throughput[i];
    const c = results.chromium.throughput[i];
    const kib = `${size / 1024} KiB`;
    row(`AES-256-IGE encrypt, ${kib}`, n.aesIgeEncrypt, c.aesIgeEncrypt, 'MB/s', 0);
    row(`AES-256-IGE decrypt, ${kib}`, n.aesIgeDecrypt, c.aesIgeDecrypt, 'MB/s', 0);
    row(`SHA-256, ${kib}`, n.sha256, c.sha256, 'MB/s', 0);
  });
  const ratio = results.chromium.handshake / results.node.handshake;
  console.log(`\nhandshake + getConfig: Chromium ${ratio.toFixed(2)}× Node (goal: within 3×)`);
  if (ratio > 3) process.exitCode = 1;
} finally {
  await browser.close();
  await site.close();
  await server.stop();
}
