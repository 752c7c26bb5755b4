import { expect, test } from 'vitest';
import fc from 'fast-check';
import { nodeCrypto } from '../../src/crypto/node.js';
import { decryptMessage } from '../../src/crypto/message.js';
import { authKeyIdFor } from '../../src/crypto/handshake-kdf.js';
import { ClientSession } from '../../src/mtproto/client-session.js';
import { ServerSession } from '../../src/mtproto/server-session.js';
import { ServerSalts } from '../../src/mtproto/server-salts.js';
import { nodeCompression } from '../../src/platform/compression.js';

const authKey = nodeCrypto.randomBytes(256);
const authKeyId = authKeyIdFor(authKey, nodeCrypto);
const T0 = 1_700_000_000_000;
/** A query body the pure server hands out; byte 4 names the request. */
const query = (n: number) => Uint8Array.of(0x26, 0x30, 0xb3, 0x1f, n, 0, 0, 0);
const answer = (n: number) => Uint8Array.of(0x15, 0xc4, 0xb5, 0x1c, n, 0, 0, 0);

type Step =
  | { kind: 'send' }
  | { kind: 'up'; lost: boolean }
  | { kind: 'down'; lost: boolean }
  | { kind: 'reply'; pick: number }
  | { kind: 'reconnect' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'send' }),
  fc.boolean().map<Step>((lost) => ({ kind: 'up', lost })),
  fc.boolean().map<Step>((lost) => ({ kind: 'down', lost })),
  fc.nat(20).map<Step>((pick) => ({ kind: 'reply', pick })),
  fc.constant<Step>({ kind: 'reconnect' }),
);

/**
 * Any interleaving of requests, lost frames both ways, handlers finishing in any order and reconnects,
 * followed by a healthy connection: every request runs at most once, and ends exactly once, with the
 * answer of its own run or (only when the server could not say) an unknown outcome.
 */
test('exactly once under any pattern of lost frames and reconnects (client and server sessions, in memory)', () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (steps, maxStoredAnswers) => {
      let now = T0;
      const salts = new ServerSalts(111n, T0 / 1000, (n) => nodeCrypto.randomBytes(n));
      const common = { crypto: nodeCrypto, compression: nodeCompression, now: () => now, authKey };
      const server = new ServerSession({ ...common, sessionId: 42n, salts, storedAnswers: { maxCount: maxStoredAnswers } });
      const client = new ClientSession({ ...common, serverSalt: 111n, sessionId: 42n });
      const runs = new Map<number, number>();
      const running: { msgId: bigint; n: number }[] = [];
      const outcomes = new Map<number, string[]>();
      const byRequestId = new Map<number, number>();
      const up = (lost: boolean) => {
        for (let f = client.flush(); f; f = client.flush()) {
          if (lost) continue;
          for (const e of server.receive(decryptMessage(authKey, authKeyId, f, 0, { provider: nodeCrypto }))) {
            if (e.type !== 'query') continue;
            const n = e.body[4]!;
            runs.set(n, (runs.get(n) ?? 0) + 1);
            running.push({ msgId: e.reqMsgId, n });
          }
        }
      };
      const down = (lost: boolean) => {
        for (const f of server.flush()) {
          if (lost) continue;
          for (const e of client.receive(decryptMessage(authKey, authKeyId, f, 8, { provider: nodeCrypto, sessionId: 42n }))) {
            if (e.type !== 'result' && e.type !== 'unknownOutcome') continue;
            const n = byRequestId.get(e.requestId)!;
            outcomes.set(n, [...(outcomes.get(n) ?? []), e.type === 'result' ? `answer ${e.body[4]}` : 'unknown']);
          }
        }
      };
      let sent = 0;
      for (const s of steps) {
        now += 10;
        if (s.kind === 'send') byRequestId.set(client.send(query(++sent)), sent);
        else if (s.kind === 'up') up(s.lost);
        else if (s.kind === 'down') down(s.lost);
        else if (s.kind === 'reconnect') client.resumeAfterReconnect();
        else if (running.length) {
          const [done] = running.splice(s.pick % running.length, 1);
          server.reply(done!.msgId, answer(done!.n));
        }
      }
      // Then the network heals and every handler finishes.
      for (let round = 0; round < 6 && client.unansweredCount; round++) {
        client.resumeAfterReconnect();
        up(false);
        for (const done of running.splice(0)) server.reply(done.msgId, answer(done.n));
        down(false);
        up(false);
        down(false);
      }
      expect(client.unansweredCount).toBe(0);
      for (let n = 1; n <= sent; n++) {
        expect(runs.get(n) ?? 0).toBeLessThanOrEqual(1);
        const ended = outcomes.get(n) ?? [];
        expect(ended).toHaveLength(1);
        if (ended[0] !== 'unknown') expect([ended[0], runs.get(n)]).toEqual([`answer ${n}`, 1]);
      }
    }),
    { numRuns: 150 },
  );
});
