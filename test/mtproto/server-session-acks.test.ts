import { describe, expect, it } from 'vitest';
import { authKeyIdFor } from '../../src/crypto/handshake-kdf.js';
import { decryptMessage, encryptMessage } from '../../src/crypto/message.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { Api as Service } from '../../src/generated/service/index.js';
import { buildPlaintext, constructorIdOf, ids, packContainer, unpackContainer, type InnerMessage } from '../../src/mtproto/envelope.js';
import { MsgIdGenerator } from '../../src/mtproto/msg-id.js';
import { ServerSalts } from '../../src/mtproto/server-salts.js';
import { ServerSession } from '../../src/mtproto/server-session.js';
import { nodeCompression } from '../../src/platform/compression.js';

const authKey = nodeCrypto.randomBytes(256);
const authKeyId = authKeyIdFor(authKey, nodeCrypto);
const now = () => 1_700_000_000_000;
const QUERY = new Uint8Array([0x62, 0x8d, 0x01, 0x1f]); // an API call's constructor id, no fields

function setup() {
  const session = new ServerSession({
    crypto: nodeCrypto,
    now,
    compression: nodeCompression,
    authKey,
    sessionId: 9n,
    salts: new ServerSalts(3n, now() / 1000, (n) => nodeCrypto.randomBytes(n)),
  });
  const clientIds = new MsgIdGenerator(now);
  /** One client frame: a container of `bodies` (content-related, odd seq_no) and its inner msg_ids. */
  const send = (bodies: Uint8Array[]): bigint[] => {
    const inner: InnerMessage[] = bodies.map((body, i) => ({ msgId: clientIds.next('client'), seqNo: 2 * i + 1, body }));
    const container = packContainer(inner);
    const plaintext = buildPlaintext(3n, 9n, clientIds.next('client'), 2 * bodies.length, container);
    session.receive(
      decryptMessage(authKey, authKeyId, encryptMessage({ authKey, authKeyId, plaintext, x: 0, provider: nodeCrypto }), 0, {
        provider: nodeCrypto,
      }),
    );
    return inner.map((m) => m.msgId);
  };
  /** Every flushed frame, decrypted and its container opened. */
  const flush = () =>
    session.flush().map((frame) => {
      const body = decryptMessage(authKey, authKeyId, frame, 8, { provider: nodeCrypto }).body;
      return constructorIdOf(body) === ids.msgContainer ? unpackContainer(body).map((m) => m.body) : [body];
    });
  const ackedIn = (bodies: Uint8Array[]) =>
    bodies.filter((b) => constructorIdOf(b) === ids.msgsAck).flatMap((b) => Service.MsgsAck.decode(b).msgIds);
  return { session, send, flush, ackedIn };
}

describe('ServerSession acks and batching', () => {
  it('does not ack 1,000 running queries, then answers all of them in one frame without a single ack', () => {
    const { session, send, flush, ackedIn } = setup();
    const queries = send(Array.from({ length: 1000 }, () => QUERY));
    const [first, ...rest] = flush();
    expect(rest).toEqual([]);
    expect(first!.map(constructorIdOf)).toEqual([Service.NewSessionCreated.id]);
    expect(session.hasOutgoing).toBe(false);
    for (const id of queries) session.reply(id, Service.RpcAnswerUnknown.encode({ _: 'rpc_answer_unknown' }));
    const frames = flush();
    expect(frames).toHaveLength(1);
    expect(frames[0]!.filter((b) => constructorIdOf(b) === ids.rpcResult)).toHaveLength(1000);
    expect(ackedIn(frames[0]!)).toEqual([]);
  });

  it('acks what no answer acknowledges, once, and a running query once its answer is dropped', () => {
    const { session, send, flush, ackedIn } = setup();
    const ack = Service.MsgsAck.encode({ _: 'msgs_ack', msgIds: [1n] }); // never content-related: never acked
    const [query] = send([QUERY]);
    flush();
    const update = Service.HttpWait.encode({ _: 'http_wait', maxDelay: 0, waitAfter: 0, maxWait: 0 });
    const [wait] = send([update, ack]);
    expect(ackedIn(flush().flat())).toEqual([wait]);
    expect(session.hasOutgoing).toBe(false);
    const [drop] = send([Service.rpcDropAnswer.encode({ _: 'rpc_drop_answer', reqMsgId: query! })]);
    const out = flush().flat();
    expect(ackedIn(out)).toEqual([query]); // the drop itself is answered with rpc_result, which acknowledges it
    expect(
      out.some((b) => constructorIdOf(b) === ids.rpcResult && new DataView(b.buffer, b.byteOffset).getBigInt64(4, true) === drop),
    ).toBe(true);
    expect(flush()).toEqual([]);
  });
});
