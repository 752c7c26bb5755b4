/**
 * One connection to a server with its transport codec on top: MTProto messages in and out. A link
 * lives as long as its socket; the client makes a new one to reconnect.
 */
import { MtwireError } from '../base/errors.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { createClientCodec, type ClientCodec } from '../transport/codec.js';
import type { Connection } from '../transport/connection.js';
import { TransportError } from '../transport/errors.js';
import type { Framing } from '../transport/framing.js';
import type { WebSocketConnectOptions } from '../transport/websocket-common.js';

export type TransportOptions =
  | { kind: 'tcp'; host: string; port: number }
  | {
      kind: 'websocket';
      /** e.g. wss://venus.web.telegram.org/apiws, or a test server's ws://127.0.0.1:8080/apiws. */
      url: string;
      /**
       * obfuscated2 inside the WebSocket stream (default true: Telegram's /apiws requires it). false sends
       * the framing as over plain TCP, its usual first bytes (`ef`, `ee ee ee ee`, `dd dd dd dd`) included,
       * for servers that take plain framings over WebSocket, such as mtwire's test server. An MTProxy
       * `proxySecret` needs obfuscation, so false with one is refused (INVALID_ARGUMENT).
       */
      obfuscated?: boolean;
    };

export interface LinkOptions {
  transport: TransportOptions;
  /** Default 'intermediate'. */
  framing?: Framing;
  /** obfuscated2 over TCP (default false); over WebSocket the transport's own `obfuscated` decides. */
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

/** Over TCP obfuscation is asked for (or implied by an MTProxy secret); over WebSocket it is on unless turned off. */
function isObfuscated({ transport, obfuscated, proxySecret }: LinkOptions): boolean {
  if (transport.kind === 'tcp') return obfuscated === true || proxySecret !== undefined;
  if (transport.obfuscated !== false) return true;
  if (proxySecret !== undefined) {
    throw new MtwireError(
      'INVALID_ARGUMENT',
      `transport.obfuscated is false for ${transport.url}, but an MTProxy secret needs obfuscation`,
    );
  }
  return false;
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
    // Made before the socket, so that options the codec refuses leave no connection open behind them.
    const codec = createClientCodec({
      framing: options.framing ?? 'intermediate',
      obfuscation: isObfuscated(options) ? { dcId: options.dcId, test: options.test, secret: options.proxySecret } : undefined,
      crypto: options.crypto,
    });
    // Each socket adapter loads with the first connection that needs it: `ws` (with node:http) costs an
    // importer of mtwire ~1.4 MB of heap and a tenth of a second, and a client uses one transport.
    const timeoutMs = options.connectTimeoutMs;
    const connection = await (transport.kind === 'tcp'
      ? import('../transport/tcp.js').then((m) => m.connectTcp({ host: transport.host, port: transport.port, timeoutMs }))
      : connectWebSocket({ url: transport.url, timeoutMs }));
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
