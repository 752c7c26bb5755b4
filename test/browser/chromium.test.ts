/**
 * mtwire in a real browser: Debian's chromium, driven by playwright-core, loads an esbuild bundle of
 * browser/test-page.ts and runs MtprotoClient over the standard WebSocket (obfuscated and plain) against the
 * Node test server.
 * `npm run test:browser` (part of .ci/run); not part of `npm test`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openPage, launchChromium, pageHtml, servePage, serverInfo } from '../../browser/harness.mjs';
import { answer, call, signedInParty, type CallSummary, type PartyOptions, type ServerInfo } from '../../browser/party.js';
import { generateRsaKeyPair } from '../../src/crypto/rsa-keygen.js';
import { startTestServer, TEST_PHONE_CODE, type TestServer } from '../../src/server/index.js';
import { idOf } from '../../src/api/index.js';
import { allEntryNames } from '../../src/testing/index.js';
import type { Framing } from '../../src/transport/framing.js';

const ALICE = '42000000001';
const BOB = '42000000002';

let server: TestServer;
/** Refuses plain framings over WebSocket, as Telegram's /apiws does. */
let obfuscatedOnly: TestServer;
let site: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
let info: ServerInfo;
/** The transport each auth key of `server` was created over, as its log reports it. */
const keysCreated: Record<string, unknown>[] = [];

beforeAll(async () => {
  const rsaKey = generateRsaKeyPair();
  server = await startTestServer({
    transports: ['websocket'],
    rsaKey,
    log: (_level, message, data) => message === 'auth key created' && keysCreated.push(data!),
  });
  obfuscatedOnly = await startTestServer({ transports: ['websocket'], rsaKey, webSocketPlain: false });
  info = serverInfo(server, TEST_PHONE_CODE);
  site = await servePage('browser/test-page.ts', pageHtml('mtwire browser tests'));
  browser = await launchChromium();
  page = await openPage(browser, site.url, 'mtwirePage');
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await server?.close();
  await obfuscatedOnly?.close();
});

/** Calls `mtwirePage[name](...args)` in the page. */
function inPage<T>(name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([name, args]) => (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>).mtwirePage![name]!(...args),
    [name, args] as const,
  ) as Promise<T>;
}

const user = (id: bigint) => {
  const found = server.users.get(id)!;
  return { id: String(found.id), accessHash: String(found.accessHash) };
};

describe('MtprotoClient in Chromium', () => {
  const routes = (['abridged', 'intermediate', 'padded'] as const).flatMap((framing: Framing) =>
    [true, false].map((obfuscated) => ({ framing, obfuscated, name: obfuscated ? 'obfuscated' : 'plain' })),
  );
  test.each(routes)('handshake, sign-in and help.getConfig over $name WebSocket, $framing framing', async ({ framing, obfuscated }) => {
    keysCreated.length = 0;
    const result = await inPage<Record<string, unknown>>('signInAndGetConfig', {
      server: info,
      phone: ALICE,
      framing,
      obfuscated,
    } satisfies PartyOptions);
    expect(result).toEqual({
      userId: '1000001',
      thisDc: server.dcId,
      dcOptions: expect.any(Number),
      crypto: 'portable',
      compression: 'portable',
      webSocket: 'function',
    });
    expect(result.dcOptions).toBeGreaterThan(0);
    expect(keysCreated).toEqual([expect.objectContaining({ transport: 'websocket', framing, obfuscated })]);
  });

  test('a plain WebSocket is closed by a server started with webSocketPlain: false', async () => {
    const code = await inPage<number>('plainWebSocketClosed', obfuscatedOnly.wsUrl);
    // The server's codec threw OBFUSCATION_REQUIRED and tore the connection down without a close frame: 1006.
    expect(code).toBe(1006);
  });

  test("the seed's call, page calling Node: both sides end with the same key fingerprint and emoji", async () => {
    const bob = await signedInParty({ server: info, phone: BOB });
    try {
      const answered = answer(bob.client);
      const caller = await inPage<CallSummary>('placeCallFromPage', { server: info, phone: ALICE, callee: user(1000002n) });
      const callee = await answered;
      expect(caller.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(caller.emoji).toHaveLength(4);
      expect(caller).toEqual(callee);
    } finally {
      await bob.client.close();
    }
  });

  test('and Node calling the page, which answers over plain WebSocket', async () => {
    const answered = inPage<CallSummary>('answerCallInPage', { server: info, phone: BOB, obfuscated: false });
    await page.waitForFunction(() => (globalThis as { mtwireAnswerReady?: boolean }).mtwireAnswerReady === true);
    const alice = await signedInParty({ server: info, phone: ALICE });
    try {
      const caller = await call(alice.client, user(1000002n));
      expect(await answered).toEqual(caller);
      expect(caller.emoji).toHaveLength(4);
    } finally {
      await alice.client.close();
    }
  });
});

describe('mtwire/testing in Chromium', () => {
  test('every constructor and method with an id of its own round-trips through the registry in the page', async () => {
    // As test/tl/properties.test.ts: by id the registry keeps the entry declared last (tdlib's
    // invokeWith…Prefix methods share ids with the full wrappers), and mt_message has no id at all.
    const byId = new Map<number, string>();
    for (const name of allEntryNames()) if (idOf(name) !== undefined) byId.set(idOf(name)!, name);
    const names = [...byId.values()];
    const result = await inPage<{ checked: number; failures: unknown[] }>('tlRoundTrips', names, 3);
    expect(result.failures).toEqual([]);
    expect(result.checked).toBe(names.length);
    expect(names.length).toBeGreaterThan(1500);
  });
});
