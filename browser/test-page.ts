/**
 * The page that test/browser drives in Chromium (and bench/browser.mjs measures in): each function is
 * called from Node through playwright's `page.evaluate` and answers with plain JSON.
 */
import fc from 'fast-check';
import { Api, decodeObject, encodeObject } from '../src/api/index.js';
import { MtwireError } from '../src/base/errors.js';
import { defaultCrypto } from '../src/crypto/default.js';
import { defaultCompression } from '../src/platform/default.js';
import { portableCompression } from '../src/platform/portable-compression.js';
import { arbitraryFor } from '../src/testing/index.js';
import { cryptoThroughput, handshakeAndGetConfig } from './measure.js';
import { answer, call, signedInParty, type Callee, type PartyOptions } from './party.js';

/** Sign-in, then help.getConfig: what the page's client saw, and which host implementations it used. */
async function signInAndGetConfig(options: PartyOptions) {
  const { client, userId } = await signedInParty(options);
  try {
    const config = await client.invoke(new Api.help.getConfig());
    return {
      userId,
      thisDc: config.thisDc,
      dcOptions: config.dcOptions.length,
      crypto: defaultCrypto().name,
      compression: defaultCompression() === portableCompression ? 'portable' : 'node',
      webSocket: typeof (globalThis as { WebSocket?: unknown }).WebSocket,
    };
  } finally {
    await client.close();
  }
}

/** Signs in and places the call to `callee`, who answers from another client. */
async function placeCallFromPage(options: PartyOptions & { callee: Callee }) {
  const { client } = await signedInParty(options);
  try {
    return await call(client, options.callee);
  } finally {
    await client.close();
  }
}

/** Signs in, reports ready through `ready` (so the caller may dial), then answers the next call. */
async function answerCallInPage(options: PartyOptions) {
  const { client } = await signedInParty(options);
  try {
    (globalThis as { mtwireAnswerReady?: boolean }).mtwireAnswerReady = true;
    return await answer(client);
  } finally {
    await client.close();
  }
}

/**
 * For generated values of each named entry: decode(encode(x)) deep-equals x (fast-check's stringify tells
 * a missing key from an undefined one, and bigints and byte arrays apart), re-encodes to the same bytes, and
 * the encoding cut short by one byte fails to decode with a typed error. Returns the failures (name and
 * fast-check's report), empty when every property held.
 */
function tlRoundTrips(names: (keyof Api.TypesByName)[], numRuns: number) {
  const failures: { name: string; error: string }[] = [];
  for (const name of names) {
    const result = fc.check(
      fc.property(arbitraryFor(name), (value) => {
        const bytes = encodeObject(value);
        const decoded = decodeObject(bytes);
        if (fc.stringify(decoded) !== fc.stringify(value)) throw new Error(`decoded ${fc.stringify(decoded)}`);
        if (fc.stringify(encodeObject(decoded)) !== fc.stringify(bytes)) throw new Error('re-encoding gave other bytes');
        try {
          decodeObject(bytes.subarray(0, bytes.length - 1));
        } catch (error) {
          if (error instanceof MtwireError) return;
          throw error;
        }
        throw new Error(`the first ${bytes.length - 1} of ${bytes.length} bytes decoded`);
      }),
      { numRuns, seed: 15 },
    );
    if (result.failed) failures.push({ name, error: fc.defaultReportMessage(result) ?? 'failed' });
  }
  return { checked: names.length, numRuns, failures };
}

/**
 * A WebSocket that skips obfuscation (abridged framing's 0xef marker, then a frame), sent by hand to a server
 * that refuses plain framings over WebSocket as Telegram's /apiws does. Resolves with the close code.
 */
function plainWebSocketClosed(url: string): Promise<number> {
  const WebSocketClass = (globalThis as unknown as { WebSocket: new (url: string, protocol: string) => BrowserSocket }).WebSocket;
  return new Promise((resolve, reject) => {
    const socket = new WebSocketClass(url, 'binary');
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => socket.send(Uint8Array.of(0xef, 0x01, 1, 2, 3, 4)));
    socket.addEventListener('message', () => reject(new Error('the server answered a plain WebSocket')));
    socket.addEventListener('close', (event) => resolve(event.code));
  });
}

interface BrowserSocket {
  binaryType: string;
  send(data: Uint8Array): void;
  addEventListener(type: string, listener: (event: { code: number }) => void): void;
}

Object.assign(globalThis, {
  mtwirePage: {
    signInAndGetConfig,
    placeCallFromPage,
    answerCallInPage,
    tlRoundTrips,
    plainWebSocketClosed,
    handshakeAndGetConfig,
    cryptoThroughput,
  },
});
