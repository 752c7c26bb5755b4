/**
 * Session targets. The client's receive path (decryption for the session, then ClientSession.receive,
 * as the client's I/O shell runs them) gets random frames (only SecurityError may come out) and,
 * more usefully, authentic frames (x = 8, the session's key) around arbitrary bodies: containers,
 * rpc_result, gzip_packed (bombs included, inflate capped at 256 KiB), bad_msg_notification,
 * new_session_created, acks, updates. ServerSession.receive gets decrypted client messages the same
 * way. Bodies may hold markers that `run` replaces by the msg_ids the session really sent (REF) or by
 * ids just below the current message's id (INNER), so notices and answers find what they refer to.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { decryptMessage, encryptMessage } from '../src/crypto/message.js';
import { nodeCrypto } from '../src/crypto/node.js';
import { SecurityError } from '../src/crypto/security-error.js';
import { MtwireError } from '../src/base/errors.js';
import { ClientSession } from '../src/mtproto/client-session.js';
import { buildPlaintext, packContainer, unpackContainer, unpackGzipPacked } from '../src/mtproto/envelope.js';
import { nodeCompression } from '../src/platform/compression.js';
import { ServerSalts } from '../src/mtproto/server-salts.js';
import { Api, encodeObject } from '../src/api/index.js';
import { ApiServerSession } from '../src/server/api-session.js';
import { ByteSource, concat, lengthPrefixed, mutated, randomBytes, u32le } from './bytes.js';
import { ContractViolation, checkTyped, type FuzzTarget } from './harness.js';
import { AUTH_KEY, AUTH_KEY_ID, SESSION_ID, streamRandom } from './targets-crypto.js';
import { DICTIONARY, anyEncoding, encodingsOf } from './targets-tl.js';

const NOW = 1_735_910_891_000;
const SECONDS = BigInt(NOW / 1000) << 32n;
const INFLATE_CAP = 256 * 1024;
const SALT = 0x5a17n;

/** Marker longs: REF k → the k-th id the session sent; INNER k → an id k steps below the message's own. */
const REF = (k: number): bigint => 0x0defaced00000000n | BigInt(k & 0xff);
const INNER = (k: number): bigint => 0x0defacee00000000n | BigInt(k & 0x3f);

function le64(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt.asIntN(64, v), true);
  return out;
}

/** Replaces the markers (at any offset) by real ids. */
function resolve(body: Uint8Array, refs: readonly bigint[], own: bigint): Uint8Array {
  const out = body.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 8 <= out.length; i++) {
    if (out[i + 1] !== 0 || out[i + 2] !== 0 || out[i + 3] !== 0) continue;
    const high = view.getUint32(i + 4, true);
    if (high === 0x0defaced && refs.length) view.setBigInt64(i, refs[out[i]! % refs.length]!, true);
    else if (high === 0x0defacee) view.setBigInt64(i, own - 4n * BigInt(64 - (out[i]! & 0x3f)), true);
  }
  return out;
}

let bombs: Uint8Array[] | undefined;
/** gzip streams that inflate far beyond their size: 4 KiB, just above the cap, 4 MiB, and a gzip of a gzip. */
function gzipBombs(): Uint8Array[] {
  if (!bombs) {
    const zeros = (n: number) => new Uint8Array(n);
    const big = gzipSync(zeros(4 * 1024 * 1024));
    bombs = [
      gzipSync(zeros(4096)),
      gzipSync(zeros(INFLATE_CAP + 4)),
      big,
      gzipSync(Api.GzipPacked.encode({ _: 'gzip_packed', packedData: big })),
    ].map((b) => new Uint8Array(b));
  }
  return bombs;
}

const gzipPacked = (inner: Uint8Array): Uint8Array =>
  Api.GzipPacked.encode({ _: 'gzip_packed', packedData: new Uint8Array(gzipSync(inner)) });
const long = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const ref = fc.nat(7).map(REF);
const refOrLong = fc.oneof({ weight: 3, arbitrary: ref }, { weight: 1, arbitrary: long });
const NOTICE_CODES = [16, 17, 18, 19, 20, 32, 33, 34, 35, 48, 64];
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

/** What a server may send: service messages referring to our requests, results, updates, gzip, containers. */
const serverLeaf: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .tuple(
      ref,
      fc.oneof(
        anyEncoding,
        fc
          .tuple(int32, fc.string({ maxLength: 30, size: 'max' }))
          .map(([c, m]) => Api.RpcError.encode({ _: 'rpc_error', errorCode: c, errorMessage: m })),
        randomBytes(40),
      ),
      fc.boolean(),
    )
    .map(([id, result, zip]) => concat(u32le(Api.RpcResult.id), le64(id), zip ? gzipPacked(result) : result)),
  fc
    .tuple(ref, fc.nat(3))
    .map(([id, i]) => concat(u32le(Api.RpcResult.id), le64(id), Api.GzipPacked.encode({ _: 'gzip_packed', packedData: gzipBombs()[i]! }))),
  fc
    .tuple(refOrLong, int32, fc.oneof(fc.constantFrom(...NOTICE_CODES), int32))
    .map(([badMsgId, badMsgSeqno, errorCode]) =>
      Api.BadMsgNotification.encode({ _: 'bad_msg_notification', badMsgId, badMsgSeqno, errorCode }),
    ),
  fc
    .tuple(refOrLong, int32, long)
    .map(([badMsgId, badMsgSeqno, newServerSalt]) =>
      Api.BadServerSalt.encode({ _: 'bad_server_salt', badMsgId, badMsgSeqno, errorCode: 48, newServerSalt }),
    ),
  fc
    .tuple(refOrLong, long, long)
    .map(([firstMsgId, uniqueId, serverSalt]) =>
      Api.NewSessionCreated.encode({ _: 'new_session_created', firstMsgId, uniqueId, serverSalt }),
    ),
  fc.array(refOrLong, { maxLength: 5 }).map((msgIds) => Api.MsgsAck.encode({ _: 'msgs_ack', msgIds })),
  fc.tuple(refOrLong, long).map(([msgId, pingId]) => Api.Pong.encode({ _: 'pong', msgId, pingId })),
  fc.tuple(refOrLong, int32).map(([reqMsgId, now]) =>
    Api.FutureSalts.encode({
      _: 'future_salts',
      reqMsgId,
      now,
      salts: [{ _: 'future_salt', validSince: now, validUntil: now + 1800, salt: 1n }],
    }),
  ),
  fc
    .tuple(refOrLong, fc.uint8Array({ maxLength: 8 }))
    .map(([reqMsgId, info]) => Api.MsgsStateInfo.encode({ _: 'msgs_state_info', reqMsgId, info })),
  fc
    .tuple(refOrLong, long, int32)
    .map(([msgId, answerMsgId, bytes]) => Api.MsgDetailedInfo.encode({ _: 'msg_detailed_info', msgId, answerMsgId, bytes, status: 0 })),
  encodingsOf('updateShort'),
  anyEncoding,
  randomBytes(64),
);

/** A container of inner messages with INNER ids (increasing), or a leaf, or a leaf in gzip. */
function withContainers(leaf: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const inner = fc.tuple(fc.nat(3), int32, fc.oneof({ weight: 5, arbitrary: leaf }, { weight: 1, arbitrary: leaf.map(gzipPacked) }));
  const container = fc.array(inner, { maxLength: 4 }).map((parts) => {
    let k = 1;
    return packContainer(
      parts.map(([step, seqNo, body]) => {
        k += step;
        return { msgId: INNER(k), seqNo, body: body.length % 4 ? concat(body, new Uint8Array(4 - (body.length % 4))) : body };
      }),
    );
  });
  return fc.oneof({ weight: 4, arbitrary: leaf }, { weight: 1, arbitrary: leaf.map(gzipPacked) }, { weight: 2, arbitrary: container });
}

/** One message: header byte (id mode, session, seq_no), selector byte, seq_no byte, then a u16-prefixed body. */
const messageArb = (bodies: fc.Arbitrary<Uint8Array>) =>
  fc
    .tuple(
      fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(255) }),
      fc.nat(255),
      fc.nat(255),
      mutated(bodies, DICTIONARY, 3),
    )
    .map(([h, sel, seq, body]) => concat(Uint8Array.of(h, sel, seq), lengthPrefixed(body)));
const sequenceArb = (bodies: fc.Arbitrary<Uint8Array>) =>
  fc.array(messageArb(bodies), { minLength: 1, maxLength: 3 }).map((ms) => concat(...ms));

/** The msg_id of the i-th message of an input: mode 0 in order, 1 a replay, 2 outside the time window, 3 from the selector. */
function msgIdFor(i: number, h: number, sel: number, previous: bigint, parity: bigint): bigint {
  const next = SECONDS + 0x10000000n + BigInt(i + 1) * 0x1000n + parity;
  switch (h & 3) {
    case 0:
      return next;
    case 1:
      return previous;
    case 2:
      return next + (sel & 1 ? 1n : -1n) * (BigInt(40 + sel * 20) << 32n);
    default:
      return next + BigInt(sel & 3) - parity;
  }
}

/** One fuzzed message header: control byte h, selector, seq_no, and a msg_id drawn relative to the previous one. */
interface MessageSlot {
  h: number;
  sel: number;
  seq: number;
  msgId: bigint;
}

/** Up to four message headers read from `src` in turn (h, sel, seq), the msg_id low bits given by `parity(sel)`. */
function* messageSlots(src: ByteSource, parity: (sel: number) => bigint): Generator<MessageSlot> {
  let previous = 0n;
  for (let i = 0; i < 4 && src.remaining > 0; i++) {
    const h = src.u8();
    const sel = src.u8();
    const seq = src.u8();
    const msgId = msgIdFor(i, h, sel, previous, parity(sel));
    previous = msgId;
    yield { h, sel, seq, msgId };
  }
}

const isSecurityError = (e: unknown): boolean => e instanceof SecurityError;

/** A client session that has sent four requests (three in a container, one alone): their ids are the REF targets. */
function clientWithRequests(): { session: ClientSession; refs: bigint[] } {
  const session = new ClientSession({
    crypto: nodeCrypto,
    now: () => NOW,
    authKey: AUTH_KEY,
    serverSalt: SALT,
    sessionId: SESSION_ID,
    random: streamRandom(8),
    compression: nodeCompression,
    maxInflatedBytes: INFLATE_CAP,
  });
  for (const q of [
    Api.help.getConfig.encode({ _: 'help.getConfig' }),
    Api.ping.encode({ _: 'ping', pingId: 1n }),
    encodeObject({ _: 'updates.getState' }),
  ])
    session.send(q);
  session.flush();
  session.send(Api.getFutureSalts.encode({ _: 'get_future_salts', num: 2 }));
  session.flush();
  const { requests } = session as unknown as { requests: { sent: Map<bigint, unknown>; containers: Map<bigint, unknown> } };
  return { session, refs: [...requests.sent.keys(), ...requests.containers.keys()] };
}

/** What the client's I/O shell does with a frame: decrypt it for the session (SecurityError if it fails), then receive. */
function receiveFrame(session: ClientSession, frame: Uint8Array): unknown {
  const message = decryptMessage(session.authKey, session.authKeyId, frame, 8, { provider: nodeCrypto, sessionId: session.sessionId });
  return session.receive(message);
}

export const sessionClientRandom: FuzzTarget = {
  name: 'session-client-random',
  description:
    'decryption + ClientSession.receive on random frames (with and without the right auth_key_id): only SecurityError may come out',
  cost: 'cheap',
  arbitrary: fc.tuple(fc.boolean(), randomBytes(400)).map(([keyed, rest]) => (keyed ? concat(AUTH_KEY_ID, rest) : rest)),
  allowed: isSecurityError,
  run(data) {
    const { session } = clientWithRequests();
    return receiveFrame(session, data);
  },
};

export const sessionClient: FuzzTarget = {
  name: 'session-client',
  description:
    'ClientSession.receive on authentic frames (x = 8) with random/mutated bodies, 1-3 in a row, then flush: an authentic frame may give events, never an error',
  cost: 'expensive',
  arbitrary: sequenceArb(withContainers(serverLeaf)),
  allocBudget: () => 6 * INFLATE_CAP + 2 * 1024 * 1024,
  run(data) {
    const { session, refs } = clientWithRequests();
    const src = new ByteSource(data);
    const events: unknown[] = [];
    for (const { h, sel, seq, msgId } of messageSlots(src, (sel) => (sel & 2 ? 3n : 1n))) {
      let body = resolve(src.chunk(), refs, msgId);
      if (body.length % 4) body = concat(body, new Uint8Array(4 - (body.length % 4)));
      const sessionId = h & 4 ? session.sessionId ^ BigInt(sel + 1) : session.sessionId; // it changes after bad_msg_notification 32/33
      const frame = encryptMessage({
        authKey: AUTH_KEY,
        authKeyId: AUTH_KEY_ID,
        plaintext: buildPlaintext(SALT, sessionId, msgId, seq, body),
        x: 8,
        provider: nodeCrypto,
        random: streamRandom(9),
      });
      try {
        events.push(receiveFrame(session, frame));
      } catch (error) {
        if (error instanceof SecurityError && h & 4) continue; // another session id: refused by decryption, as documented
        if (error instanceof MtwireError) throw new ContractViolation('ClientSession.receive threw on an authentic frame', error);
        throw error;
      }
      events.push(checkTyped(() => session.flush()));
    }
    return events;
  },
};

/** What a client may send: the service calls the server handles itself, wrapped API calls, gzip, random methods. */
const clientLeaf: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.tuple(long).map(([pingId]) => Api.ping.encode({ _: 'ping', pingId })),
  fc
    .tuple(long, int32)
    .map(([pingId, disconnectDelay]) => Api.pingDelayDisconnect.encode({ _: 'ping_delay_disconnect', pingId, disconnectDelay })),
  int32.map((num) => Api.getFutureSalts.encode({ _: 'get_future_salts', num })),
  long.map((sessionId) => Api.destroySession.encode({ _: 'destroy_session', sessionId })),
  fc
    .array(fc.oneof(fc.nat(8).map(INNER), long), { maxLength: 6 })
    .map((msgIds) => Api.MsgsStateReq.encode({ _: 'msgs_state_req', msgIds })),
  fc.oneof(fc.nat(8).map(INNER), long).map((reqMsgId) => Api.rpcDropAnswer.encode({ _: 'rpc_drop_answer', reqMsgId })),
  fc.array(fc.oneof(fc.nat(8).map(INNER), long), { maxLength: 4 }).map((msgIds) => Api.MsgsAck.encode({ _: 'msgs_ack', msgIds })),
  fc.array(long, { maxLength: 3 }).map((msgIds) => Api.MsgResendReq.encode({ _: 'msg_resend_req', msgIds })),
  fc
    .integer({ min: 1, max: 300 })
    .map((layer) =>
      encodeObject({ _: 'invokeWithLayer', layer, query: { _: 'invokeWithoutUpdates', query: { _: 'help.getConfig' } } } as never),
    ),
  encodingsOf('initConnection'),
  encodingsOf('invokeAfterMsg'),
  fc
    .constantFrom('help.getConfig', 'messages.sendMessage', 'users.getUsers', 'upload.saveFilePart', 'auth.sendCode')
    .chain((n) => encodingsOf(n)),
  anyEncoding,
  randomBytes(64),
);

export const sessionServer: FuzzTarget = {
  name: 'session-server',
  description:
    'ServerSession.receive (through the server layer, which decodes queries) on decrypted client messages (x = 0 side) with random/mutated bodies, 1-3 in a row, then flush',
  cost: 'cheap',
  arbitrary: sequenceArb(withContainers(clientLeaf)),
  allocBudget: () => 6 * INFLATE_CAP + 2 * 1024 * 1024,
  run(data) {
    const session = new ApiServerSession({
      crypto: nodeCrypto,
      now: () => NOW,
      authKey: AUTH_KEY,
      sessionId: SESSION_ID,
      salts: new ServerSalts(SALT, NOW / 1000, streamRandom(10)),
      random: streamRandom(11),
      compression: nodeCompression,
      maxInflatedBytes: INFLATE_CAP,
      destroySession: (id) => (id & 1n) === 0n,
    });
    const src = new ByteSource(data);
    const out: unknown[] = [];
    for (const { h, sel, seq, msgId } of messageSlots(src, () => 0n)) {
      const body = resolve(src.chunk(), [], msgId);
      const salt = h & 4 ? SALT + BigInt(sel) : SALT;
      out.push(checkTyped(() => session.receive({ salt, sessionId: SESSION_ID, msgId, seqNo: seq, body })));
      out.push(checkTyped(() => session.flush()));
    }
    return out;
  },
};

export const unpackContainerTarget: FuzzTarget = {
  name: 'unpack-container',
  description: 'unpackContainer on random and mutated containers: every inner body must lie inside the input',
  cost: 'cheap',
  arbitrary: fc.oneof(
    randomBytes(200),
    mutated(
      withContainers(serverLeaf).map((b) => resolve(b, [1n], SECONDS)),
      DICTIONARY,
      4,
    ),
  ),
  run(data) {
    const messages = checkTyped(() => unpackContainer(data));
    for (const m of messages ?? []) {
      if (m.body.buffer !== data.buffer || m.body.length % 4 !== 0 || m.body.length < 4)
        throw new ContractViolation('inner body is not a 4-aligned view into the container');
    }
    return messages;
  },
};

export const gzipTarget: FuzzTarget = {
  name: 'gzip-packed',
  description:
    'unpackGzipPacked with the node compression and a 64 KiB cap on random, mutated and bomb gzip_packed bodies: output never above the cap',
  cost: 'cheap',
  arbitrary: fc.oneof(
    randomBytes(200),
    mutated(
      fc.oneof(
        anyEncoding.map(gzipPacked),
        fc.constantFrom(0, 1, 2, 3).map((i) => Api.GzipPacked.encode({ _: 'gzip_packed', packedData: gzipBombs()[i]! })),
      ),
      DICTIONARY,
      3,
    ),
  ),
  allocBudget: () => 4 * 1024 * 1024,
  run(data) {
    const out = checkTyped(() => unpackGzipPacked(data, nodeCompression, 64 * 1024));
    if (out && out.length > 64 * 1024) throw new ContractViolation(`inflated to ${out.length} bytes past the cap`);
    return out;
  },
};

export const sessionTargets: FuzzTarget[] = [sessionClientRandom, sessionClient, sessionServer, unpackContainerTarget, gzipTarget];
