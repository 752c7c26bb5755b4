/**
 * Runs a client and a server exchange against each other in memory, no transport: for tests and the
 * handshake benchmark.
 */
import { AuthKeyError } from '../mtproto/auth-key-common.js';
import type { AuthKeyExchange, AuthKeyResult } from '../mtproto/auth-key-client.js';
import type { AuthKeyServer, ServerAuthKeyResult } from '../mtproto/auth-key-server.js';

/** Three round trips, one more per dh_gen_retry; anything longer is a loop. */
const MAX_ROUND_TRIPS = 8;

export function runHandshakeInMemory(
  client: AuthKeyExchange,
  server: AuthKeyServer,
): { client: AuthKeyResult; server: ServerAuthKeyResult } {
  let toServer = client.start();
  let serverResult: ServerAuthKeyResult | undefined;
  for (let i = 0; i < MAX_ROUND_TRIPS; i++) {
    const reply = server.receive(toServer);
    if ('error' in reply) throw new AuthKeyError('transport_error', `the server answered ${reply.error}`);
    serverResult ??= reply.done;
    const step = client.receive(reply.send);
    if ('done' in step) {
      if (!serverResult) throw new AuthKeyError('state', 'the client finished before the server');
      return { client: step.done, server: serverResult };
    }
    toServer = step.send;
  }
  throw new AuthKeyError('too_many_retries', `no auth key after ${MAX_ROUND_TRIPS} round trips`);
}
