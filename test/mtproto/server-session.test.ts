import { describe, expect, test } from 'vitest';
import { nodeCrypto } from '../../src/crypto/node.js';
import { decryptMessage, encryptMessage } from '../../src/crypto/message.js';
import { authKeyIdFor } from '../../src/crypto/handshake-kdf.js';
import { ClientSession, type SessionEvent } from '../../src/mtproto/client-session.js';
import { buildPlaintext, constructorIdOf, ids, packContainer, unpackContainer } from '../../src/mtproto/envelope.js';
import { MsgIdGenerator } from '../../src/mtproto/msg-id.js';
import { ServerSalts } from '../../src/mtproto/server-salts.js';
import { nodeCompression } from '../../src/platform/compression.js';
// The session's queries and answers as the server layer sees them: decoded, unwrapped, encoded with the full API.
import { ApiServerSession, rpcError, type ApiSessionEvent } from '../../src/server/api-session.js';
import { Api, decodeObject, encodeObject, TlEncodeError, type TlObject } from '../../src/api/index.js';

const authKey = nodeCrypto.randomBytes(256);
const authKeyId = authKeyIdFor(authKey, nodeCrypto);
const T0 = 1_700_000_000_000;
const nearestDc: Api.NearestDc = { _: 'nearestDc', country: 'NL', thisDc: 2, nearestDc: 2 };
const getNearestDc = encodeObject({ _: 'help.getNearestDc' });

/** A server session and a ClientSession peer on the same key, plus raw access to both directions. */
function setup(options: { clientClockMs?: number; destroySession?: (id: bigint) => boolean } = {}) {
  let now = T0;
  const salts = new ServerSalts(111n, T0 / 1000, (n) => nodeCrypto.randomBytes(n));
  const server = new ApiServerSession({
    crypto: nodeCrypto,
    compression: nodeCompression,
    now: () => now,
    authKey,
    sessionId: 42n,
    salts,
    destroySession: options.destroySession,
  });
  const client = new ClientSession({
    crypto: nodeCrypto,
    compression: nodeCompression,
    now: () => now + (options.clientClockMs ?? 0),
    authKey,
    serverSalt: 111n,
    sessionId: 42n,
  });
  const rawIds = new MsgIdGenerator(() => now);
  const toServer = (frame: Uint8Array): ApiSessionEvent[] =>
    server.receive(decryptMessage(authKey, authKeyId, frame, 0, { provider: nodeCrypto }));
  /** A hand-built client message: any msg_id, seq_no and salt. */
  const raw = (body: Uint8Array, over: { msgId?: bigint; seqNo?: number; salt?: bigint } = {}) => {
    const msgId = over.msgId ?? rawIds.next('client');
    const plaintext = buildPlaintext(over.salt ?? 111n, 42n, msgId, over.seqNo ?? 1, body);
    return { msgId, frame: encryptMessage({ authKey, authKeyId, plaintext, x: 0, provider: nodeCrypto }) };
  };
  /** A server frame into the client session, decrypted as the client's I/O shell does. */
  const toClient = (frame: Uint8Array): SessionEvent[] =>
    client.receive(decryptMessage(authKey, authKeyId, frame, 8, { provider: nodeCrypto, sessionId: client.sessionId }));
  /** Decrypts what the server flushes, containers opened. */
  const fromServer = () =>
    server.flush().flatMap((frame) => {
      const m = decryptMessage(authKey, authKeyId, frame, 8, { provider: nodeCrypto, sessionId: 42n });
      return constructorIdOf(m.body) === ids.msgContainer ? unpackContainer(m.body) : [{ msgId: m.msgId, seqNo: m.seqNo, body: m.body }];
    });
  /** Client flush → server → server flush → client. */
  const roundTrip = (): { serverEvents: ApiSessionEvent[]; clientEvents: SessionEvent[] } => {
    const frame = client.flush();
    const serverEvents = frame ? toServer(frame) : [];
    const clientEvents = server.flush().flatMap((f) => toClient(f));
    return { serverEvents, clientEvents };
  };
  const queries = (events: ApiSessionEvent[]) => events.filter((e) => e.type === 'query');
  return {
    server,
    client,
    salts,
    toServer,
    raw,
    fromServer,
    roundTrip,
    toClient,
    queries,
    nextMsgId: () => rawIds.next('client'),
    advance: (ms: number) => (now += ms),
    nowSeconds: () => now / 1000,
  };
}

const names = (messages: { body: Uint8Array }[]) => messages.map((m) => (decodeObject(m.body, { allowTrailing: true }) as TlObject)._);

describe('ServerSession with a ClientSession peer', () => {
  test('the first request: new_session_created goes before the answer; wrappers are unwrapped and remembered', () => {
    const { server, client, roundTrip } = setup();
    const wrapped = {
      _: 'invokeWithLayer',
      layer: 228,
      query: {
        _: 'initConnection',
        apiId: 7,
        deviceModel: 'test',
        systemVersion: '1',
        appVersion: '1',
        systemLangCode: 'en',
        langPack: '',
        langCode: 'en',
        query: { _: 'help.getNearestDc' },
      },
    };
    const requestId = client.send(encodeObject(wrapped as TlObject));
    const first = roundTrip();
    expect(first.serverEvents).toMatchObject([
      {
        type: 'query',
        query: { _: 'help.getNearestDc' },
        layer: 228,
        connection: { apiId: 7, deviceModel: 'test' },
        withoutUpdates: false,
      },
    ]);
    expect(first.clientEvents).toMatchObject([{ type: 'newSession' }]);
    const query = first.serverEvents[0] as Extract<ApiSessionEvent, { type: 'query' }>;
    expect(server.reply(query.reqMsgId, nearestDc)).toBe(true);
    expect(server.reply(query.reqMsgId, nearestDc)).toBe(false);
    const second = roundTrip();
    expect(second.clientEvents).toEqual([{ type: 'result', requestId, body: Api.NearestDc.encode(nearestDc) }]);
    expect(server.layer).toBe(228);
  });

  test('new_session_created names the first message, is content-related and carries the current salt', () => {
    const { raw, toServer, fromServer } = setup();
    const { msgId, frame } = raw(Api.MsgsAck.encode({ _: 'msgs_ack', msgIds: [] }), { seqNo: 0 });
    toServer(frame);
    const [created, ...rest] = fromServer();
    expect(rest).toEqual([]);
    expect(created!.seqNo % 2).toBe(1);
    expect(Api.NewSessionCreated.decode(created!.body)).toMatchObject({ firstMsgId: msgId, serverSalt: 111n });
  });

  test('several requests arrive in one container and their answers leave in one container', () => {
    const { server, client, roundTrip, toClient, queries } = setup();
    const a = client.send(getNearestDc);
    const b = client.send(encodeObject({ _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] } as TlObject));
    const { serverEvents } = roundTrip();
    const [qa, qb] = queries(serverEvents) as Extract<ApiSessionEvent, { type: 'query' }>[];
    server.reply(qb!.reqMsgId, []);
    server.reply(qa!.reqMsgId, rpcError(420, 'FLOOD_WAIT_3'));
    const frames = server.flush();
    expect(frames).toHaveLength(1);
    expect(frames.flatMap((f) => toClient(f))).toEqual([
      { type: 'result', requestId: b, body: Uint8Array.of(0x15, 0xc4, 0xb5, 0x1c, 0, 0, 0, 0) },
      { type: 'rpcError', requestId: a, code: 420, message: 'FLOOD_WAIT_3' },
    ]);
  });

  test('a forced salt rotation: bad_server_salt with the new salt, then the resent request succeeds', () => {
    const { server, client, salts, roundTrip, nowSeconds, queries } = setup();
    const requestId = client.send(getNearestDc);
    const fresh = salts.rotate(nowSeconds());
    const refused = roundTrip();
    expect(refused.serverEvents).toMatchObject([{ type: 'refused', code: 48 }]);
    expect(refused.clientEvents).toEqual([{ type: 'saltChanged', salt: fresh }]);
    const again = roundTrip();
    const [query] = queries(again.serverEvents) as Extract<ApiSessionEvent, { type: 'query' }>[];
    server.reply(query!.reqMsgId, nearestDc);
    expect(roundTrip().clientEvents).toEqual([{ type: 'result', requestId, body: Api.NearestDc.encode(nearestDc) }]);
  });

  test('salts age: the previous salt is accepted for 30 more minutes, then refused', () => {
    const { raw, toServer, advance } = setup();
    advance(31 * 60_000);
    expect(toServer(raw(getNearestDc).frame)).toMatchObject([{ type: 'query' }]);
    advance(30 * 60_000);
    expect(toServer(raw(getNearestDc).frame)).toMatchObject([{ type: 'refused', code: 48 }]);
  });

  test('a client clock 400 s behind is corrected by bad_msg_notification 16, whose msg_id carries the server time', () => {
    const { server, client, roundTrip, queries } = setup({ clientClockMs: -400_000 });
    const requestId = client.send(getNearestDc);
    const refused = roundTrip();
    expect(refused.serverEvents).toMatchObject([{ type: 'refused', code: 16 }]);
    expect(refused.clientEvents).toEqual([{ type: 'timeSynced', offset: 400 }]);
    const [query] = queries(roundTrip().serverEvents) as Extract<ApiSessionEvent, { type: 'query' }>[];
    server.reply(query!.reqMsgId, nearestDc);
    expect(roundTrip().clientEvents).toContainEqual({ type: 'result', requestId, body: Api.NearestDc.encode(nearestDc) });
  });

  test('large requests arrive gzip_packed and large results leave gzip_packed', () => {
    const { server, client, roundTrip, toClient, queries } = setup();
    const text = 'x'.repeat(5000);
    const requestId = client.send(encodeObject({ _: 'help.getAppConfig', hash: 0 } as TlObject));
    client.send(encodeObject({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: text, randomId: 1n } as TlObject));
    const found = queries(roundTrip().serverEvents) as Extract<ApiSessionEvent, { type: 'query' }>[];
    expect(found[1]!.query).toMatchObject({ _: 'messages.sendMessage', message: text });
    const config: Api.help.AppConfig = { _: 'help.appConfig', hash: 1, config: { _: 'jsonString', value: text } };
    server.reply(found[0]!.reqMsgId, config);
    const frames = server.flush();
    expect(frames[0]!.length).toBeLessThan(2000);
    expect(frames.flatMap((f) => toClient(f))).toContainEqual({ type: 'result', requestId, body: encodeObject(config) });
  });

  test('ping → pong outside rpc_result, not content-related; the client resolves it', () => {
    const { client, roundTrip } = setup();
    const requestId = client.send(Api.ping.encode({ _: 'ping', pingId: 77n }));
    const { clientEvents } = roundTrip();
    const result = clientEvents.find((e) => e.type === 'result');
    expect(result).toMatchObject({ requestId });
    expect(Api.Pong.decode((result as { body: Uint8Array }).body).pingId).toBe(77n);
  });

  test('ping_delay_disconnect, get_future_salts, destroy_session and msgs_state_req are answered directly', () => {
    const { raw, toServer, fromServer, nowSeconds } = setup({ destroySession: (id) => id === 7n });
    expect(
      toServer(raw(Api.pingDelayDisconnect.encode({ _: 'ping_delay_disconnect', pingId: 1n, disconnectDelay: 75 }), { seqNo: 0 }).frame),
    ).toEqual([{ type: 'disconnectAfter', seconds: 75 }]);
    const salts = raw(Api.getFutureSalts.encode({ _: 'get_future_salts', num: 3 }), { seqNo: 0 });
    toServer(salts.frame);
    toServer(raw(Api.destroySession.encode({ _: 'destroy_session', sessionId: 7n }), { seqNo: 0 }).frame);
    toServer(raw(Api.destroySession.encode({ _: 'destroy_session', sessionId: 8n }), { seqNo: 0 }).frame);
    const state = raw(
      Api.MsgsStateReq.encode({ _: 'msgs_state_req', msgIds: [salts.msgId, salts.msgId + 1n, salts.msgId + (1n << 40n)] }),
      { seqNo: 0 },
    );
    toServer(state.frame);
    const out = fromServer();
    expect(names(out)).toEqual([
      'new_session_created',
      'pong',
      'future_salts',
      'destroy_session_ok',
      'destroy_session_none',
      'msgs_state_info',
    ]);
    expect(out.slice(1).every((m) => m.seqNo % 2 === 0)).toBe(true);
    const future = Api.FutureSalts.decode(out[2]!.body);
    expect(future).toMatchObject({ reqMsgId: salts.msgId, now: Math.floor(nowSeconds()) });
    expect(future.salts.map((s) => s.salt)[0]).toBe(111n);
    expect(future.salts).toHaveLength(3);
    expect(future.salts[1]!.validSince).toBe(future.salts[0]!.validUntil);
    expect([...Api.MsgsStateInfo.decode(out[5]!.body).info]).toEqual([4, 2, 3]);
  });

  test('unknown and malformed queries (and service messages, and gzip) get rpc_error 400 instead of silence', () => {
    const { raw, toServer, fromServer } = setup();
    const unknown = raw(Uint8Array.of(0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0));
    const malformed = raw(Uint8Array.of(0x26, 0x30, 0xb3, 0x1f, 1, 2, 3, 4)); // help.getNearestDc takes no fields
    const longPing = raw(Uint8Array.of(...Api.ping.encode({ _: 'ping', pingId: 1n }), 0, 0, 0, 0));
    const badGzip = raw(Api.GzipPacked.encode({ _: 'gzip_packed', packedData: Uint8Array.of(1, 2, 3) }));
    expect(toServer(unknown.frame)).toEqual([]);
    for (const m of [malformed, longPing, badGzip]) toServer(m.frame);
    const [, ...answers] = fromServer();
    const errors = answers.map((a) => Api.RpcError.decode(a.body.subarray(12)).errorMessage);
    expect(errors).toEqual([`INPUT_METHOD_INVALID_${0x12345678}`, 'INPUT_FETCH_ERROR', 'INPUT_FETCH_ERROR', 'INPUT_FETCH_ERROR']);
    expect(answers.map((a) => a.body.subarray(4, 12))).toEqual(
      [unknown, malformed, longPing, badGzip].map((m) => new Uint8Array(new BigInt64Array([m.msgId]).buffer)),
    );
  });

  test('a result that does not fit the method throws and leaves the query pending', () => {
    const { server, raw, toServer, queries } = setup();
    const [query] = queries(toServer(raw(getNearestDc).frame)) as Extract<ApiSessionEvent, { type: 'query' }>[];
    expect(() => server.reply(query!.reqMsgId, { _: 'boolTrue' })).toThrow(TlEncodeError);
    expect(server.pendingCount).toBe(1);
    expect(server.reply(query!.reqMsgId, rpcError(500, 'INTERNAL'))).toBe(true);
  });

  test('rpc_drop_answer of a running query: rpc_answer_dropped_running, and the late reply is discarded', () => {
    const { server, raw, toServer, fromServer, queries } = setup();
    const [query] = queries(toServer(raw(getNearestDc).frame)) as Extract<ApiSessionEvent, { type: 'query' }>[];
    toServer(raw(Api.rpcDropAnswer.encode({ _: 'rpc_drop_answer', reqMsgId: query!.reqMsgId })).frame);
    expect(server.reply(query!.reqMsgId, nearestDc)).toBe(false);
    const out = fromServer();
    expect(names(out)).toEqual(['new_session_created', 'rpc_result', 'msgs_ack']);
    expect(decodeObject(out[1]!.body.subarray(12))).toEqual({ _: 'rpc_answer_dropped_running' });
  });

  test('server-initiated messages take msg_id ≡ 3 (mod 4) and an odd seq_no; the client sees an update', () => {
    const { server, client, roundTrip, toClient } = setup();
    client.send(getNearestDc);
    roundTrip();
    const update: Api.Updates = { _: 'updates', updates: [], users: [], chats: [], date: 1, seq: 0 };
    server.push(update);
    const frames = server.flush();
    const m = decryptMessage(authKey, authKeyId, frames[0]!, 8, { provider: nodeCrypto });
    expect([m.msgId % 4n, m.seqNo % 2]).toEqual([3n, 1]);
    expect(frames.flatMap((f) => toClient(f))).toEqual([{ type: 'update', body: encodeObject(update) }]);
  });
});

describe('ServerSession refusals', () => {
  const refusal = (events: ApiSessionEvent[]) => events.map((e) => (e.type === 'refused' ? e.code : e.type));

  test('msg_id parity 18, too far ahead 17, too far behind 16; the notice names the message', () => {
    const { raw, toServer, fromServer, nowSeconds } = setup();
    const sec = BigInt(Math.floor(nowSeconds()));
    expect(refusal(toServer(raw(getNearestDc, { msgId: (sec << 32n) | 5n }).frame))).toEqual([18]);
    expect(refusal(toServer(raw(getNearestDc, { msgId: ((sec + 31n) << 32n) | 4n }).frame))).toEqual([17]);
    const old = ((sec - 301n) << 32n) | 4n;
    expect(refusal(toServer(raw(getNearestDc, { msgId: old }).frame))).toEqual([16]);
    const notices = fromServer().map((m) => ({ msgId: m.msgId, notice: Api.BadMsgNotification.decode(m.body) }));
    expect(notices.map((n) => n.notice.errorCode)).toEqual([18, 17, 16]);
    expect(notices[2]!.notice.badMsgId).toBe(old);
    expect(Number(notices[2]!.msgId >> 32n)).toBe(Number(sec));
    expect(notices.every((n) => n.msgId % 2n === 1n)).toBe(true);
  });

  test('seq_no parity: an even API query gets 35, an even ping is fine', () => {
    const { raw, toServer } = setup();
    expect(refusal(toServer(raw(getNearestDc, { seqNo: 2 }).frame))).toEqual([35]);
    expect(refusal(toServer(raw(Api.ping.encode({ _: 'ping', pingId: 1n }), { seqNo: 4 }).frame))).toEqual([]);
  });

  test('leniency: an odd msgs_ack (as mtcute sends it) is taken, not refused with 34 and not acked', () => {
    const { raw, toServer, fromServer } = setup();
    // msgs_ack#62d6b459 msg_ids:vector#1cb5c415 [one server msg_id], written out byte by byte.
    const ack = Uint8Array.of(0x59, 0xb4, 0xd6, 0x62, 0x15, 0xc4, 0xb5, 0x1c, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x66);
    expect(Api.MsgsAck.decode(ack)).toEqual({ _: 'msgs_ack', msgIds: [0x6600000000000001n] });
    const events = toServer(raw(ack, { seqNo: 3 }).frame);
    expect(events).toEqual([]);
    expect(names(fromServer())).toEqual(['new_session_created']); // no bad_msg_notification, no msgs_ack of the ack
  });

  test('leniency: a gzip_packed request in zlib framing (RFC 1950, as mtcute packs) arrives as the query it packs', () => {
    const { raw, toServer, queries } = setup();
    // gzip_packed#3072cfa1 with a 15-byte zlib stream: header 78 01, one stored block holding help.getNearestDc
    // (26 30 b3 1f), Adler-32 02 b1 01 29 (with its length byte, 16 bytes: no padding).
    const packed = Uint8Array.from([
      0xa1, 0xcf, 0x72, 0x30, 15, 0x78, 0x01, 0x01, 4, 0, 0xfb, 0xff, 0x26, 0x30, 0xb3, 0x1f, 0x02, 0xb1, 0x01, 0x29,
    ]);
    const found = queries(toServer(raw(packed, { seqNo: 1 }).frame)) as Extract<ApiSessionEvent, { type: 'query' }>[];
    expect(found.map((q) => q.query)).toEqual([{ _: 'help.getNearestDc' }]);
  });

  test('a duplicate msg_id is ignored while running and answered again once answered; an unknown old id gets 20', () => {
    const { server, raw, toServer, fromServer, queries } = setup();
    const older = raw(getNearestDc);
    const first = raw(getNearestDc);
    const [query] = queries(toServer(first.frame)) as Extract<ApiSessionEvent, { type: 'query' }>[];
    expect(toServer(first.frame)).toEqual([{ type: 'ignored', msgId: first.msgId, reason: 'duplicate' }]);
    server.reply(query!.reqMsgId, nearestDc);
    fromServer();
    expect(toServer(first.frame)).toEqual([{ type: 'ignored', msgId: first.msgId, reason: 'duplicate, answer sent again' }]);
    const again = fromServer();
    expect(names(again)).toEqual(['rpc_result']);
    expect(refusal(toServer(older.frame))).toEqual([20]);
  });

  test('containers: an inner id above the container id is refused, a repeated container gets 19, an odd container seq_no is taken', () => {
    const { raw, toServer, nextMsgId } = setup();
    const [a, c, b] = [nextMsgId(), nextMsgId(), nextMsgId()];
    const messages = [
      { msgId: a, seqNo: 1, body: getNearestDc },
      { msgId: b, seqNo: 3, body: getNearestDc },
    ];
    expect(refusal(toServer(raw(packContainer(messages), { msgId: c, seqNo: 4 }).frame))).toEqual([64]);
    const odd = raw(packContainer(messages), { seqNo: 5 });
    expect(refusal(toServer(odd.frame))).toEqual(['query', 'query']);
    expect(refusal(toServer(odd.frame))).toEqual([19]);
    const [d, e] = [nextMsgId(), nextMsgId()];
    const evenQueryInside = packContainer([{ msgId: d, seqNo: 6, body: getNearestDc }]);
    expect(refusal(toServer(raw(evenQueryInside, { msgId: e, seqNo: 7 }).frame))).toEqual([35]);
  });

  test('content-related messages without an answer are acked; running queries wait for their rpc_result', () => {
    const { server, raw, toServer, fromServer, queries } = setup();
    const wait = raw(Api.HttpWait.encode({ _: 'http_wait', maxDelay: 0, waitAfter: 0, maxWait: 0 }), { seqNo: 1 });
    toServer(wait.frame);
    const [query] = queries(toServer(raw(getNearestDc).frame)) as Extract<ApiSessionEvent, { type: 'query' }>[];
    const out = fromServer();
    expect(names(out)).toEqual(['new_session_created', 'msgs_ack']);
    expect(Api.MsgsAck.decode(out[1]!.body).msgIds).toEqual([wait.msgId]);
    server.reply(query!.reqMsgId, nearestDc);
    expect(names(fromServer())).toEqual(['rpc_result']);
  });
});
