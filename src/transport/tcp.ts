import type * as NodeNet from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { MtwireError } from '../base/errors.js';
import { requireNodeBuiltin } from '../base/host.js';
import { ConnectionEvents } from './connection.js';
import type { Connection, Listener } from './connection.js';

/**
 * node:net, looked up when a socket opens (see base/host.ts): a client bundled for a browser carries this
 * adapter, and a TCP transport there fails with a typed error instead of the whole bundle failing to build.
 */
const net = (user: string): typeof NodeNet => requireNodeBuiltin<typeof NodeNet>('node:net', user);

/** A node:net socket as a Connection. */
class TcpConnection extends ConnectionEvents implements Connection {
  readonly transport = 'tcp';
  readonly remoteAddress: string | undefined;
  /** socket.write returned false and 'drain' has not fired yet. */
  private blocked = false;

  constructor(private readonly socket: Socket) {
    super();
    this.remoteAddress = socket.remoteAddress;
    let failure: Error | undefined;
    socket.setNoDelay(true); // frames are written whole; Nagle would only add latency
    socket.on('data', (data: Buffer) => this.emitData(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    socket.on('drain', () => {
      this.blocked = false;
      this.emitDrain();
    });
    socket.on('error', (error) => (failure = error)); // 'close' always follows and reports it
    socket.on('close', () => this.emitClose(failure));
  }

  get writable(): boolean {
    return !this.blocked && !this.isClosed && this.socket.writable;
  }

  send(bytes: Uint8Array): void {
    if (this.isClosed || !this.socket.writable) return;
    if (!this.socket.write(bytes)) this.blocked = true;
  }

  close(): void {
    // end() flushes what is queued; destroy() afterwards so 'close' fires even if the peer never ends.
    this.socket.end(() => this.socket.destroy());
  }

  protected destroy(): void {
    this.socket.destroy();
  }
}

export interface TcpConnectOptions {
  host: string;
  port: number;
  /** Give up connecting after this long (default 15 s). */
  timeoutMs?: number;
}

export function connectTcp(options: TcpConnectOptions): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = net('connectTcp').connect({ host: options.host, port: options.port });
    const timer = setTimeout(() => {
      socket.destroy(new MtwireError('CONNECT_TIMEOUT', `no TCP connection to ${options.host}:${options.port}`));
    }, options.timeoutMs ?? 15_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      reject(error);
    };
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      resolve(new TcpConnection(socket));
    });
  });
}

export interface TcpListenOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port (read it from Listener.port). */
  port?: number;
  /** Queue of connections the kernel accepts before the server takes them (default 511, capped by somaxconn). */
  backlog?: number;
}

export function listenTcp(options: TcpListenOptions, onConnection: (connection: Connection) => void): Promise<Listener> {
  const sockets = new Set<Socket>();
  const server = net('listenTcp').createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onConnection(new TcpConnection(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1', backlog: options.backlog ?? 511 }, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        host: address.address,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
