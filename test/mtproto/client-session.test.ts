import { describe, expect, test } from 'vitest';
import { deflateSync, gzipSync } from 'node:zlib';
import { nodeCrypto } from '../../src/crypto/node.js';
import { decryptMessage, encryptMessage } from '../../src/crypto/message.js';
import { authKeyIdFor } from '../../src/crypto/handshake-kdf.js';
import { ClientSession, type SessionEvent } from '../../src/mtproto/client-session.js';
import { nodeCompression } from '../../src/platform/compression.js';
import { buildPlaintext, packContainer, unpackContainer, constructorIdOf, ids } from '../../src/mtproto/envelope.js';
import { Api, encodeObject } from '../../src/api/index.js';
import { TlWriter } from '../../src/tl/writer.js';

const authKey = nodeCrypto.randomBytes(256);
const authKeyId = authKeyIdFor(authKey, nodeCrypto);
const T0 = 1_700_000_000_000;

/** A fake server for one session: reads client frames and writes frames with server msg_ids. */
function setup(clockOffsetMs = 0) {
  let now = T0;
  const session = new ClientSession({
    crypto: nodeCrypto,
    compression: nodeCompression,
    now: () => now + clockOffsetMs,
    authKey,
    serverSalt: 111n,
    sessionId: 42n,
  });
  let serverMsgSeconds = T0 / 1000;
  let serverCounter = 0;
  const serverMsgId = (kind: 1 | 3 = 1) => (BigInt(serverMsgSeconds) << 32n) | BigInt(++serverCounter * 4 + kind);
  const read = (frame: Uint8Array) => {
    const m = decryptMessage(authKey, authKeyId, frame, 0, { provider: nodeCrypto });
    const inner =
      constructorIdOf(m.body) === ids.msgContainer ? unpackContainer(m.body) : [{ msgId: m.msgId, seqNo: m.seqNo, body: m.body }];
    return { ...m, inner };
  };
  /** A server message as the client's I/O shell hands it to the session: encrypted, then decrypted for our session. */
  const frame = (body: Uint8Array, msgId = serverMsgId(), seqNo = 1, sessionId = 42n) => {
    const plaintext = buildPlaintext(999n, sessionId, msgId, seqNo, body);
    const encrypted = encryptMessage({ authKey, authKeyId, plaintext, x: 8, provider: nodeCrypto });
    return decryptMessage(authKey, authKeyId, encrypted, 8, { provider: nodeCrypto, sessionId: session.sessionId });
  };
  const rpcResult = (reqMsgId: bigint, result: Uint8Array) => {
    const w = new TlWriter();
    w.uint32(Api.RpcResult.id);
    w.int64(reqMsgId);
    w.raw(result);
    return w.result();
  };
  return {
    session,
    read,
    frame,
    rpcResult,
    serverMsgId,
    advance: (ms: number) => {
      now += ms;
      serverMsgSeconds = Math.floor((now - clockOffsetMs) / 1000);
    },
  };
}

const ping = (id: bigint) => Api.ping.encode({ _: 'ping', pingId: id });
const config = encodeObject({ _: 'inputUser', userId: 5n, accessHash: 6n } as Api.InputUser);

describe('ClientSession', () => {
  test('a request goes out with our session, salt, a client msg_id and an odd seq_no; its answer comes back', () => {
    const { session, read, frame, rpcResult } = setup();
    const requestId = session.send(ping(1n));
    const sent = read(session.flush()!);
    expect(sent.sessionId).toBe(42n);
    expect(sent.salt).toBe(111n);
    expect(sent.msgId % 4n).toBe(0n);
    expect(sent.seqNo).toBe(1);
    expect(session.flush()).toBeUndefined();
    const events = session.receive(frame(rpcResult(sent.msgId, config)));
    expect(events).toEqual([{ type: 'result', requestId, body: config }]);
    // The rpc_result was content-related: the next flush acks it.
    const ack = read(session.flush()!);
    expect(constructorIdOf(ack.body)).toBe(Api.MsgsAck.id);
    expect(ack.seqNo % 2).toBe(0);
  });

  test('several requests share one container whose id is above theirs', () => {
    const { session, read } = setup();
    session.send(ping(1n));
    session.send(ping(2n));
    session.send(ping(3n));
    const sent = read(session.flush()!);
    expect(sent.inner.map((m) => m.seqNo)).toEqual([1, 3, 5]);
    expect(sent.seqNo).toBe(6);
    for (const m of sent.inner) expect(m.msgId < sent.msgId).toBe(true);
  });

  test('bad_server_salt: the new salt is stored and the request resent under a new msg_id, same request id', () => {
    const { session, read, frame, rpcResult } = setup();
    const requestId = session.send(ping(1n));
    const first = read(session.flush()!);
    const notice = Api.BadServerSalt.encode({
      _: 'bad_server_salt',
      badMsgId: first.msgId,
      badMsgSeqno: 1,
      errorCode: 48,
      newServerSalt: 777n,
    });
    expect(session.receive(frame(notice, undefined, 0))).toEqual([{ type: 'saltChanged', salt: 777n }]);
    const second = read(session.flush()!);
    expect(second.salt).toBe(777n);
    expect(second.msgId > first.msgId).toBe(true);
    expect(session.receive(frame(rpcResult(second.msgId, config)))).toEqual([{ type: 'result', requestId, body: config }]);
  });

  test('a clock 60 s off recovers through bad_msg_notification 16 (the notice is outside the time window)', () => {
    const { session, read, frame, rpcResult } = setup(-60_000);
    const requestId = session.send(ping(1n));
    const first = read(session.flush()!);
    const notice = Api.BadMsgNotification.encode({ _: 'bad_msg_notification', badMsgId: first.msgId, badMsgSeqno: 1, errorCode: 16 });
    const events = session.receive(frame(notice, undefined, 0));
    expect(events).toEqual([{ type: 'timeSynced', offset: 60 }]);
    const second = read(session.flush()!);
    expect(Math.abs(Number(second.msgId >> 32n) - T0 / 1000)).toBeLessThanOrEqual(1);
    expect(session.receive(frame(rpcResult(second.msgId, config)))).toEqual([{ type: 'result', requestId, body: config }]);
  });

  test('an answer 60 s ahead of our clock proves our clock wrong: the clock is synced and the answer delivered', () => {
    const { session, read, frame, rpcResult } = setup(-60_000);
    const requestId = session.send(ping(1n));
    const sent = read(session.flush()!);
    expect(session.receive(frame(rpcResult(sent.msgId, config)))).toEqual([
      { type: 'timeSynced', offset: 60 },
      { type: 'result', requestId, body: config },
    ]);
  });

  test('an update 60 s ahead of our clock, about nothing we sent, is dropped', () => {
    const { session, frame, serverMsgId } = setup(-60_000);
    expect(session.receive(frame(encodeObject({ _: 'updatesTooLong' }), serverMsgId(3)))).toEqual([
      { type: 'dropped', reason: 'msg_id too-new' },
    ]);
  });

  test('a notice outside the time window about a message we never sent is dropped', () => {
    const { session, frame } = setup(-60_000);
    const notice = Api.BadMsgNotification.encode({ _: 'bad_msg_notification', badMsgId: 4n, badMsgSeqno: 1, errorCode: 16 });
    expect(session.receive(frame(notice))).toEqual([{ type: 'dropped', reason: 'msg_id too-new' }]);
    expect(session.timeOffset).toBe(0);
  });

  test('a replayed frame and an older msg_id never reach the caller', () => {
    const { session, frame, serverMsgId } = setup();
    const older = serverMsgId(3);
    const update = encodeObject({ _: 'updatesTooLong' });
    const f = frame(update, serverMsgId(3));
    expect(session.receive(f)).toEqual([{ type: 'update', body: update }]);
    expect(session.receive(f)).toEqual([{ type: 'dropped', reason: 'msg_id replay' }]);
    expect(session.receive(frame(update, older))).toEqual([{ type: 'dropped', reason: 'msg_id replay' }]);
  });

  test('a server msg_id with client parity is dropped', () => {
    const { session, frame } = setup();
    const evenId = (BigInt(T0 / 1000) << 32n) | 8n;
    expect(session.receive(frame(encodeObject({ _: 'updatesTooLong' }), evenId))).toEqual([{ type: 'dropped', reason: 'msg_id parity' }]);
  });

  test('a container with an inner id above the container id is dropped whole', () => {
    const { session, frame, serverMsgId } = setup();
    const a = serverMsgId(3);
    const container = serverMsgId(3);
    const b = serverMsgId(3);
    const body = packContainer([
      { msgId: a, seqNo: 1, body: encodeObject({ _: 'updatesTooLong' }) },
      { msgId: b, seqNo: 3, body: encodeObject({ _: 'updatesTooLong' }) },
    ]);
    expect(session.receive(frame(body, container, 4))).toEqual([{ type: 'dropped', reason: 'container message ids out of order' }]);
  });

  test('a frame for another session fails decryption checks', () => {
    const { session, frame } = setup();
    expect(() => session.receive(frame(encodeObject({ _: 'updatesTooLong' }), undefined, 1, 43n))).toThrow('message rejected');
  });

  test('gzip_packed results are inflated; rpc_error becomes an rpcError event', () => {
    const { session, read, frame, rpcResult } = setup();
    const a = session.send(ping(1n));
    const b = session.send(ping(2n));
    const [ma, mb] = read(session.flush()!).inner;
    const packed = Api.GzipPacked.encode({ _: 'gzip_packed', packedData: new Uint8Array(gzipSync(config)) });
    const error = Api.RpcError.encode({ _: 'rpc_error', errorCode: 420, errorMessage: 'FLOOD_WAIT_3' });
    const container = packContainer([
      { msgId: (BigInt(T0 / 1000) << 32n) | 5n, seqNo: 1, body: rpcResult(ma!.msgId, packed) },
      { msgId: (BigInt(T0 / 1000) << 32n) | 9n, seqNo: 3, body: rpcResult(mb!.msgId, error) },
    ]);
    const events: SessionEvent[] = session.receive(frame(container, (BigInt(T0 / 1000) << 32n) | 13n, 4));
    expect(events).toEqual([
      { type: 'result', requestId: a, body: config },
      { type: 'rpcError', requestId: b, code: 420, message: 'FLOOD_WAIT_3' },
    ]);
  });

  test('leniency: a gzip_packed result in zlib framing (RFC 1950) is inflated like gzip', () => {
    const { session, read, frame, rpcResult } = setup();
    const requestId = session.send(ping(1n));
    const sent = read(session.flush()!);
    const packed = Api.GzipPacked.encode({ _: 'gzip_packed', packedData: new Uint8Array(deflateSync(config)) });
    expect([...packed.subarray(5, 7)]).toEqual([0x78, 0x9c]); // after the id and the one-byte length
    expect(session.receive(frame(rpcResult(sent.msgId, packed)))).toEqual([{ type: 'result', requestId, body: config }]);
  });

  test('leniency: a msgs_ack with an odd seq_no is taken and not acked back', () => {
    const { session, read, frame, rpcResult, serverMsgId } = setup();
    session.send(ping(1n));
    const sent = read(session.flush()!);
    const ack = Api.MsgsAck.encode({ _: 'msgs_ack', msgIds: [sent.msgId] });
    expect(session.receive(frame(ack, serverMsgId(), 1))).toEqual([]);
    expect(session.flush()).toBeUndefined();
    // The rpc_result after it is content-related: the next ack names it alone.
    const resultMsgId = serverMsgId();
    session.receive(frame(rpcResult(sent.msgId, config), resultMsgId, 3));
    expect(Api.MsgsAck.decode(read(session.flush()!).body).msgIds).toEqual([resultMsgId]);
  });

  test('new_session_created updates the salt and resends what went out before first_msg_id', () => {
    const { session, read, frame } = setup();
    session.send(ping(1n));
    const first = read(session.flush()!);
    const created = Api.NewSessionCreated.encode({
      _: 'new_session_created',
      firstMsgId: first.msgId + 4n,
      uniqueId: 1n,
      serverSalt: 555n,
    });
    expect(session.receive(frame(created))).toEqual([{ type: 'newSession', firstMsgId: first.msgId + 4n }]);
    const again = read(session.flush()!);
    expect(again.salt).toBe(555n);
    expect(again.inner.some((m) => constructorIdOf(m.body) === Api.ping.id)).toBe(true);
  });

  test('large requests go out as gzip_packed with an odd seq_no', () => {
    const { session, read } = setup();
    const big = encodeObject({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: 'x'.repeat(5000), randomId: 1n } as never);
    session.send(big);
    const sent = read(session.flush()!);
    expect(constructorIdOf(sent.body)).toBe(Api.GzipPacked.id);
    expect(sent.seqNo % 2).toBe(1);
    expect(sent.body.length).toBeLessThan(big.length);
  });

  test('after a reconnect, unanswered requests go out again under their original msg_id and seq_no, each alone', () => {
    const { session, read, frame, rpcResult } = setup();
    const a = session.send(ping(1n));
    const b = session.send(ping(2n));
    const lost = read(session.flush()!);
    expect(lost.inner).toHaveLength(2);
    session.resumeAfterReconnect();
    const again = [read(session.flush()!), read(session.flush()!)];
    expect(session.flush()).toBeUndefined();
    expect(again.map((m) => [m.msgId, m.seqNo])).toEqual(lost.inner.map((m) => [m.msgId, m.seqNo]));
    expect(again.map((m) => [...m.body])).toEqual(lost.inner.map((m) => [...m.body]));
    expect(session.receive(frame(rpcResult(again[1]!.msgId, config)))).toEqual([{ type: 'result', requestId: b, body: config }]);
    expect(session.receive(frame(rpcResult(again[0]!.msgId, config)))).toEqual([{ type: 'result', requestId: a, body: config }]);
  });
});
