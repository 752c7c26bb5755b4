/**
 * The parts of the encrypted-message layer that client and server sessions share: the plaintext
 * header, msg_container packing, seq_no counting, and the receive-side checks on msg_ids (order,
 * replay, parity, time window). Service constructor ids come from the generated schema, never from
 * literals.
 */
import { MtwireError } from '../base/errors.js';
import { Api as Service } from '../generated/service/index.js';
import { readInt64LE } from '../crypto/bigint.js';
import { PLAINTEXT_HEADER_LENGTH, writePlaintext, type MessageData } from '../crypto/message.js';
import { DEFAULT_GZIP_ABOVE, looksCompressible, type Compression } from './compression.js';
import { hasSenderParity, msgIdSeconds } from './msg-id.js';

export const ids = {
  rpcResult: Service.RpcResult.id,
  rpcError: Service.RpcError.id,
  gzipPacked: Service.GzipPacked.id,
  msgContainer: Service.MsgContainer.id,
  msgsAck: Service.MsgsAck.id,
  badMsgNotification: Service.BadMsgNotification.id,
  badServerSalt: Service.BadServerSalt.id,
  newSessionCreated: Service.NewSessionCreated.id,
  pong: Service.Pong.id,
} as const;

/**
 * Service messages that are never content-related (spec §3): they are sent with an even seq_no and never
 * acked. Received, they are taken with either parity, as Telegram takes them (mtcute sends its msgs_ack
 * odd). gzip_packed is not here: a packed message takes the parity of what it packs.
 */
const NEVER_CONTENT_RELATED = new Set<number>([ids.msgsAck, ids.msgContainer, Service.MsgCopy.id]);

export function isContentRelatedId(constructorId: number): boolean {
  return !NEVER_CONTENT_RELATED.has(constructorId);
}

/** Service messages a client may mark content-related or not (spec §3); every other query must be odd. */
const EITHER_PARITY = new Set<number>([
  Service.ping.id,
  Service.pingDelayDisconnect.id,
  Service.getFutureSalts.id,
  Service.destroySession.id,
  Service.MsgsStateReq.id,
  Service.MsgResendReq.id,
  Service.MsgsAllInfo.id,
  Service.rpcDropAnswer.id,
  Service.HttpWait.id,
  Service.destroyAuthKey.id,
]);
export function mayTakeEitherParity(constructorId: number): boolean {
  return EITHER_PARITY.has(constructorId);
}

/** A container may hold at most this many messages. */
export const MAX_CONTAINER_MESSAGES = 1024;
/** msgs_ack, msgs_state_req and msg_resend_req carry at most this many ids. */
export const MAX_IDS_PER_SERVICE_MESSAGE = 8192;

export class EnvelopeError extends MtwireError {
  constructor(message: string) {
    super('MTPROTO_ENVELOPE', message);
  }
}

/** The first 4 bytes of a body as a constructor id, or -1 when the body is too short. */
export function constructorIdOf(body: Uint8Array): number {
  if (body.length < 4) return -1;
  return (body[0]! | (body[1]! << 8) | (body[2]! << 16) | (body[3]! << 24)) >>> 0;
}

/**
 * seq_no: content-related messages take `2 * count + 1` and increase the count, the others `2 * count`.
 */
export class SeqNoCounter {
  private contentCount = 0;

  next(contentRelated: boolean): number {
    if (!contentRelated) return this.contentCount * 2;
    return this.contentCount++ * 2 + 1;
  }
}

/** `salt | session_id | msg_id | seq_no | length | body`: the plaintext before padding and encryption. */
export function buildPlaintext(salt: bigint, sessionId: bigint, msgId: bigint, seqNo: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(PLAINTEXT_HEADER_LENGTH + body.length);
  writePlaintext(out, 0, { salt, sessionId, msgId, seqNo, data: body });
  return out;
}

export interface InnerMessage {
  readonly msgId: bigint;
  readonly seqNo: number;
  readonly body: Uint8Array;
}

/**
 * `msg_container#73f1f8dc messages:vector<message>`, each message `msg_id seqno bytes body`, as message
 * data that encryptMessage writes straight into the encrypted message's buffer (one copy of each body).
 */
export function containerData(messages: readonly InnerMessage[]): MessageData {
  if (messages.length > MAX_CONTAINER_MESSAGES) throw new EnvelopeError(`a container holds at most ${MAX_CONTAINER_MESSAGES} messages`);
  return {
    length: messages.reduce((n, m) => n + 16 + m.body.length, 8),
    writeTo(out, offset) {
      const view = new DataView(out.buffer, out.byteOffset);
      view.setUint32(offset, ids.msgContainer, true);
      view.setInt32(offset + 4, messages.length, true);
      let at = offset + 8;
      for (const m of messages) {
        view.setBigInt64(at, m.msgId, true);
        view.setInt32(at + 8, m.seqNo, true);
        view.setInt32(at + 12, m.body.length, true);
        out.set(m.body, at + 16);
        at += 16 + m.body.length;
      }
    },
  };
}

/** The container of `messages` as a body of its own (see containerData). */
export function packContainer(messages: readonly InnerMessage[]): Uint8Array {
  const data = containerData(messages);
  const out = new Uint8Array(data.length);
  data.writeTo(out, 0);
  return out;
}

/**
 * The messages of a container body (which starts with the container id). Strict: every length must fit
 * and be a multiple of 4, no container may nest, and nothing may follow the last message.
 */
export function unpackContainer(body: Uint8Array): InnerMessage[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (body.length < 8 || view.getUint32(0, true) !== ids.msgContainer) throw new EnvelopeError('not a msg_container');
  const count = view.getInt32(4, true);
  if (count < 0 || count > MAX_CONTAINER_MESSAGES || count * 16 > body.length - 8) throw new EnvelopeError(`bad container count ${count}`);
  const messages: InnerMessage[] = [];
  let pos = 8;
  for (let i = 0; i < count; i++) {
    if (pos + 16 > body.length) throw new EnvelopeError('container ends inside a message header');
    const msgId = view.getBigInt64(pos, true);
    const seqNo = view.getInt32(pos + 8, true);
    const length = view.getInt32(pos + 12, true);
    pos += 16;
    if (length < 4 || length % 4 !== 0 || length > body.length - pos) throw new EnvelopeError(`bad inner message length ${length}`);
    const inner = body.subarray(pos, pos + length);
    if (constructorIdOf(inner) === ids.msgContainer) throw new EnvelopeError('nested container');
    messages.push({ msgId, seqNo, body: inner });
    pos += length;
  }
  if (pos !== body.length) throw new EnvelopeError(`${body.length - pos} bytes after the last container message`);
  return messages;
}

/**
 * `body` as gzip_packed when it is longer than `above` bytes, its sample looks compressible (never media
 * or anything already compressed, see looksCompressible) and packing really makes it smaller. A body of
 * `above` bytes or less costs one comparison.
 */
export function gzipPackedIfWorthIt(body: Uint8Array, compression: Compression, above = DEFAULT_GZIP_ABOVE): Uint8Array {
  if (body.length <= above || constructorIdOf(body) === ids.gzipPacked || !looksCompressible(body)) return body;
  const packed = Service.GzipPacked.encode({ _: 'gzip_packed', packedData: compression.gzip(body) });
  return packed.length < body.length ? packed : body;
}

/** The serialized object inside a gzip_packed body; a stream inflating beyond `maxBytes` is refused. */
export function unpackGzipPacked(body: Uint8Array, compression: Compression, maxBytes: number): Uint8Array {
  return compression.gunzip(Service.GzipPacked.decode(body).packedData, maxBytes);
}

/** How far a peer's msg_id may be from our clock (spec §3): 30 s ahead, 300 s behind. */
export const TIME_WINDOW = { aheadSeconds: 30, behindSeconds: 300 } as const;

export type IncomingVerdict = 'ok' | 'parity' | 'replay' | 'too-new' | 'too-old';

/**
 * The receive-side msg_id rules of one session. Messages are accepted only in increasing msg_id order:
 * anything at or below the highest id already accepted is a replay or a reordering and is dropped, so a
 * caller never sees messages out of order. Inner messages of a container must increase too, stay above
 * everything accepted before the container and below the container's own id.
 */
export class IncomingMessageIds {
  private highest = 0n;

  constructor(private readonly sender: 'client' | 'server') {}

  /** The highest msg_id accepted so far. */
  get highestAccepted(): bigint {
    return this.highest;
  }

  /** Parity, order and time window of an outer message id; nothing is recorded. */
  verdict(msgId: bigint, nowSeconds: number): IncomingVerdict {
    if (!hasSenderParity(msgId, this.sender)) return 'parity';
    if (msgId <= this.highest) return 'replay';
    return timeVerdict(msgId, nowSeconds);
  }

  accept(msgId: bigint): void {
    if (msgId > this.highest) this.highest = msgId;
  }

  /** Whether the inner ids of a container with id `containerId` keep the order rules (given what was accepted before it). */
  containerInOrder(containerId: bigint, innerIds: readonly bigint[], highestBefore: bigint): boolean {
    let last = highestBefore;
    for (const id of innerIds) {
      if (!hasSenderParity(id, this.sender) || id <= last || id >= containerId) return false;
      last = id;
    }
    return true;
  }
}

export function timeVerdict(msgId: bigint, nowSeconds: number): IncomingVerdict {
  const seconds = msgIdSeconds(msgId);
  if (seconds > nowSeconds + TIME_WINDOW.aheadSeconds) return 'too-new';
  if (seconds < nowSeconds - TIME_WINDOW.behindSeconds) return 'too-old';
  return 'ok';
}

/** The msg_id of the peer's message that a service message answers or reports on, if it names one. */
export function referencedMsgId(body: Uint8Array): bigint | undefined {
  switch (constructorIdOf(body)) {
    case ids.rpcResult:
    case Service.FutureSalts.id:
    case Service.MsgsStateInfo.id:
      return readInt64LE(body, 4);
    case ids.pong:
      return Service.Pong.decode(body).msgId;
    case ids.badMsgNotification:
      return Service.BadMsgNotification.decode(body).badMsgId;
    case ids.badServerSalt:
      return Service.BadServerSalt.decode(body).badMsgId;
    case ids.newSessionCreated:
      return Service.NewSessionCreated.decode(body).firstMsgId;
    case Service.MsgDetailedInfo.id:
      return Service.MsgDetailedInfo.decode(body).msgId;
    default:
      return undefined;
  }
}
