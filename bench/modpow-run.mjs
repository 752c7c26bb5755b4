// npm run bench:modpow: bench/modpow.mjs in Node and in Debian's chromium, one table.
import { importForNode, launchChromium, openPage, pageHtml, servePage } from '../browser/harness.mjs';

const { modPowTable } = await importForNode('bench/modpow.mjs');
const nodeRows = modPowTable();
const site = await servePage('bench/modpow-page.mjs', pageHtml('mtwire modPow bench'));
const browser = await launchChromium();
try {
  const page = await openPage(browser, site.url, 'mtwireModPow');
  const chromiumRows = await page.evaluate(() => globalThis.mtwireModPow());
  console.log(`| 2048-bit modPow, ms (median of 15) | Node ${process.versions.node} | Chromium ${browser.version()} |`);
  console.log('| --- | --- | --- |');
  for (const name of Object.keys(nodeRows)) console.log(`| ${name} | ${nodeRows[name].toFixed(1)} | ${chromiumRows[name].toFixed(1)} |`);
} finally {
  await browser.close();
  await site.close();
}
