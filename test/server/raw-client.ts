/**
 * A minimal client for the test server's tests, assembled from the library's pure pieces
 * (AuthKeyExchange, ClientSession, the client codec) over a real socket. Not a product client: it only
 * does what the tests need — handshake, invoke with typed results, collect updates, quick acks.
 */
import { decryptMessage } from '../../src/crypto/message.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { AuthKeyExchange, type AuthKeyResult } from '../../src/mtproto/auth-key-client.js';
import { ClientSession } from '../../src/mtproto/client-session.js';
import { nodeCompression } from '../../src/platform/compression.js';
import type { TestServer } from '../../src/server/index.js';
import { Api, decodeObject, encodeObject, readResultOf, TlReader, type TlObject } from '../../src/api/index.js';
import { createClientCodec, type ClientCodec, type Connection, type Framing } from '../../src/transport/index.js';
import { connectTcp } from '../../src/transport/tcp.js';
import { connectWebSocket } from '../../src/transport/websocket.js';

/** What a client of `layer` sends first: its query inside invokeWithLayer(initConnection(...)). */
export const inLayer = (layer: number, query: TlObject): TlObject =>
  ({
    _: 'invokeWithLayer',
    layer,
    query: {
      _: 'initConnection',
      apiId: 1,
      deviceModel: 'vitest',
      systemVersion: 'node',
      appVersion: '1',
      systemLangCode: 'en',
      langPack: '',
      langCode: 'en',
      query,
    },
  }) as TlObject;

export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    readonly errorMessage: string,
  ) {
    super(`${code} ${errorMessage}`);
  }
}

export interface RawClientOptions {
  transport?: 'tcp' | 'websocket';
  framing?: Framing;
  obfuscated?: boolean;
  /** Reuse a key from an earlier connection: no handshake. */
  authKey?: AuthKeyResult;
  sessionId?: bigint;
  /** How pushed updates are read (default: layer 228's decodeObject). */
  decodeUpdate?: (body: Uint8Array) => TlObject;
  /** Make a temporary key valid this long (p_q_inner_data_temp_dc) instead of a permanent one. */
  temp?: { expiresIn: number };
  /** The session's clock (default Date.now): a frozen one makes its msg_ids predictable. */
  now?: () => number;
}

type Waiter = (payload: Uint8Array) => void;

export class RawClient {
  readonly updates: TlObject[] = [];
  readonly transportErrors: number[] = [];
  readonly quickAcks: number[] = [];
  /** Every encrypted frame sent, with whether it asked for a quick ack. */
  readonly sent: { frame: Uint8Array; quickAck: boolean }[] = [];
  authKey!: AuthKeyResult;
  session!: ClientSession;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<Error | undefined>;
  private readonly frames: Uint8Array[] = [];
  private waiter: Waiter | undefined;
  private readonly pending = new Map<number, { resolve: (body: Uint8Array) => void; reject: (e: Error) => void }>();
  private updateWaiters: (() => void)[] = [];

  private constructor(
    readonly connection: Connection,
    readonly codec: ClientCodec,
    private readonly decodeUpdate: (body: Uint8Array) => TlObject,
  ) {
    this.closed = new Promise((resolve) => connection.onClose(resolve));
    connection.onData((chunk) => {
      for (const event of codec.decode(chunk)) {
        if (event.kind === 'error') this.transportErrors.push(event.code);
        else if (event.kind === 'quickAck') this.quickAcks.push(event.token);
        else this.onFrame(event.payload);
      }
    });
  }

  static async connect(server: TestServer, options: RawClientOptions = {}): Promise<RawClient> {
    const transport = options.transport ?? 'tcp';
    const connection =
      transport === 'tcp' ? await connectTcp({ host: server.host, port: server.tcpPort! }) : await connectWebSocket({ url: server.wsUrl! });
    const obfuscated = options.obfuscated ?? transport === 'websocket';
    const codec = createClientCodec({
      framing: options.framing ?? 'intermediate',
      obfuscation: obfuscated ? { dcId: server.dcId } : undefined,
      crypto: nodeCrypto,
    });
    connection.send(codec.start());
    const client = new RawClient(connection, codec, options.decodeUpdate ?? ((body) => decodeObject(body)));
    client.authKey = options.authKey ?? (await client.handshake(server, options.temp));
    client.session = new ClientSession({
      crypto: nodeCrypto,
      compression: nodeCompression,
      now: options.now ?? Date.now,
      authKey: client.authKey.authKey,
      serverSalt: client.authKey.serverSalt,
      timeOffset: client.authKey.timeOffset,
      sessionId: options.sessionId,
    });
    return client;
  }

  /** Sends one API call and resolves with its decoded result (rejects with RpcFailure on rpc_error). */
  async invoke<M extends TlObject>(method: M, options: { quickAck?: boolean } = {}): Promise<Api.ResultOf<M>> {
    const body = await this.invokeBytes(encodeObject(method), options);
    return readResultOf<M>(new TlReader(body), method);
  }

  /** Sends a serialized query (which may be anything) and resolves with the serialized result. */
  invokeBytes(query: Uint8Array, options: { quickAck?: boolean } = {}): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.pending.set(this.session.send(query), { resolve, reject });
      this.flush(options.quickAck);
    });
  }

  /** The first update (already received or still to come) that `match` accepts. */
  async nextUpdate<T>(match: (update: TlObject) => T | undefined, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const update of this.updates) {
        const found = match(update);
        if (found !== undefined) return found;
      }
      if (Date.now() > deadline) throw new Error('no matching update arrived');
      await new Promise<void>((resolve) => {
        this.updateWaiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Sends raw bytes through the codec (for malformed-input tests). */
  sendPayload(payload: Uint8Array): void {
    this.connection.send(this.codec.encode(payload));
  }

  close(): void {
    this.connection.close();
  }

  private flush(quickAck = false): void {
    for (let frame = this.session.flush(); frame; frame = this.session.flush()) {
      this.sent.push({ frame, quickAck });
      this.connection.send(this.codec.encode(frame, { quickAck }));
    }
  }

  private async handshake(server: TestServer, temp: { expiresIn: number } | undefined): Promise<AuthKeyResult> {
    const exchange = new AuthKeyExchange({ crypto: nodeCrypto, publicKeys: [server.publicKey], dcId: server.dcId, ...(temp && { temp }) });
    let message = exchange.start();
    for (;;) {
      this.sendPayload(message);
      const step = exchange.receive(await this.nextFrame());
      if ('done' in step) return step.done;
      message = step.send;
    }
  }

  /** The next handshake frame; rejects (naming the server's transport errors) if the server closes first. */
  private nextFrame(): Promise<Uint8Array> {
    const ready = this.frames.shift();
    if (ready) return Promise.resolve(ready);
    const closed = this.closed.then((error) => {
      throw new Error(
        `the server closed the connection during the handshake (transport errors: ${this.transportErrors.join(', ') || 'none'})`,
        { cause: error },
      );
    });
    return Promise.race([new Promise<Uint8Array>((resolve) => (this.waiter = resolve)), closed]);
  }

  private onFrame(payload: Uint8Array): void {
    if (!this.session) {
      const waiter = this.waiter;
      this.waiter = undefined;
      if (waiter) waiter(payload);
      else this.frames.push(payload);
      return;
    }
    const { session } = this;
    const message = decryptMessage(session.authKey, session.authKeyId, payload, 8, { provider: nodeCrypto, sessionId: session.sessionId });
    for (const event of session.receive(message)) {
      if (event.type === 'update') {
        this.updates.push(this.decodeUpdate(event.body));
        for (const wake of this.updateWaiters.splice(0)) wake();
        continue;
      }
      if (event.type !== 'result' && event.type !== 'rpcError' && event.type !== 'failed') continue;
      const call = this.pending.get(event.requestId);
      if (!call) continue;
      this.pending.delete(event.requestId);
      if (event.type === 'result') call.resolve(event.body);
      else if (event.type === 'rpcError') call.reject(new RpcFailure(event.code, event.message));
      else call.reject(new Error(`message refused with code ${event.code}`));
    }
    this.flush(); // resends after bad_server_salt and the like, and acks
  }
}
