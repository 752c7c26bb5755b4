/**
 * An in-process MTProto server for tests: real handshakes, real encrypted sessions, TCP (every framing,
 * plain or obfuscated) and WebSocket (path /apiws; obfuscated, or plain unless `webSocketPlain: false`), a few in-memory users and the handlers of
 * the call flow. Node only.
 *
 * ```ts
 * const server = await startTestServer();
 * // client: AuthKeyExchange({ publicKeys: [server.publicKey], dcId: server.dcId }) over 127.0.0.1:server.tcpPort,
 * // then auth.importBotAuthorization with bot_auth_token '1000001:test' to act as Alice
 * await server.close();
 * ```
 */
import { defaultCrypto } from '../crypto/default.js';
import type { CryptoProvider, RandomSource } from '../crypto/provider.js';
import { generateRsaKeyPair } from '../crypto/rsa-keygen.js';
import type { RsaPrivateKey, RsaPublicKey } from '../crypto/rsa.js';
import { Api } from '../api/index.js';
import type { Compression } from '../mtproto/compression.js';
import { defaultCompression } from '../platform/default.js';
import type { Connection, Listener } from '../transport/connection.js';
import { listenTcp } from '../transport/tcp.js';
import { listenWebSocket } from '../transport/websocket.js';
import type { AuthKeyRegistry } from './auth-keys.js';
import { ClusterState, type FloodLimit } from './cluster-state.js';
import { ServerCore } from './core.js';
import { HandshakePool } from './handshake-pool.js';
import { inlineHandshakes } from './handshakes.js';
import { resolveLimits, type ServerLimits } from './limits.js';
import type { MethodName, RpcHandler, ServerLog } from './rpc.js';
import { ServerConnection } from './server-connection.js';
import { TestUsers, type TestUser } from './users.js';

export type TestServerTransport = 'tcp' | 'websocket';

export interface TestServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** TCP port; default 0 (any free port, see `tcpPort`). */
  port?: number;
  /** WebSocket port; default 0. */
  wsPort?: number;
  /** Default both. */
  transports?: readonly TestServerTransport[];
  /**
   * Take plain framings over WebSocket too, told apart from obfuscated2 by their first bytes as over TCP
   * (default true). false refuses them as Telegram's /apiws does: the codec fails with OBFUSCATION_REQUIRED
   * and the connection is dropped.
   */
  webSocketPlain?: boolean;
  /** The server's RSA key; the state's when restarting, else a fresh 2048-bit one (about a second). */
  rsaKey?: RsaKeyPair;
  /** Default 2. */
  dcId?: number;
  /** Server clock in unix ms; default Date.now. */
  now?: () => number;
  /** Default defaultCrypto(): node:crypto where present, else the portable provider. */
  crypto?: CryptoProvider;
  random?: RandomSource;
  /** gzip for gzip_packed; default defaultCompression(): Node's zlib, or fflate where node:zlib is missing. */
  compression?: Compression;
  /** Results over this many bytes may go as gzip_packed, if a sample looks compressible (default 1024; Infinity: never). */
  gzipAbove?: number;
  /** Default DEFAULT_TEST_USERS (Alice, Bob, Carol, Dave). */
  users?: readonly TestUser[];
  /** Handlers added to (or replacing) the built-in ones. */
  handlers?: { [N in MethodName]?: RpcHandler<N> };
  /** Where the server reports what it does; silent by default. */
  log?: ServerLog;
  /** Accept the legacy RSA encryption of p_q_inner_data (no RSA_PAD), for old clients; default false, as it is a downgrade path. */
  legacyRsa?: boolean;
  /** What one peer may cost the server; each limit not given keeps its default (DEFAULT_SERVER_LIMITS). */
  limits?: Partial<ServerLimits>;
  /**
   * Worker threads for the RSA and DH work of handshakes (default 0: on the event loop). They run the
   * compiled worker (dist/src/server/handshake-worker.js), so they need the build; the server's `now`,
   * `random` and `crypto` do not reach them.
   */
  handshakeWorkers?: number;
  /** The worker script, when not the compiled one beside this module (tests running from sources). */
  handshakeWorkerScript?: URL;
  /** What `stop()` of an earlier server handed over: its auth keys, sessions and stored answers (a restart). */
  state?: ServerState;
  /** Per-method rates (per auth key) above which calls get 420 FLOOD_WAIT_X, e.g. `{ 'auth.sendCode': { max: 3, perSeconds: 60 } }`. */
  floodLimits?: Readonly<Record<string, FloodLimit>>;
  /** The state shared with the other data centers of a startTestCluster (which passes it); alone, a server has its own. */
  cluster?: ClusterState;
}

/**
 * A stopped server's auth keys with their sessions, salts, signed-in users and stored answers, for the
 * next server to go on with. In-process and opaque: it models a restart that keeps what a real server
 * would persist, not a crash (a stop first lets running handlers answer, so each answer is stored).
 */
export interface ServerState {
  readonly keys: AuthKeyRegistry;
  /** Users, calls and the other data centers' shared state. */
  readonly cluster: ClusterState;
  readonly rsaKey: RsaKeyPair;
}

type RsaKeyPair = { publicKey: RsaPublicKey; privateKey: RsaPrivateKey; publicKeyPem?: string };

/** What the server holds now, for tests and the attack suite. */
export interface TestServerUsage {
  readonly connections: number;
  /** Bytes of unfinished frames held over all connections. */
  readonly bufferedBytes: number;
  readonly authKeys: number;
  readonly sessions: number;
  readonly storedAnswerBytes: number;
}

export interface TestServer {
  readonly host: string;
  /** Undefined when TCP is not served. */
  readonly tcpPort: number | undefined;
  readonly wsPort: number | undefined;
  /** `ws://host:wsPort/apiws`. */
  readonly wsUrl: string | undefined;
  readonly dcId: number;
  /** The key clients must trust (AuthKeyExchange's `publicKeys`). */
  readonly publicKey: RsaPublicKey;
  /** The same key as PKCS#1 PEM, when the server generated it or was given it. */
  readonly publicKeyPem: string | undefined;
  readonly users: TestUsers;
  /** The limits in force, defaults filled in. */
  readonly limits: ServerLimits;
  usage(): TestServerUsage;
  registerHandler<N extends MethodName>(method: N, handler: RpcHandler<N>): void;
  /** Sends updates to every session signed in as the user; a single Update is wrapped in `updates`. */
  pushUpdate(userId: bigint, update: Api.TypeUpdates | Api.TypeUpdate): void;
  /** Replaces every auth key's salt at once: the next message with an old salt gets bad_server_salt. */
  rotateSalt(): void;
  /** The auth keys created so far (auth_key_id in hex) and who they are signed in as. */
  /** `boundTo`: for a temporary key bound with auth.bindTempAuthKey, its permanent key's id. */
  authKeys(): { authKeyId: string; userId: bigint | undefined; sessions: number; temporary: boolean; boundTo: string | undefined }[];
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
  /** A graceful stop for a restart: stops listening, closes every connection, lets running handlers answer, then hands over the state. */
  stop(): Promise<ServerState>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const crypto = options.crypto ?? defaultCrypto();
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const transports = options.transports ?? ['tcp', 'websocket'];
  const rsaKey = options.rsaKey ?? options.state?.rsaKey ?? generateRsaKeyPair();
  const log: ServerLog = options.log ?? (() => {});
  const dcId = options.dcId ?? 2;
  const random = options.random ?? ((n: number) => crypto.randomBytes(n));
  const compression = options.compression ?? defaultCompression();
  const limits = resolveLimits(options.limits);
  const cluster =
    options.cluster ?? options.state?.cluster ?? new ClusterState(new TestUsers(options.users), crypto, random, options.floodLimits);
  const core = new ServerCore({
    crypto,
    now,
    random,
    compression,
    gzipAbove: options.gzipAbove,
    dcId,
    host,
    log,
    limits,
    cluster,
    webSocketPlain: options.webSocketPlain ?? true,
    keys: options.state?.keys,
  });
  for (const [method, handler] of Object.entries(options.handlers ?? {})) core.handlers.register(method as MethodName, handler as never);

  const settings = { privateKey: { ...rsaKey.publicKey, ...rsaKey.privateKey }, legacyRsa: options.legacyRsa ?? false, dcId };
  const handshakes = options.handshakeWorkers
    ? new HandshakePool(options.handshakeWorkers, settings, options.handshakeWorkerScript)
    : inlineHandshakes({ ...settings, crypto, random, now });
  const accept = (connection: Connection) => {
    if (core.connections.admit()) return void new ServerConnection(connection, core, handshakes);
    log('warn', 'connection refused: maxConnections reached', { transport: connection.transport });
    connection.abort();
  };
  const backlog = limits.listenBacklog;
  const listeners: Listener[] = [];
  try {
    if (transports.includes('tcp')) listeners.push(await listenTcp({ host, port: options.port ?? 0, backlog }, accept));
    if (transports.includes('websocket')) {
      // ws holds a whole message before the codec sees it: one frame plus the start of the next.
      const wsOptions = { host, port: options.wsPort ?? 0, path: '/apiws', backlog, maxMessage: 2 * limits.maxFrame };
      listeners.push(await listenWebSocket(wsOptions, accept));
    }
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()));
    await handshakes.close();
    throw err;
  }
  const tcp = transports.includes('tcp') ? listeners[0] : undefined;
  const ws = transports.includes('websocket') ? listeners[listeners.length - 1] : undefined;
  core.tcpPort = tcp?.port ?? 0;
  cluster.endpoints.set(dcId, { id: dcId, host, port: core.tcpPort });
  // Idle sessions, keys and refilled rate buckets are dropped in sweeps, often enough for the shortest idle limit.
  const sweepEveryMs = Math.min(60_000, Math.max(50, Math.min(limits.sessionIdleMs, limits.authKeyIdleMs) / 2));
  const sweeper = setInterval(() => {
    core.keys.sweep();
    core.handshakeRate.sweep();
  }, sweepEveryMs);
  sweeper.unref?.();
  log('info', 'test server listening', { host, tcpPort: tcp?.port, wsPort: ws?.port, dcId });

  return {
    host,
    tcpPort: tcp?.port,
    wsPort: ws?.port,
    wsUrl: ws ? `ws://${host}:${ws.port}/apiws` : undefined,
    dcId,
    publicKey: rsaKey.publicKey,
    publicKeyPem: rsaKey.publicKeyPem,
    users: cluster.users,
    limits,
    usage: () => ({
      connections: core.connections.openConnections,
      bufferedBytes: core.connections.bufferedBytes,
      authKeys: core.keys.all().length,
      sessions: core.keys.sessionCount,
      storedAnswerBytes: core.keys.storedAnswerBytes,
    }),
    registerHandler: (method, handler) => core.handlers.register(method, handler),
    pushUpdate(userId, update) {
      const updates: Api.TypeUpdates = Api.isTypeUpdates(update)
        ? update
        : { _: 'updates', updates: [update], users: [], chats: [], date: Math.floor(now() / 1000), seq: 0 };
      cluster.pushUpdate(userId, updates);
    },
    rotateSalt() {
      for (const key of core.keys.all()) key.salts.rotate(now() / 1000);
    },
    authKeys: () =>
      core.keys.all().map((key) => ({
        authKeyId: key.idHex,
        userId: key.userId,
        sessions: key.sessions.size,
        temporary: key.expiresAt !== undefined,
        boundTo: key.permanent?.idHex,
      })),
    async close() {
      core.closed = true;
      cluster.members.delete(core);
      clearInterval(sweeper);
      await Promise.all(listeners.map((l) => l.close()));
      await handshakes.close();
      log('info', 'test server closed');
    },
    async stop() {
      clearInterval(sweeper);
      await Promise.all(listeners.map((l) => l.close()));
      await handshakes.close();
      await core.drain();
      core.closed = true;
      cluster.members.delete(core);
      log('info', 'test server stopped; state handed over');
      return { keys: core.keys, cluster, rsaKey };
    },
  };
}
