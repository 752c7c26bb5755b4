/**
 * A load run against a test server: many clients connect at once (each with its own handshake), then
 * each sends a number of requests whose answers name the request, so that a lost, duplicated or
 * mismatched answer is caught rather than counted. Used by the load test and by `npm run bench`.
 */
import { MtprotoClient, type ClientOptions } from '../client/index.js';
import { MtwireError } from '../base/errors.js';
import { ServerRpcError } from '../server/rpc.js';
import type { TestServer } from '../server/test-server.js';

export interface LoadOptions {
  clients: number;
  requestsPerClient: number;
  /** Connection settings other than the server's address and key (default: TCP, intermediate). */
  client?: Partial<ClientOptions>;
}

export interface LoadResult {
  clients: number;
  requests: number;
  /** Requests answered per second, from the first request to the last answer. */
  requestsPerSecond: number;
  handshakeMedianMs: number;
  handshakeMaxMs: number;
  /** Wall time of the whole run, connections included. */
  totalMs: number;
}

const ECHO_METHOD = 'contacts.resolveUsername';

/**
 * Makes `contacts.resolveUsername('load_<n>')` answer with peerUser n: the answer says which request it
 * is. Any other name is 400 USERNAME_NOT_OCCUPIED.
 */
export function registerEchoHandler(server: TestServer, onCall: () => void = () => undefined): void {
  server.registerHandler(ECHO_METHOD, (query) => {
    onCall();
    const n = /^load_(\d+)$/.exec(query.username)?.[1];
    // Telegram's answer for a name nobody holds: a 400, the caller's mistake (a throw would be a 500, the server's).
    if (n === undefined) throw new ServerRpcError(400, 'USERNAME_NOT_OCCUPIED');
    return { _: 'contacts.resolvedPeer', peer: { _: 'peerUser', userId: BigInt(n) }, chats: [], users: [] };
  });
}

export async function runLoad(server: TestServer, options: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const clients = Array.from(
    { length: options.clients },
    () =>
      new MtprotoClient({
        transport: { kind: 'tcp', host: server.host, port: server.tcpPort! },
        dcId: server.dcId,
        apiId: 1,
        publicKeys: [server.publicKey],
        pingIntervalMs: 0,
        ...options.client,
      }),
  );
  try {
    const handshakes = await Promise.all(
      clients.map(async (client) => {
        const t0 = performance.now();
        await client.connect();
        return performance.now() - t0;
      }),
    );
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (client, c) => {
        const answers = await Promise.all(
          Array.from({ length: options.requestsPerClient }, (_, r) => {
            const n = c * options.requestsPerClient + r;
            return client.invoke({ _: ECHO_METHOD, username: `load_${n}` } as never).then((answer) => [n, answer] as const);
          }),
        );
        for (const [n, answer] of answers) {
          const peer = (answer as { peer?: { userId?: bigint } }).peer;
          if (peer?.userId !== BigInt(n)) throw new MtwireError('LOAD', `request ${n} got the answer to ${peer?.userId}`);
        }
      }),
    );
    const requestsMs = performance.now() - t0;
    handshakes.sort((a, b) => a - b);
    const requests = options.clients * options.requestsPerClient;
    return {
      clients: options.clients,
      requests,
      requestsPerSecond: requests / (requestsMs / 1000),
      handshakeMedianMs: handshakes[Math.floor(handshakes.length / 2)]!,
      handshakeMaxMs: handshakes[handshakes.length - 1]!,
      totalMs: performance.now() - started,
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}
