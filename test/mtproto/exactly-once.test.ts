import { describe, expect, test } from 'vitest';
import { nodeCrypto } from '../../src/crypto/node.js';
import { decryptMessage } from '../../src/crypto/message.js';
import { authKeyIdFor } from '../../src/crypto/handshake-kdf.js';
import { ClientSession, type SessionEvent } from '../../src/mtproto/client-session.js';
import { ServerSession, type ServerSessionEvent } from '../../src/mtproto/server-session.js';
import { ServerSalts } from '../../src/mtproto/server-salts.js';
import { constructorIdOf, ids, unpackContainer } from '../../src/mtproto/envelope.js';
import { requestStateOf } from '../../src/mtproto/client-requests.js';
import { nodeCompression } from '../../src/platform/compression.js';
import { Api } from '../../src/generated/service/index.js';

const authKey = nodeCrypto.randomBytes(256);
const authKeyId = authKeyIdFor(authKey, nodeCrypto);
const T0 = 1_700_000_000_000;
const answer = Api.Pong.encode({ _: 'pong', msgId: 1n, pingId: 2n }); // any serialized result
const query = (n: number) => Uint8Array.of(0x26, 0x30, 0xb3, 0x1f, n, 0, 0, 0); // a body the pure server hands out as a query

/** A ServerSession and a ClientSession on one key, with a wire between them that a test can cut. */
function pair(storedAnswers?: { maxCount: number }) {
  let now = T0;
  const salts = new ServerSalts(111n, T0 / 1000, (n) => nodeCrypto.randomBytes(n));
  const common = { crypto: nodeCrypto, compression: nodeCompression, now: () => now, authKey };
  const server = new ServerSession({ ...common, sessionId: 42n, salts, storedAnswers });
  const client = new ClientSession({ ...common, serverSalt: 111n, sessionId: 42n });
  const running: bigint[] = [];
  /** Every frame the client has to send reaches the server; returns the server's events. */
  const up = (): ServerSessionEvent[] => {
    const events: ServerSessionEvent[] = [];
    for (let f = client.flush(); f; f = client.flush())
      events.push(...server.receive(decryptMessage(authKey, authKeyId, f, 0, { provider: nodeCrypto })));
    for (const e of events) if (e.type === 'query') running.push(e.reqMsgId);
    return events;
  };
  /** The server's queued frames reach the client (or are lost). */
  const down = (lost = false): SessionEvent[] =>
    server
      .flush()
      .flatMap((f) => (lost ? [] : client.receive(decryptMessage(authKey, authKeyId, f, 8, { provider: nodeCrypto, sessionId: 42n }))));
  /** What the server's next flush holds, by service constructor name. */
  const serverSends = () =>
    server.flush().flatMap((f) => {
      const m = decryptMessage(authKey, authKeyId, f, 8, { provider: nodeCrypto, sessionId: 42n });
      const bodies = constructorIdOf(m.body) === ids.msgContainer ? unpackContainer(m.body).map((i) => i.body) : [m.body];
      return bodies.map((b) => b);
    });
  return { server, client, up, down, serverSends, running, advance: (ms: number) => (now += ms) };
}

const results = (events: SessionEvent[]) => events.filter((e) => e.type === 'result' || e.type === 'unknownOutcome');

describe('exactly once across a reconnect (client and server sessions together)', () => {
  test('cut while the handler runs: the resend under the same msg_id is not run again, the late answer resolves it', () => {
    const { server, client, up, down, running } = pair();
    const id = client.send(query(1));
    expect(up().filter((e) => e.type === 'query')).toHaveLength(1);
    down(true); // new_session_created, lost with the connection
    client.resumeAfterReconnect();
    expect(up()).toEqual([{ type: 'ignored', msgId: running[0], reason: 'duplicate' }]);
    server.reply(running[0]!, answer);
    expect(results(down())).toEqual([{ type: 'result', requestId: id, body: answer }]);
    expect(running).toHaveLength(1);
  });

  test('answer lost, then cut: the resend gets the stored answer, nothing runs twice', () => {
    const { server, client, up, down, running } = pair();
    const ids = [client.send(query(1)), client.send(query(2))];
    up();
    for (const msgId of running) server.reply(msgId, answer);
    down(true);
    client.resumeAfterReconnect();
    expect(up().map((e) => e.type)).toEqual(['ignored', 'ignored']);
    expect(results(down())).toEqual(ids.map((requestId) => ({ type: 'result', requestId, body: answer })));
    expect(running).toHaveLength(2);
  });

  test('an answer the server no longer holds: msg_detailed_info, and the client reports an unknown outcome', () => {
    const { server, client, up, down, running } = pair({ maxCount: 1 });
    const [a, b] = [client.send(query(1)), client.send(query(2))];
    up();
    for (const msgId of running) server.reply(msgId, answer); // the second answer pushes out the first
    down(true);
    client.resumeAfterReconnect();
    up();
    expect(results(down())).toEqual([
      { type: 'unknownOutcome', requestId: a },
      { type: 'result', requestId: b, body: answer },
    ]);
    expect(running).toHaveLength(2);
    expect(client.unansweredCount).toBe(0);
  });

  test('a request the server never received runs once after the reconnect', () => {
    const { server, client, up, down, running } = pair();
    client.send(query(0));
    up();
    server.reply(running[0]!, answer);
    down();
    const lost = client.send(query(1));
    client.flush(); // lost on the way
    client.resumeAfterReconnect();
    expect(up().map((e) => e.type)).toEqual(['query']);
    expect(running).toHaveLength(2);
    expect(lost).toBe(2);
  });

  test('bad_msg 20 (too old to tell): the client asks msgs_state_req, then resends under a new msg_id only if not received', () => {
    const { server, client, up, down, running } = pair();
    client.send(query(0));
    up();
    server.reply(running[0]!, answer);
    down();
    const missed = client.send(query(1));
    client.flush(); // never arrives
    client.send(query(2));
    up(); // the server's highest id is now above the missed one
    server.reply(running[1]!, answer);
    down(true);
    client.resumeAfterReconnect();
    expect(up().map((e) => e.type)).toEqual(['refused', 'ignored']); // 20 for the missed one; the answered one is sent again
    expect(running).toHaveLength(2);
    down(); // bad_msg 20 → the client queues msgs_state_req
    expect(up()).toEqual([]); // the state question
    down(); // msgs_state_info says 2 (not received): requeued under a new id
    expect(up().map((e) => e.type)).toEqual(['query']);
    expect(running).toHaveLength(3);
    server.reply(running[2]!, answer);
    expect(results(down())).toEqual([{ type: 'result', requestId: missed, body: answer }]);
    expect(client.unansweredCount).toBe(0);
  });

  test('msgs_state_info bytes: 4+32 running, 4+32+64 answer held, 4 alone or 1 unknown, 2 and 3 not received', () => {
    expect([36, 100, 4, 12, 1, 2, 3].map(requestStateOf)).toEqual([
      'running',
      'answer-held',
      'unknown',
      'unknown',
      'unknown',
      'not-received',
      'not-received',
    ]);
  });

  test('the server reports a running query as 4+32, a held answer as 4+32+64, a forgotten one as 4', () => {
    const { server, client, up, running, serverSends } = pair({ maxCount: 1 });
    client.send(query(1));
    client.send(query(2));
    client.send(query(3));
    up();
    server.reply(running[0]!, answer);
    server.reply(running[1]!, answer);
    serverSends();
    client.send(Api.MsgsStateReq.encode({ _: 'msgs_state_req', msgIds: running }), false);
    up();
    const info = serverSends().find((b) => constructorIdOf(b) === Api.MsgsStateInfo.id)!;
    expect([...Api.MsgsStateInfo.decode(info).info]).toEqual([4, 4 + 32 + 64, 4 + 32]);
  });
});

describe('what a saved session carries, and a forgotten key', () => {
  const newClient = () =>
    new ClientSession({ crypto: nodeCrypto, compression: nodeCompression, now: () => T0, authKey, serverSalt: 111n, sessionId: 42n });
  const read = (frame: Uint8Array) => decryptMessage(authKey, authKeyId, frame, 0, { provider: nodeCrypto });

  test('unanswered() lists sent requests with msg_id and seq_no, then queued ones; a restored session replays the sent ones first', () => {
    const before = newClient();
    before.send(query(1));
    before.send(query(2));
    const container = unpackContainer(read(before.flush()!).body);
    before.send(query(3));
    const records = before.unanswered();
    expect(records.map((r) => [r.requestId, r.msgId, r.seqNo])).toEqual([
      [1, container[0]!.msgId, container[0]!.seqNo],
      [2, container[1]!.msgId, container[1]!.seqNo],
      [3, undefined, undefined],
    ]);
    const after = newClient();
    after.restoreUnanswered(records);
    const frames = [after.flush()!, after.flush()!, after.flush()!].map(read);
    expect(after.flush()).toBeUndefined();
    expect(frames.slice(0, 2).map((m) => m.msgId)).toEqual(container.map((m) => m.msgId));
    expect([...frames[2]!.body]).toEqual([...query(3)]);
    expect(frames[2]!.msgId > container[1]!.msgId).toBe(true);
  });

  test('after -404: a request the server spoke after may have run (its id comes back), one sent into silence moves to the new key', () => {
    const { client, up, down } = pair();
    const heard = client.send(query(1));
    up();
    down(); // new_session_created: the server held the key after query 1 arrived
    const silent = client.send(query(2));
    client.flush();
    client.resumeAfterReconnect();
    const next = newClient();
    expect(client.transferUnansweredTo(next)).toEqual([heard]);
    const moved = read(next.flush()!);
    expect([...moved.body]).toEqual([...query(2)]);
    expect(next.unanswered().map((r) => r.requestId)).toEqual([silent]);
  });
});
