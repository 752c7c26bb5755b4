/** What bench/browser.mjs and the browser demo run in Node, bundled from source by browser/harness.mjs. */
export { startTestServer, TEST_PHONE_CODE } from '../src/server/index.js';
export { cryptoThroughput, handshakeAndGetConfig } from './measure.js';
