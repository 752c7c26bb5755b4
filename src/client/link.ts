/**
 * One connection to a server with its transport codec on top: MTProto messages in and out. A link
 * lives as long as its socket; the client makes a new one to reconnect.
 */
import type { CryptoProvider } from '../crypto/provider.js';
import { createClientCodec, type ClientCodec } from '../transport/codec.js';
import type { Connection } from '../transport/connection.js';
import { TransportError } from '../transport/errors.js';
import type { Framing } from '../transport/framing.js';
import type { WebSocketConnectOptions } from '../transport/websocket-common.js';

export type TransportOptions =
  | { kind: 'tcp'; host: string; port: number }
  /** e.g. ws://127.0.0.1:8080/apiws; obfuscation is always on over WebSocket. */
  | { kind: 'websocket'; url: string };

export interface LinkOptions {
  transport: TransportOptions;
  /** Default 'intermediate'. */
  framing?: Framing;
  /** obfuscated2 over TCP (always on for WebSocket). */
  obfuscated?: boolean;
  /** An MTProxy secret (hex): implies obfuscation. */
  proxySecret?: string;
  dcId: number;
  test?: boolean;
  connectTimeoutMs?: number;
  crypto: CryptoProvider;
}

export interface LinkHandlers {
  message(payload: Uint8Array): void;
  /** Called once: the socket closed or the server sent a transport error (then `error` is a TransportError). */
  closed(error?: Error): void;
}

/** The host's standard WebSocket where it has one (browsers, Node ≥ 22, Deno, Bun); `ws` on Node 20. */
async function connectWebSocket(options: WebSocketConnectOptions): Promise<Connection> {
  const standard = await import('../transport/websocket-standard.js');
  if (standard.globalWebSocket() !== undefined) return standard.connectStandardWebSocket(options);
  return import('../transport/websocket.js').then((m) => m.connectWebSocket(options));
}

export class Link {
  private closedReported = false;

  private constructor(
    private readonly connection: Connection,
    private readonly codec: ClientCodec,
    private readonly handlers: LinkHandlers,
  ) {
    connection.onData((chunk) => this.onData(chunk));
    connection.onClose((error) => this.report(error));
  }

  static async open(options: LinkOptions, handlers: LinkHandlers): Promise<Link> {
    const { transport } = options;
    // Each socket adapter loads with the first connection that needs it: `ws` (with node:http) costs an
    // importer of mtwire ~1.4 MB of heap and a tenth of a second, and a client uses one transport.
    const timeoutMs = options.connectTimeoutMs;
    const connection = await (transport.kind === 'tcp'
      ? import('../transport/tcp.js').then((m) => m.connectTcp({ host: transport.host, port: transport.port, timeoutMs }))
      : connectWebSocket({ url: transport.url, timeoutMs }));
    const obfuscate = transport.kind === 'websocket' || options.obfuscated || options.proxySecret !== undefined;
    const codec = createClientCodec({
      framing: options.framing ?? 'intermediate',
      obfuscation: obfuscate ? { dcId: options.dcId, test: options.test, secret: options.proxySecret } : undefined,
      crypto: options.crypto,
    });
    const link = new Link(connection, codec, handlers);
    connection.send(codec.start());
    return link;
  }

  send(payload: Uint8Array): void {
    this.connection.send(this.codec.encode(payload));
  }

  close(): void {
    this.connection.close();
  }

  private onData(chunk: Uint8Array): void {
    // A FramingError thrown here closes the connection with it (see ConnectionEvents).
    for (const event of this.codec.decode(chunk)) {
      if (event.kind === 'frame') this.handlers.message(event.payload);
      else if (event.kind === 'error') {
        this.report(new TransportError(event.code));
        this.connection.close();
      }
    }
  }

  private report(error?: Error): void {
    if (this.closedReported) return;
    this.closedReported = true;
    this.handlers.closed(error);
  }
}
