/**
 * The client half of an encrypted MTProto session as a pure state machine: requests go in as
 * serialized bodies and come out as encrypted frames (`flush`); messages from the server, decrypted by
 * the caller, go in and come out as events (`receive`). No I/O and no timers: the I/O layer decides
 * when to flush and when to reconnect, and what a frame that fails decryption means; the clock and
 * compression are injected.
 *
 * Requests are known by a `requestId` that survives resends: a bad_server_salt or a clock fix gives the
 * same request a new msg_id, a new connection sends it again under its old one (see client-requests.ts),
 * and its answer still finds it.
 */
import { authKeyIdFor } from '../crypto/handshake-kdf.js';
import { encryptMessage, type DecryptedMessage, type MessageData } from '../crypto/message.js';
import type { CryptoProvider, RandomSource } from '../crypto/provider.js';
import { readInt64LE } from '../crypto/bigint.js';
import { Api as Service } from '../generated/service/index.js';
import { ClientRequests, type Outgoing, type UnansweredRequest } from './client-requests.js';
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
  isContentRelatedId,
  ids,
  referencedMsgId,
  unpackContainer,
  unpackGzipPacked,
  type InnerMessage,
} from './envelope.js';
import { MsgIdGenerator, msgIdSeconds } from './msg-id.js';

export interface ClientSessionOptions {
  crypto: CryptoProvider;
  /** Local clock in unix milliseconds. */
  now: () => number;
  authKey: Uint8Array;
  serverSalt: bigint;
  /** Server time minus local time, in seconds (from the handshake or a saved session). */
  timeOffset?: number;
  /** Random when absent. */
  sessionId?: bigint;
  random?: RandomSource;
  /**
   * Required, not defaulted: a server may gzip any answer, so a session that cannot inflate would lose
   * answers at random, and a default would tie this layer to one host's zlib (src/platform has Node's).
   */
  compression: Compression;
  /** Requests over this many bytes may go as gzip_packed (default 1024, Infinity never): gzipPackedIfWorthIt. */
  gzipAbove?: number;
  /** The most a container may hold, in bytes of message bodies (default 512 KiB). */
  maxContainerBytes?: number;
  /** Largest body a gzip_packed answer may inflate to (default 16 MiB). */
  maxInflatedBytes?: number;
}

export type SessionEvent =
  /** The answer to a request: the serialized result (gzip already undone). */
  | { type: 'result'; requestId: number; body: Uint8Array }
  | { type: 'rpcError'; requestId: number; code: number; message: string }
  /** The server refused the message itself (bad_msg_notification that a resend cannot fix). */
  | { type: 'failed'; requestId: number; code: number }
  /** A message not tied to a request (updates): the serialized object. */
  | { type: 'update'; body: Uint8Array }
  | { type: 'newSession'; firstMsgId: bigint }
  | { type: 'saltChanged'; salt: bigint }
  | { type: 'timeSynced'; offset: number }
  /** A message that was authenticated but broke a rule (replay, order, time, parity, bad structure). */
  | { type: 'dropped'; reason: string }
  /** The server may have run the request but can no longer say with what result; it is not sent again. */
  | { type: 'unknownOutcome'; requestId: number };

/**
 * bad_msg_notification codes a resend with a fresh msg_id can fix: 16, 17 (clock). Not 20 (too old to
 * tell whether it was received): the server may have run it, so its state is asked first.
 */
const CLOCK_CODES = new Set([16, 17]);
/** seq_no went wrong (32, 33): only a new session starts the counters again. */
const SEQNO_CODES = new Set([32, 33]);

export class ClientSession {
  sessionId: bigint;
  serverSalt: bigint;
  readonly msgIds: MsgIdGenerator;
  readonly authKeyId: Uint8Array;
  private readonly options: ClientSessionOptions;
  private seq = new SeqNoCounter();
  private incoming = new IncomingMessageIds('server');
  private readonly requests = new ClientRequests();
  private pendingAcks: bigint[] = [];

  constructor(options: ClientSessionOptions) {
    this.options = options;
    this.authKeyId = authKeyIdFor(options.authKey, options.crypto);
    this.serverSalt = options.serverSalt;
    this.msgIds = new MsgIdGenerator(options.now, options.timeOffset ?? 0);
    this.sessionId = options.sessionId ?? this.randomSessionId();
  }

  get authKey(): Uint8Array {
    return this.options.authKey;
  }

  get timeOffset(): number {
    return this.msgIds.timeOffset;
  }

  /** Whether a flush would send anything. */
  get hasOutgoing(): boolean {
    return this.requests.hasQueued || this.pendingAcks.length > 0;
  }

  /** Requests sent or queued that have no answer yet. */
  get unansweredCount(): number {
    return this.requests.unansweredCount;
  }

  get pendingAckCount(): number {
    return this.pendingAcks.length;
  }

  /** Queues a serialized request; its answer comes back as an event with the returned id. */
  send(body: Uint8Array, contentRelated = true): number {
    return this.requests.add(gzipPackedIfWorthIt(body, this.options.compression, this.options.gzipAbove), contentRelated);
  }

  /** Forgets a request: a late answer to it is dropped. */
  cancel(requestId: number): void {
    this.requests.cancel(requestId);
  }

  /**
   * Moves the unanswered requests the server certainly did not run, with their request ids, into `next`
   * (a session on a new auth key, after the server forgot ours); `next` must not have sent anything yet.
   * Returns the ids of the others (sent over an earlier connection), whose outcome died with the key.
   */
  transferUnansweredTo(next: ClientSession): number[] {
    return this.requests.moveUnansweredTo(next.requests).map((out) => out.requestId);
  }

  /** After a reconnect: every request sent but not answered goes out again under its original msg_id. */
  resumeAfterReconnect(): void {
    this.requests.replaySent();
  }

  /** The requests without an answer, sent ones first: what a saved session records. */
  unanswered(): UnansweredRequest[] {
    return this.requests.unanswered().map(({ out, sent }) => ({ requestId: out.requestId, body: out.body, ...sent }));
  }

  /** Takes back what `unanswered` gave (on a session with the same id): sent ones go out under their msg_id. */
  restoreUnanswered(records: readonly UnansweredRequest[]): void {
    for (const r of records) {
      if (r.msgId === undefined) {
        this.requests.add(r.body, true, r.requestId);
        continue;
      }
      this.requests.restoreSent({ requestId: r.requestId, body: r.body, contentRelated: true }, r.msgId, r.seqNo ?? 1);
      this.msgIds.advancePast(r.msgId); // new messages must come after them
    }
  }

  /**
   * Starts a new session (new id, counters and history) keeping the key and salt, and requeues what
   * was unanswered. Used when the server reports a seq_no the old session cannot recover from.
   */
  startNewSession(): void {
    this.sessionId = this.randomSessionId();
    this.seq = new SeqNoCounter();
    this.incoming = new IncomingMessageIds('server');
    this.pendingAcks = [];
    this.requests.requeueSent();
  }

  /** The next encrypted frame: queued requests and pending acks, in a container when there are several. */
  flush(): Uint8Array | undefined {
    // A resend under its original msg_id goes alone: a container's inner ids must be above all before it.
    const replay = this.requests.takeReplay();
    if (replay) return this.encrypt(replay.msgId, replay.seqNo, replay.out.body);
    const parts: { body: Uint8Array; contentRelated: boolean; out?: Outgoing; asked?: bigint[] }[] = [];
    if (this.pendingAcks.length) {
      const msgIds = this.pendingAcks.splice(0, MAX_IDS_PER_SERVICE_MESSAGE);
      parts.push({ body: Service.MsgsAck.encode({ _: 'msgs_ack', msgIds }), contentRelated: false });
    }
    const asked = this.requests.takeToAsk(MAX_IDS_PER_SERVICE_MESSAGE);
    if (asked.length)
      parts.push({ body: Service.MsgsStateReq.encode({ _: 'msgs_state_req', msgIds: asked }), contentRelated: false, asked });
    const budget = (this.options.maxContainerBytes ?? 512 * 1024) - parts.reduce((n, p) => n + p.body.length, 0);
    for (const out of this.requests.takeQueued(MAX_CONTAINER_MESSAGES - 1 - parts.length, budget, parts.length === 0)) {
      parts.push({ body: out.body, contentRelated: out.contentRelated, out });
    }
    if (!parts.length) return undefined;

    const messages: InnerMessage[] = parts.map((p) => {
      const msgId = this.msgIds.next('client');
      const seqNo = this.seq.next(p.contentRelated);
      if (p.out) this.requests.markSent(msgId, p.out, seqNo);
      if (p.asked) this.requests.markAsk(msgId, p.asked);
      return { msgId, seqNo, body: p.body };
    });
    if (messages.length === 1) return this.encrypt(messages[0]!.msgId, messages[0]!.seqNo, messages[0]!.body);
    // The container is built after its contents, so its id is above theirs and its seq_no the current even one.
    const containerId = this.msgIds.next('client');
    this.requests.markContainer(
      containerId,
      messages.map((m) => m.msgId),
    );
    return this.encrypt(containerId, this.seq.next(false), containerData(messages));
  }

  /** The plaintext is written once, by encryptMessage, straight into the frame's buffer. */
  private encrypt(msgId: bigint, seqNo: number, data: Uint8Array | MessageData): Uint8Array {
    return encryptMessage({
      authKey: this.options.authKey,
      authKeyId: this.authKeyId,
      plaintext: { salt: this.serverSalt, sessionId: this.sessionId, msgId, seqNo, data },
      x: 0,
      provider: this.options.crypto,
      random: this.options.random,
    });
  }

  /**
   * Handles one message from the server, which the caller decrypted (x = 8) with this session's key
   * and id (`decryptMessage` with `sessionId`), as the server session takes its input. A message that
   * breaks a session rule gives a 'dropped' event and changes nothing.
   */
  receive(message: DecryptedMessage): SessionEvent[] {
    const events: SessionEvent[] = [];
    const verdict = this.incoming.verdict(message.msgId, this.nowSeconds());
    if (verdict === 'parity' || verdict === 'replay') return [{ type: 'dropped', reason: `msg_id ${verdict}` }];
    if (verdict !== 'ok') {
      // Outside the time window, either the message is stale or our clock is wrong. A message about
      // a request of ours that is still pending cannot be stale (we just sent it), so it proves that
      // our clock is the one that is off: take the server's time from its msg_id and go on.
      if (!this.provesFreshness(message.body)) return [{ type: 'dropped', reason: `msg_id ${verdict}` }];
      this.syncClock(message.msgId, events);
    }
    const highestBefore = this.incoming.highestAccepted;
    this.incoming.accept(message.msgId);
    this.requests.serverSpoke();
    if (constructorIdOf(message.body) === ids.msgContainer) {
      let inner: InnerMessage[];
      try {
        inner = unpackContainer(message.body);
      } catch (err) {
        if (err instanceof EnvelopeError) return [{ type: 'dropped', reason: err.message }];
        throw err;
      }
      if (
        !this.incoming.containerInOrder(
          message.msgId,
          inner.map((m) => m.msgId),
          highestBefore,
        )
      ) {
        return [{ type: 'dropped', reason: 'container message ids out of order' }];
      }
      for (const m of inner) this.handle(m.msgId, m.seqNo, m.body, events);
    } else {
      this.handle(message.msgId, message.seqNo, message.body, events);
    }
    return events;
  }

  private handle(msgId: bigint, seqNo: number, body: Uint8Array, events: SessionEvent[]): void {
    // An odd seq_no on a message that is never content-related (a server's msgs_ack) is taken but not acked.
    if (seqNo & 1 && isContentRelatedId(constructorIdOf(body))) this.pendingAcks.push(msgId);
    try {
      this.dispatch(msgId, body, events);
    } catch (err) {
      // A body that fails to parse is one bad message, not a broken session.
      if (err instanceof Error && 'code' in err) events.push({ type: 'dropped', reason: err.message });
      else throw err;
    }
  }

  private dispatch(msgId: bigint, body: Uint8Array, events: SessionEvent[]): void {
    switch (constructorIdOf(body)) {
      case ids.rpcResult:
        return this.handleRpcResult(readInt64LE(body, 4), body.subarray(12), events);
      case ids.gzipPacked:
        return this.dispatch(msgId, this.inflate(body), events);
      case ids.msgContainer:
        events.push({ type: 'dropped', reason: 'nested container' });
        return;
      case ids.msgsAck:
        return;
      case ids.badServerSalt: {
        const notice = Service.BadServerSalt.decode(body);
        if (!this.requests.isOurs(notice.badMsgId)) break;
        this.serverSalt = notice.newServerSalt;
        events.push({ type: 'saltChanged', salt: notice.newServerSalt });
        this.requests.requeue([notice.badMsgId]);
        return;
      }
      case ids.badMsgNotification:
        return this.handleBadMsg(msgId, Service.BadMsgNotification.decode(body), events);
      case ids.newSessionCreated: {
        const created = Service.NewSessionCreated.decode(body);
        this.serverSalt = created.serverSalt;
        events.push({ type: 'newSession', firstMsgId: created.firstMsgId });
        // What we sent before first_msg_id may never have reached the new session.
        this.requests.requeueSentBefore(created.firstMsgId);
        return;
      }
      case ids.pong:
        return this.answer(Service.Pong.decode(body).msgId, body, events);
      case Service.FutureSalts.id:
        return this.answer(readInt64LE(body, 4), body, events);
      case Service.MsgsStateInfo.id: {
        const { reqMsgId, info } = Service.MsgsStateInfo.decode(body);
        const unknown = this.requests.answerAsk(reqMsgId, info);
        if (!unknown) return this.answer(reqMsgId, body, events); // the caller's own msgs_state_req
        for (const out of unknown) events.push({ type: 'unknownOutcome', requestId: out.requestId });
        return;
      }
      case Service.MsgDetailedInfo.id: {
        // About a request of ours: the server got it again and did not resend the answer, so it no longer has one.
        const out = this.requests.take(Service.MsgDetailedInfo.decode(body).msgId);
        if (out) events.push({ type: 'unknownOutcome', requestId: out.requestId });
        return;
      }
      case Service.MsgNewDetailedInfo.id:
        return;
      default:
        events.push({ type: 'update', body });
        return;
    }
    events.push({ type: 'dropped', reason: 'notice about a message we did not send' });
  }

  private handleRpcResult(reqMsgId: bigint, result: Uint8Array, events: SessionEvent[]): void {
    const id = constructorIdOf(result);
    if (id === ids.rpcError) {
      const out = this.requests.take(reqMsgId);
      if (!out) return void events.push({ type: 'dropped', reason: 'rpc_result for an unknown request' });
      const error = Service.RpcError.decode(result);
      events.push({ type: 'rpcError', requestId: out.requestId, code: error.errorCode, message: error.errorMessage });
      return;
    }
    this.answer(reqMsgId, id === ids.gzipPacked ? this.inflate(result) : result, events);
  }

  private answer(reqMsgId: bigint, body: Uint8Array, events: SessionEvent[]): void {
    const out = this.requests.take(reqMsgId);
    if (!out) return void events.push({ type: 'dropped', reason: 'answer to an unknown request' });
    events.push({ type: 'result', requestId: out.requestId, body });
  }

  private handleBadMsg(serverMsgId: bigint, notice: Service.BadMsgNotification, events: SessionEvent[]): void {
    const { badMsgId, errorCode } = notice;
    if (!this.requests.isOurs(badMsgId)) return void events.push({ type: 'dropped', reason: 'notice about a message we did not send' });
    if (CLOCK_CODES.has(errorCode) && !events.some((e) => e.type === 'timeSynced')) this.syncClock(serverMsgId, events);
    if (CLOCK_CODES.has(errorCode)) return this.requests.requeue([badMsgId]);
    if (errorCode === 20) return this.requests.askAbout(badMsgId);
    if (SEQNO_CODES.has(errorCode)) return this.startNewSession();
    for (const out of this.requests.takeAll(badMsgId)) events.push({ type: 'failed', requestId: out.requestId, code: errorCode });
  }

  /** Whether the message (or one in its container) answers or reports on a request of ours still pending. */
  private provesFreshness(body: Uint8Array): boolean {
    try {
      const bodies = constructorIdOf(body) === ids.msgContainer ? unpackContainer(body).map((m) => m.body) : [body];
      return bodies.some((b) => {
        const referenced = referencedMsgId(b);
        return referenced !== undefined && this.requests.isOurs(referenced);
      });
    } catch {
      return false;
    }
  }

  /** The server's own msg_id carries its clock. */
  private syncClock(serverMsgId: bigint, events: SessionEvent[]): void {
    this.msgIds.timeOffset = msgIdSeconds(serverMsgId) - Math.floor(this.options.now() / 1000);
    events.push({ type: 'timeSynced', offset: this.msgIds.timeOffset });
  }

  private inflate(body: Uint8Array): Uint8Array {
    return unpackGzipPacked(body, this.options.compression, this.options.maxInflatedBytes ?? 16 * 1024 * 1024);
  }

  private nowSeconds(): number {
    return this.options.now() / 1000 + this.msgIds.timeOffset;
  }

  private randomSessionId(): bigint {
    const bytes = this.options.random ? this.options.random(8) : this.options.crypto.randomBytes(8);
    return readInt64LE(bytes, 0);
  }
}

export { EnvelopeError, type UnansweredRequest };
