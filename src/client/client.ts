/**
 * The I/O half of an MTProto client: a connection, the auth-key exchange (or a restored key), an
 * encrypted session, keepalive pings, and reconnection with backoff. Protocol decisions live in the
 * pure state machines (AuthKeyExchange, ClientSession); this file only moves bytes, decrypts what the
 * server sends, encodes requests and decodes results with the full API, and keeps time.
 */
import { decryptMessage } from '../crypto/message.js';
import { defaultCrypto } from '../crypto/default.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { MtwireError } from '../base/errors.js';
import { bytesToHex, hexToBytes } from '../base/hex.js';
import { hostDescription } from '../base/host.js';
import { AuthKeyExchange, type AuthKeyResult } from '../mtproto/auth-key-client.js';
import { ClientSession, type SessionEvent } from '../mtproto/client-session.js';
import { defaultCompression } from '../platform/default.js';
import { LAYER, encodeMethod, readObject, readResultOf, type TlObject } from '../api/index.js';
// Types only: the client builds the requests it makes as plain objects (see withInitConnection).
import type * as Api from '../generated/api/types/index.js';
import { decodeWith } from '../tl/define.js';
import { TransportError } from '../transport/errors.js';
import { ClientClosedError, OutcomeUnknownError, RequestRejectedError, RpcError } from './errors.js';
import { Link } from './link.js';
import { PendingRequests, type PendingRequest } from './pending.js';
import { RestoredRequests, saveUnanswered, type RestoredOutcome, type SavedSession } from './saved-session.js';
import type { ClientOptions, ClientState, LogLevel } from './options.js';
import { UpdateStream } from './updates.js';

export class MtprotoClient {
  private readonly crypto: CryptoProvider;
  private readonly now: () => number;
  private stateValue: ClientState = 'disconnected';
  private link: Link | undefined;
  private session: ClientSession | undefined;
  /** The session of a key the server no longer knows: its unanswered requests move to the next one. */
  private orphan: ClientSession | undefined;
  private exchange: { run: AuthKeyExchange; resolve(r: AuthKeyResult): void; reject(e: Error): void } | undefined;
  private readonly requests = new PendingRequests();
  /** The unanswered requests of the saved session given as `session`, until the session takes them. */
  private readonly restored: RestoredRequests;
  private needsInit = true;
  private reconnectAttempt = 0;
  private timers = {
    flush: false,
    ack: undefined as ReturnType<typeof setTimeout> | undefined,
    reconnect: undefined as ReturnType<typeof setTimeout> | undefined,
    ping: undefined as ReturnType<typeof setInterval> | undefined,
  };
  private readonly stateListeners = new Set<(state: ClientState) => void>();
  readonly updates: UpdateStream;

  constructor(private readonly options: ClientOptions) {
    this.updates = new UpdateStream({ maxBuffered: options.maxBufferedUpdates });
    this.crypto = options.crypto ?? defaultCrypto();
    this.now = options.now ?? Date.now;
    this.restored = new RestoredRequests(options.session?.pending ?? []);
  }

  get state(): ClientState {
    return this.stateValue;
  }

  onStateChange(listener: (state: ClientState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Connects (running the auth-key exchange unless a saved session was given) and resolves when ready. */
  async connect(): Promise<void> {
    if (this.stateValue !== 'disconnected') throw new MtwireError('CLIENT_STATE', `connect() in state ${this.stateValue}`);
    await this.establish();
    const interval = this.options.pingIntervalMs ?? 60_000;
    if (interval > 0) this.timers.ping = setInterval(() => this.ping(), interval);
  }

  /** Sends a request and resolves with its typed result (`const M`: a literal request keeps its names); rejects with RpcError and the other typed errors. */
  invoke<const M extends TlObject>(request: M, options: { timeoutMs?: number } = {}): Promise<Api.ResultOf<M>> {
    return new Promise((resolve, reject) => {
      if (this.stateValue === 'closed') return reject(new ClientClosedError());
      const pending: PendingRequest = { request, resolve: resolve as (v: unknown) => void, reject };
      this.requests.add(pending, options.timeoutMs ?? this.options.requestTimeoutMs, (requestIds) => {
        for (const id of requestIds) this.session?.cancel(id);
      });
      this.submitWaiting();
    });
  }

  /**
   * The key, salt, clock offset, session id and unanswered requests, to pass back as `session`: the
   * next client skips the handshake and reports those requests' outcomes (`restoredOutcomes`).
   */
  exportSession(): SavedSession | undefined {
    const s = this.session;
    if (!s) return undefined;
    const pending = saveUnanswered(s, this.requests);
    const sessionId = pending.length ? s.sessionId.toString() : undefined;
    const [authKey, serverSalt, timeOffset] = [bytesToHex(s.authKey), s.serverSalt.toString(), s.timeOffset];
    return { dcId: this.options.dcId, authKey, serverSalt, timeOffset, sessionId, pending };
  }

  /** How each request recorded in the `session` option ended (never rejects): resolves once all have ended. */
  restoredOutcomes(): Promise<RestoredOutcome[]> {
    return this.restored.outcomes;
  }

  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    this.setState('closed');
    clearTimeout(this.timers.ack);
    clearTimeout(this.timers.reconnect);
    clearInterval(this.timers.ping);
    this.exchange?.reject(new ClientClosedError());
    this.requests.rejectAll(() => new ClientClosedError());
    this.restored.abandon(() => new ClientClosedError());
    this.link?.close();
    this.link = undefined;
    this.updates.end();
  }

  private async establish(): Promise<void> {
    this.setState(this.session || this.orphan ? 'reconnecting' : 'connecting');
    const link = await Link.open(
      { ...this.options, crypto: this.crypto },
      {
        message: (payload) => this.onMessage(link, payload),
        closed: (error) => this.onLinkClosed(link, error),
      },
    );
    if (this.stateValue === 'closed') return link.close();
    this.link = link;
    if (!this.session) {
      const saved = this.options.session;
      if (saved && !this.orphan) {
        const sessionId = saved.sessionId === undefined ? undefined : BigInt(saved.sessionId);
        this.session = this.newSession(hexToBytes(saved.authKey), BigInt(saved.serverSalt), saved.timeOffset, sessionId);
        this.restored.resume(this.session, this.requests);
      } else {
        this.setState('handshake');
        const key = await this.handshake(link);
        this.session = this.newSession(key.authKey, key.serverSalt, key.timeOffset);
        for (const lost of this.orphan?.transferUnansweredTo(this.session) ?? []) this.giveUp(lost);
        this.orphan = undefined;
      }
    } else {
      this.session.resumeAfterReconnect();
    }
    this.needsInit = true;
    this.reconnectAttempt = 0;
    this.setState('ready');
    this.submitWaiting();
    this.flush();
  }

  private newSession(authKey: Uint8Array, serverSalt: bigint, timeOffset: number, sessionId?: bigint): ClientSession {
    const compression = this.options.compression ?? defaultCompression();
    const { gzipAbove } = this.options;
    return new ClientSession({ crypto: this.crypto, now: this.now, compression, gzipAbove, authKey, serverSalt, timeOffset, sessionId });
  }

  /** A request the server may have run but whose answer is lost: rejected, never sent again. */
  private giveUp(requestId: number): void {
    const pending = this.requests.take(requestId);
    if (pending) this.requests.settle(pending, new OutcomeUnknownError(pending.request._));
  }

  private handshake(link: Link): Promise<AuthKeyResult> {
    const run = new AuthKeyExchange({
      crypto: this.crypto,
      now: this.now,
      publicKeys: this.options.publicKeys,
      dcId: this.options.dcId,
      test: this.options.test,
    });
    return new Promise((resolve, reject) => {
      this.exchange = { run, resolve, reject };
      link.send(run.start());
    }).finally(() => (this.exchange = undefined)) as Promise<AuthKeyResult>;
  }

  private onMessage(link: Link, payload: Uint8Array): void {
    if (link !== this.link && !this.exchange) return;
    if (this.exchange) {
      try {
        const step = this.exchange.run.receive(payload);
        if ('send' in step) link.send(step.send);
        else this.exchange.resolve(step.done);
      } catch (error) {
        this.exchange.reject(error as Error);
        link.close();
      }
      return;
    }
    const session = this.session;
    if (!session) return;
    let events: SessionEvent[];
    try {
      // In place: the link's codec cut this frame from received bytes that nothing else reads, so the
      // results decoded from it are views of those bytes, with no array of the message's size in between.
      const message = decryptMessage(session.authKey, session.authKeyId, payload, 8, {
        provider: this.crypto,
        sessionId: session.sessionId,
        inPlace: true,
      });
      events = session.receive(message);
    } catch (error) {
      // A frame that does not decrypt (SecurityError) means a broken or hostile stream: drop it and reconnect.
      this.log('warn', 'rejected a frame; reconnecting', { error: (error as Error).message });
      link.close();
      return;
    }
    for (const event of events) this.handleEvent(event);
    if (session.pendingAckCount >= 16) this.flush();
    else if (session.pendingAckCount > 0) this.scheduleAckFlush();
    if (session.unansweredCount && session.hasOutgoing) this.scheduleFlush();
  }

  private handleEvent(event: SessionEvent): void {
    switch (event.type) {
      case 'result': {
        const pending = this.requests.take(event.requestId);
        if (!pending) return;
        try {
          // decodeWith, not a bare reader: a result nested deeper than the stack is a TlDecodeError, not a RangeError
          const value = decodeWith((reader) => readResultOf(reader, pending.request), event.body);
          this.requests.settle(pending, undefined, value);
        } catch (error) {
          this.requests.settle(pending, error as Error);
        }
        return;
      }
      case 'rpcError': {
        const pending = this.requests.take(event.requestId);
        if (pending) this.requests.settle(pending, new RpcError(event.code, event.message, pending.request._));
        return;
      }
      case 'failed': {
        const pending = this.requests.take(event.requestId);
        if (pending) this.requests.settle(pending, new RequestRejectedError(event.code, pending.request._));
        return;
      }
      case 'update': {
        let update;
        try {
          update = decodeWith(readObject, event.body, { allowTrailing: true });
        } catch (error) {
          this.log('warn', 'undecodable update dropped', { error: (error as Error).message });
          return;
        }
        try {
          this.updates.push(update);
        } catch (error) {
          this.log('error', 'an update listener threw', { error: (error as Error)?.message ?? String(error) });
        }
        return;
      }
      case 'unknownOutcome':
        return this.giveUp(event.requestId);
      case 'dropped':
        this.log('warn', 'message dropped', { reason: event.reason });
        return;
      default:
        this.log('debug', event.type, { ...event });
    }
  }

  private onLinkClosed(link: Link, error?: Error): void {
    if (this.exchange) this.exchange.reject(error ?? new MtwireError('CONNECTION_CLOSED', 'connection closed during the handshake'));
    if (link !== this.link) return;
    this.link = undefined;
    if (this.stateValue === 'closed') return;
    if (error instanceof TransportError && error.transportCode === 404 && this.session) {
      // -404 on an encrypted message: the server does not know our key (it restarted, or forgot it).
      this.log('info', 'server does not know the auth key; making a new one');
      this.orphan = this.session;
      this.session = undefined;
    }
    this.log('info', 'connection closed; reconnecting', { error: error?.message });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stateValue === 'closed' || this.timers.reconnect) return;
    this.setState('reconnecting');
    const { initial, max } = this.options.reconnectDelayMs ?? { initial: 250, max: 10_000 };
    const delay = Math.min(max, initial * 2 ** this.reconnectAttempt++) * (0.5 + Math.random() / 2);
    this.timers.reconnect = setTimeout(() => {
      this.timers.reconnect = undefined;
      this.establish().catch((error: Error) => {
        this.log('warn', 'reconnect failed', { error: error.message });
        this.link?.close();
        this.link = undefined;
        this.scheduleReconnect();
      });
    }, delay);
  }

  /** Moves requests made before the session existed into it; the first one after a connect carries initConnection. */
  private submitWaiting(): void {
    const session = this.session;
    if (!session || this.stateValue !== 'ready') return;
    for (const pending of this.requests.takeWaiting()) {
      let body: Uint8Array;
      try {
        body = encodeMethod(this.needsInit ? this.withInitConnection(pending.request) : pending.request);
      } catch (error) {
        this.requests.settle(pending, error as Error);
        continue;
      }
      this.needsInit = false;
      this.requests.markSent(session.send(body), pending);
    }
    this.scheduleFlush();
  }

  /**
   * Plain objects, not `new Api.initConnection(…)`: an entry value carries its reader, and the reader of a
   * method with a `query:!X` field reads any method, so it would bring every method reader into the client
   * (the client builds every request it makes itself this way: it writes methods and never reads one).
   */
  private withInitConnection(query: TlObject): Api.invokeWithLayer<Api.initConnection> {
    const o = this.options;
    const init: Api.initConnection = {
      _: 'initConnection',
      apiId: o.apiId,
      deviceModel: o.deviceModel ?? 'mtwire',
      systemVersion: o.systemVersion ?? hostDescription(),
      appVersion: o.appVersion ?? '0.1.0',
      systemLangCode: o.langCode ?? 'en',
      langPack: '',
      langCode: o.langCode ?? 'en',
      query,
    };
    return { _: 'invokeWithLayer', layer: o.layer ?? LAYER ?? 0, query: init };
  }

  private ping(): void {
    if (this.stateValue !== 'ready') return;
    // Not through invoke: a ping needs no initConnection, and its pong is not an rpc_result.
    const pingId = BigInt.asIntN(64, BigInt(this.now()) * 1000n);
    const request: Api.pingDelayDisconnect = { _: 'ping_delay_disconnect', pingId, disconnectDelay: 75 };
    const pending = { request, resolve: () => undefined, reject: () => undefined, background: true };
    this.requests.markSent(this.session!.send(encodeMethod(request)), pending);
    this.flush();
  }

  private scheduleFlush(): void {
    if (this.timers.flush) return;
    this.timers.flush = true;
    queueMicrotask(() => {
      this.timers.flush = false;
      this.flush();
    });
  }

  private scheduleAckFlush(): void {
    if (this.timers.ack) return;
    this.timers.ack = setTimeout(() => {
      this.timers.ack = undefined;
      this.flush();
    }, this.options.ackDelayMs ?? 500);
  }

  private flush(): void {
    const { link, session } = this;
    if (!link || !session || this.stateValue !== 'ready') return;
    for (let frame = session.flush(); frame; frame = session.flush()) link.send(frame);
  }

  private setState(state: ClientState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private log(level: LogLevel, message: string, data?: Record<string, unknown>): void {
    this.options.logger?.(level, message, data);
  }
}
