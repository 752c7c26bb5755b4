/**
 * The connection-independent part of the test server: auth keys and sessions, the handlers, and the
 * two ways messages leave a session — answers to queries and pushed updates.
 */
import type { CryptoProvider, RandomSource } from '../crypto/provider.js';
import type { Compression } from '../mtproto/compression.js';
import { TlEncodeError, type Api } from '../api/index.js';
import { rpcError, type ServerQuery } from './api-session.js';
import { AuthKeyRegistry, deliver, type ServerAuthKey, type SessionSlot } from './auth-keys.js';
import { RpcHandlers, ServerRpcError, type RpcContext, type ServerLog, type ServerServices } from './rpc.js';
import type { ClusterState } from './cluster-state.js';
import { bindTempKey } from './temp-keys.js';
import { ConnectionBudget, HandshakeRateLimiter, type ServerLimits } from './limits.js';

export interface ServerCoreOptions {
  crypto: CryptoProvider;
  now: () => number;
  random: RandomSource;
  compression: Compression;
  gzipAbove?: number;
  dcId: number;
  host: string;
  log: ServerLog;
  limits: ServerLimits;
  cluster: ClusterState;
  /** Whether a WebSocket peer may skip obfuscation (see TestServerOptions.webSocketPlain). */
  webSocketPlain: boolean;
  /** The keys and sessions of a stopped server to go on with (a restart); new ones when absent. */
  keys?: AuthKeyRegistry;
}

export class ServerCore {
  readonly keys: AuthKeyRegistry;
  /** The cluster's: shared by its data centers, so state such as calls in progress spans them. */
  readonly handlers: RpcHandlers;
  readonly services: ServerServices;
  readonly connections: ConnectionBudget;
  readonly handshakeRate: HandshakeRateLimiter;
  /** The TCP port help.getConfig advertises, known once the listener is up. */
  tcpPort = 0;
  /** Set by close(): answers that finish later are dropped. */
  closed = false;
  /** Handlers still running: a stop waits for them, so their answers are stored before the state is handed on. */
  private readonly running = new Set<Promise<void>>();

  constructor(readonly options: ServerCoreOptions) {
    const { crypto, now, random, compression, gzipAbove, limits } = options;
    this.keys = options.keys ?? new AuthKeyRegistry({ crypto, now, random, compression, gzipAbove, limits });
    this.connections = new ConnectionBudget(limits);
    this.handshakeRate = new HandshakeRateLimiter(limits, now);
    this.handlers = options.cluster.handlers;
    options.cluster.members.add(this);
    const core = this;
    this.services = {
      users: options.cluster.users,
      dcId: options.dcId,
      host: options.host,
      get tcpPort() {
        return core.tcpPort;
      },
      cluster: options.cluster,
      pushUpdate: (userId, updates) => options.cluster.pushUpdate(userId, updates),
      nowSeconds: () => options.now() / 1000,
      randomBytes: (length) => options.random(length),
      log: options.log,
    };
  }

  /** Runs one query's handler; its answer goes out over whatever connection the session has by then. */
  runQuery(key: ServerAuthKey, slot: SessionSlot, query: ServerQuery): void {
    const context = this.contextFor(key, slot, query);
    const wait = this.options.cluster.floodWait(query.query._, key.idHex, this.options.now() / 1000);
    const answer = wait > 0 ? Promise.resolve(rpcError(420, `FLOOD_WAIT_${wait}`)) : this.handlers.run(query.query, context);
    const run = answer
      .then((result) => {
        if (this.closed) return;
        this.reply(slot, query, result);
        deliver(slot);
      })
      .catch((err: unknown) => this.options.log('error', 'answering a query failed', { method: query.query._, error: String(err) }))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves when every handler started so far has answered. */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.all(this.running);
  }

  /** Queues `updates` on the sessions of every auth key signed in as `userId`. */
  pushUpdate(userId: bigint, updates: Api.TypeUpdates): void {
    for (const key of this.keys.all()) {
      if (key.userId !== userId) continue;
      const slots = [...key.sessions.values()];
      const live = slots.filter((s) => s.connection?.open);
      // No session online: keep the update for the most recent session, as Telegram does until it reconnects.
      const latest = slots.reduce<SessionSlot | undefined>((a, b) => (a && a.lastActive >= b.lastActive ? a : b), undefined);
      for (const slot of live.length ? live : latest ? [latest] : []) {
        slot.session.push(updates);
        deliver(slot);
      }
    }
  }

  private reply(slot: SessionSlot, query: ServerQuery, result: unknown): void {
    try {
      slot.session.reply(query.reqMsgId, result);
    } catch (err) {
      if (!(err instanceof TlEncodeError)) throw err;
      // A handler returned something that is not the method's result type: a bug in the handler.
      this.options.log('error', `handler for ${query.query._} returned a value of the wrong type`, { error: err.message });
      slot.session.reply(query.reqMsgId, rpcError(500, 'INTERNAL_SERVER_ERROR'));
    }
  }

  private contextFor(key: ServerAuthKey, slot: SessionSlot, query: ServerQuery): RpcContext {
    const { log, crypto, now } = this.options;
    const keys = this.keys;
    return {
      server: this.services,
      authKeyId: key.idHex,
      sessionId: slot.session.sessionId,
      msgId: query.reqMsgId,
      layer: query.layer,
      connection: query.connection,
      get userId() {
        return key.userId;
      },
      requireUser() {
        if (key.userId === undefined) throw new ServerRpcError(401, 'AUTH_KEY_UNREGISTERED');
        return key.userId;
      },
      bindUser(userId) {
        key.userId = userId;
        log('info', 'auth key signed in', { authKeyId: key.idHex, userId: String(userId) });
      },
      unbindUser() {
        key.userId = undefined;
      },
      get passwordPendingFor() {
        return key.passwordPendingFor;
      },
      set passwordPendingFor(userId) {
        key.passwordPendingFor = userId;
      },
      bindTempAuthKey(bind) {
        bindTempKey(bind, { keys, key, sessionId: slot.session.sessionId, msgId: query.reqMsgId, crypto, nowSeconds: now() / 1000 });
      },
    };
  }
}
