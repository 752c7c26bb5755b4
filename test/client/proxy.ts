import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 between a client and the test server, for fault injection: it can cut
 * every connection, or pass server→client bytes through a filter (to corrupt one frame).
 */
export class FaultProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  /** Applied to each server→client chunk; return the bytes to forward. */
  downstream: (chunk: Buffer) => Buffer = (chunk) => chunk;
  connections = 0;

  private constructor(private readonly server: Server) {}

  static async start(targetPort: number): Promise<FaultProxy> {
    const server = createServer();
    const proxy = new FaultProxy(server);
    server.on('connection', (client) => {
      proxy.connections++;
      const upstream = connect({ host: '127.0.0.1', port: targetPort });
      const pair: [Socket, Socket] = [client, upstream];
      proxy.pairs.add(pair);
      client.on('data', (d) => upstream.write(d));
      upstream.on('data', (d) => client.write(proxy.downstream(d)));
      const end = () => {
        proxy.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Drops every open connection, as a network failure would. */
  cutAll(): void {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  close(): Promise<void> {
    this.cutAll();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
