/**
 * The server half of an encrypted MTProto session (one auth key, one session id) as a pure state
 * machine, the mirror of ClientSession: decrypted client messages go in and come out as queries to run
 * (`receive`), answers and updates go in (`reply`, `push`) and everything queued comes out as encrypted
 * frames (`flush`). No I/O and no timers; the clock, RNG and compression are injected. It reads and
 * writes only the service schema: queries come out and answers go in serialized, and the caller, which
 * knows the API, decodes the one and encodes the other.
 *
 * A message goes through the checks of spec §3 and §6 in this order: msg_id parity (18), time window
 * (17 too new, 16 too old), duplicates (ignored, or the stored answer again; 19 for a container, 20 when
 * it cannot be told), salt (bad_server_salt), container structure and order (64), and per message the
 * seq_no parity (35: an API query with an even seq_no; an odd seq_no on a message that is never
 * content-related is taken, as Telegram takes it, so 34 is never sent). A message refused by a check is
 * answered with the notice and not processed.
 */
import { authKeyIdFor } from '../crypto/handshake-kdf.js';
import { MtwireError } from '../base/errors.js';
import { encryptMessage, type DecryptedMessage, type MessageData } from '../crypto/message.js';
import { readInt64LE } from '../crypto/bigint.js';
import { takeRandom, type CryptoProvider, type RandomSource } from '../crypto/provider.js';
import { Api as Service } from '../generated/service/index.js';
import type { Compression } from './compression.js';
import {
  EnvelopeError,
  IncomingMessageIds,
  MAX_CONTAINER_MESSAGES,
  MAX_IDS_PER_SERVICE_MESSAGE,
  SeqNoCounter,
  containerData,
  constructorIdOf,
  gzipPackedIfWorthIt,
  ids,
  isContentRelatedId,
  mayTakeEitherParity,
  unpackContainer,
  unpackGzipPacked,
  type InnerMessage,
} from './envelope.js';
import { MsgIdGenerator, type MsgIdKind } from './msg-id.js';
import type { ServerSalts } from './server-salts.js';
import { StoredAnswers, type StoredAnswersLimits } from './stored-answers.js';

export interface ServerSessionOptions {
  crypto: CryptoProvider;
  /** Server clock in unix milliseconds. */
  now: () => number;
  authKey: Uint8Array;
  sessionId: bigint;
  /** The salts of the auth key, shared by all its sessions. */
  salts: ServerSalts;
  random?: RandomSource;
  /** Required for the reasons ClientSessionOptions.compression gives. */
  compression: Compression;
  /** Results over this many bytes may go as gzip_packed (default 1024, Infinity never): gzipPackedIfWorthIt. */
  gzipAbove?: number;
  /** Most bytes all gzip_packed parts of one received message inflate to (default 16 MiB): CPU and memory. */
  maxInflatedBytes?: number;
  /** Bounds of the answers kept for requests repeated with the same msg_id (see StoredAnswers). */
  storedAnswers?: StoredAnswersLimits;
  /** destroy_session for another session of the same key: true if it existed (default: none exists). */
  destroySession?: (sessionId: bigint) => boolean;
}

export type ServerSessionEvent =
  /**
   * An API call to run, serialized (gzip undone), wrappers such as invokeWithLayer still on: answer it
   * with `reply(reqMsgId, ...)`.
   */
  | { type: 'query'; reqMsgId: bigint; body: Uint8Array }
  /** ping_delay_disconnect: close the connection this many seconds from now unless another one comes. */
  | { type: 'disconnectAfter'; seconds: number }
  /** The message was refused with bad_msg_notification (or bad_server_salt, code 48). */
  | { type: 'refused'; msgId: bigint; code: number }
  /** The message was dropped without an answer (a duplicate). */
  | { type: 'ignored'; msgId: bigint; reason: string };

/** The serialized rpc_error answer, which `reply` takes like any serialized result. */
export function encodeRpcError(code: number, message: string): Uint8Array {
  return Service.RpcError.encode({ _: 'rpc_error', errorCode: code, errorMessage: message });
}

/** How many received msg_ids are remembered to tell a duplicate from an unknown old id. */
const RECENT_IDS = 2048;
/** The most message-body bytes one container carries. */
const CONTAINER_BYTES = 512 * 1024;

interface Outgoing {
  readonly body: Uint8Array;
  readonly contentRelated: boolean;
  readonly kind: MsgIdKind;
}

export class ServerSession {
  readonly sessionId: bigint;
  private readonly options: ServerSessionOptions;
  private readonly authKeyId: Uint8Array;
  private readonly msgIds: MsgIdGenerator;
  private readonly seq = new SeqNoCounter();
  private readonly incoming = new IncomingMessageIds('client');
  /** Accepted msg_ids, oldest first (a Set keeps insertion order). */
  private readonly recent = new Set<bigint>();
  /** The msg_ids of queries handed out and not answered yet. */
  private readonly pending = new Set<bigint>();
  /** rpc_result bodies by the msg_id of the request, for a request that comes again with the same id. */
  private readonly answers: StoredAnswers;
  /** What gzip_packed parts of the message being received may still inflate to. */
  private inflateBudget = 0;
  /** Content-related messages due for msgs_ack: not answered, no query running (its answer acks it). O(acks) a flush. */
  private readonly unacked = new Set<bigint>();
  private queue: Outgoing[] = [];
  private started = false;

  constructor(options: ServerSessionOptions) {
    this.options = options;
    this.sessionId = options.sessionId;
    this.authKeyId = authKeyIdFor(options.authKey, options.crypto);
    this.msgIds = new MsgIdGenerator(options.now);
    this.answers = new StoredAnswers(options.storedAnswers);
  }

  /** Releases what the session holds in shared budgets (its stored answers): call when discarding it. */
  close(): void {
    this.answers.clear();
  }

  /** Queries handed out by `receive` and not answered yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Whether a query handed out by `receive` still waits for its answer (neither answered nor dropped). */
  isPending(reqMsgId: bigint): boolean {
    return this.pending.has(reqMsgId);
  }

  get hasOutgoing(): boolean {
    return this.queue.length > 0 || this.unacked.size > 0;
  }

  /** Runs the checks on one message the caller decrypted (x = 0) and found to belong to this session. */
  receive(message: DecryptedMessage): ServerSessionEvent[] {
    const { msgId, seqNo, body } = message;
    const events: ServerSessionEvent[] = [];
    const now = this.options.now() / 1000;
    const isContainer = constructorIdOf(body) === ids.msgContainer;
    const verdict = this.incoming.verdict(msgId, now);
    const refuse = (code: number) => this.refuse(message, code, events);
    if (verdict === 'parity') return refuse(18);
    if (verdict === 'too-new') return refuse(17);
    if (verdict === 'too-old') return refuse(16);
    if (verdict === 'replay') {
      if (!this.recent.has(msgId)) return refuse(20);
      if (isContainer) return refuse(19);
      return this.repeated(msgId, events);
    }
    if (!this.options.salts.accepts(message.salt, now)) return refuse(48);
    let messages: InnerMessage[] = [{ msgId, seqNo, body }];
    if (isContainer) {
      // An odd container seq_no is taken (see isContentRelatedId): the parity of each inner message is checked below.
      try {
        messages = unpackContainer(body);
      } catch (err) {
        if (err instanceof EnvelopeError) return refuse(64);
        throw err;
      }
      if (
        !this.incoming.containerInOrder(
          msgId,
          messages.map((m) => m.msgId),
          this.incoming.highestAccepted,
        )
      )
        return refuse(64);
    }
    this.incoming.accept(msgId);
    for (const id of [msgId, ...(isContainer ? messages.map((m) => m.msgId) : [])]) this.remember(id);
    if (!this.started) {
      // Sent before any answer; first_msg_id is the lowest id of this message, so nothing of it is resent.
      this.started = true;
      const created = {
        _: 'new_session_created',
        firstMsgId: messages[0]?.msgId ?? msgId,
        uniqueId: this.randomLong(),
        serverSalt: this.options.salts.current(now),
      } as const;
      this.queueOut(Service.NewSessionCreated.encode(created), true);
    }
    this.inflateBudget = this.options.maxInflatedBytes ?? 16 * 1024 * 1024;
    for (const m of messages) this.handle(m, events);
    return events;
  }

  /**
   * Answers a query from `receive` with its serialized result or rpc_error (`encodeRpcError`), sent as
   * gzip_packed when that is smaller. False when the query is unknown or was dropped (rpc_drop_answer).
   */
  reply(reqMsgId: bigint, result: Uint8Array): boolean {
    if (!this.pending.delete(reqMsgId)) return false;
    this.answerWithResult(reqMsgId, gzipPackedIfWorthIt(result, this.options.compression, this.options.gzipAbove));
    return true;
  }

  /** Queues a serialized server-initiated message (an update): content-related, msg_id ≡ 3 (mod 4). */
  push(body: Uint8Array): void {
    this.queue.push({ body, contentRelated: true, kind: 'notification' });
  }

  /** Encrypted frames for everything queued plus the acks due, several messages to a container. */
  flush(): Uint8Array[] {
    const parts = this.queue;
    this.queue = [];
    const acks = [...this.unacked];
    this.unacked.clear();
    for (let i = 0; i < acks.length; i += MAX_IDS_PER_SERVICE_MESSAGE) {
      const msgIds = acks.slice(i, i + MAX_IDS_PER_SERVICE_MESSAGE);
      parts.push({ body: Service.MsgsAck.encode({ _: 'msgs_ack', msgIds }), contentRelated: false, kind: 'notification' });
    }
    // Containers stay within the message count and a byte budget; a message larger than that goes alone.
    const groups: Outgoing[][] = [];
    let size = 0;
    for (const part of parts) {
      const group = groups[groups.length - 1];
      if (!group || group.length === MAX_CONTAINER_MESSAGES || size + part.body.length > CONTAINER_BYTES) {
        groups.push([part]);
        size = part.body.length;
      } else {
        group.push(part);
        size += part.body.length;
      }
    }
    return groups.map((group) => this.encrypt(group));
  }

  private handle(m: InnerMessage, events: ServerSessionEvent[]): void {
    try {
      let body = m.body;
      if (constructorIdOf(body) === ids.gzipPacked) {
        body = unpackGzipPacked(body, this.options.compression, this.inflateBudget);
        this.inflateBudget -= body.length; // one budget for the whole message, however many parts are packed
      }
      const id = constructorIdOf(body);
      // Never-content-related messages are taken with an odd seq_no too (and not acked), so code 34 is never sent.
      const contentRelated = (m.seqNo & 1) === 1 && isContentRelatedId(id);
      if (!contentRelated && isContentRelatedId(id) && !mayTakeEitherParity(id)) return void this.refuse(m, 35, events);
      if (contentRelated) this.unacked.add(m.msgId);
      this.dispatch(m.msgId, id, body, events);
    } catch (err) {
      // Corrupt gzip or a service message whose fields do not parse: answered like any undecodable query.
      if (!(err instanceof MtwireError)) throw err;
      this.answerWithResult(m.msgId, encodeRpcError(400, 'INPUT_FETCH_ERROR'));
    }
  }

  /** bad_msg_notification about a message (bad_server_salt for code 48); the message itself is dropped. */
  private refuse(m: { msgId: bigint; seqNo: number }, code: number, events: ServerSessionEvent[]): ServerSessionEvent[] {
    const notice = { badMsgId: m.msgId, badMsgSeqno: m.seqNo, errorCode: code };
    const body =
      code === 48
        ? Service.BadServerSalt.encode({
            _: 'bad_server_salt',
            ...notice,
            newServerSalt: this.options.salts.current(this.options.now() / 1000),
          })
        : Service.BadMsgNotification.encode({ _: 'bad_msg_notification', ...notice });
    this.queueOut(body, false);
    events.push({ type: 'refused', msgId: m.msgId, code });
    return events;
  }

  private dispatch(msgId: bigint, id: number, body: Uint8Array, events: ServerSessionEvent[]): void {
    const now = this.options.now() / 1000;
    switch (id) {
      case ids.msgsAck:
      case Service.MsgsAllInfo.id:
      case Service.MsgResendReq.id:
      case Service.HttpWait.id:
        return; // nothing we keep depends on the client's acks; the others are for HTTP or optional
      case Service.ping.id:
      case Service.pingDelayDisconnect.id: {
        const ping = id === Service.ping.id ? Service.ping.decode(body) : Service.pingDelayDisconnect.decode(body);
        if ('disconnectDelay' in ping) events.push({ type: 'disconnectAfter', seconds: ping.disconnectDelay });
        return this.answerDirectly(msgId, Service.Pong.encode({ _: 'pong', msgId, pingId: ping.pingId }));
      }
      case Service.getFutureSalts.id: {
        const { num } = Service.getFutureSalts.decode(body);
        const salts = this.options.salts.future(num, now);
        return this.answerDirectly(msgId, Service.FutureSalts.encode({ _: 'future_salts', reqMsgId: msgId, now: Math.floor(now), salts }));
      }
      case Service.destroySession.id: {
        const { sessionId } = Service.destroySession.decode(body);
        const existed = sessionId !== this.sessionId && (this.options.destroySession?.(sessionId) ?? false);
        const answer = existed
          ? Service.DestroySessionOk.encode({ _: 'destroy_session_ok', sessionId })
          : Service.DestroySessionNone.encode({ _: 'destroy_session_none', sessionId });
        return this.answerDirectly(msgId, answer);
      }
      case Service.MsgsStateReq.id: {
        const info = Uint8Array.from(Service.MsgsStateReq.decode(body).msgIds, (asked) => this.stateOf(asked));
        return this.answerDirectly(msgId, Service.MsgsStateInfo.encode({ _: 'msgs_state_info', reqMsgId: msgId, info }));
      }
      case Service.rpcDropAnswer.id: {
        const { reqMsgId } = Service.rpcDropAnswer.decode(body);
        const running = this.pending.delete(reqMsgId);
        if (running) this.unacked.add(reqMsgId); // no answer will acknowledge it now
        const answer = running
          ? Service.RpcAnswerDroppedRunning.encode({ _: 'rpc_answer_dropped_running' })
          : Service.RpcAnswerUnknown.encode({ _: 'rpc_answer_unknown' });
        return this.answerWithResult(msgId, answer);
      }
      default:
        this.pending.add(msgId);
        this.unacked.delete(msgId); // its answer acknowledges it
        events.push({ type: 'query', reqMsgId: msgId, body });
    }
  }

  /**
   * A message received again (a client resending after a reconnect): the stored answer again; nothing
   * while its query runs (the answer follows); else msg_detailed_info without an answer id, so that the
   * client learns the answer is gone rather than wait for it.
   */
  private repeated(msgId: bigint, events: ServerSessionEvent[]): ServerSessionEvent[] {
    const answer = this.answers.get(msgId);
    if (answer) this.queueOut(answer, true);
    else if (!this.pending.has(msgId)) {
      this.queueOut(Service.MsgDetailedInfo.encode({ _: 'msg_detailed_info', msgId, answerMsgId: 0n, bytes: 0, status: 0 }), false);
    }
    events.push({ type: 'ignored', msgId, reason: answer ? 'duplicate, answer sent again' : 'duplicate' });
    return events;
  }

  /** Answers that are not rpc_result (pong, future_salts, ...): they acknowledge the message they answer. */
  private answerDirectly(msgId: bigint, body: Uint8Array): void {
    this.unacked.delete(msgId);
    this.queueOut(body, false);
  }

  /** An rpc_result, which also acknowledges its request; kept for a request repeated with the same msg_id. */
  private answerWithResult(reqMsgId: bigint, result: Uint8Array): void {
    // Written into an array of its exact size: the result is copied once (a TlWriter copies it twice).
    const body = new Uint8Array(12 + result.length);
    const view = new DataView(body.buffer);
    view.setUint32(0, ids.rpcResult, true);
    view.setBigInt64(4, reqMsgId, true);
    body.set(result, 12);
    this.unacked.delete(reqMsgId);
    this.answers.add(reqMsgId, body);
    this.queueOut(body, true);
  }

  private queueOut(body: Uint8Array, contentRelated: boolean): void {
    this.queue.push({ body, contentRelated, kind: 'response' });
  }

  /**
   * msgs_state_info's byte for one msg_id: 4 received (+32 while its query runs, +32+64 while its answer
   * is held), 3 not received (above anything seen), 2 not received, 1 unknown (too old to tell).
   */
  private stateOf(msgId: bigint): number {
    if (this.recent.has(msgId)) return 4 | (this.pending.has(msgId) ? 32 : this.answers.get(msgId) ? 32 | 64 : 0);
    if (msgId > this.incoming.highestAccepted) return 3;
    const oldest = this.recent.values().next().value;
    return oldest !== undefined && msgId > oldest ? 2 : 1;
  }

  private remember(msgId: bigint): void {
    this.recent.add(msgId);
    if (this.recent.size > RECENT_IDS) this.recent.delete(this.recent.values().next().value!);
  }

  private encrypt(parts: Outgoing[]): Uint8Array {
    const messages: InnerMessage[] = parts.map((p) => ({
      msgId: this.msgIds.next(p.kind),
      seqNo: this.seq.next(p.contentRelated),
      body: p.body,
    }));
    // A container is built after its contents, so its id is above theirs and its seq_no the current even one.
    // Either way the plaintext is written once, by encryptMessage, straight into the frame's buffer.
    const outer: { msgId: bigint; seqNo: number; data: Uint8Array | MessageData } =
      messages.length === 1
        ? { msgId: messages[0]!.msgId, seqNo: messages[0]!.seqNo, data: messages[0]!.body }
        : { msgId: this.msgIds.next('notification'), seqNo: this.seq.next(false), data: containerData(messages) };
    const salt = this.options.salts.current(this.options.now() / 1000);
    return encryptMessage({
      authKey: this.options.authKey,
      authKeyId: this.authKeyId,
      plaintext: { salt, sessionId: this.sessionId, ...outer },
      x: 8,
      provider: this.options.crypto,
      random: this.options.random,
    });
  }

  private randomLong(): bigint {
    return readInt64LE(takeRandom(this.options.random ?? ((n) => this.options.crypto.randomBytes(n)), 8), 0);
  }
}
