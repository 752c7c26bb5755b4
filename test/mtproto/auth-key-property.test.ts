/**
 * Whatever arrives at whichever step, the client throws only typed errors (MtwireError: SecurityError or
 * AuthKeyError) and the server never throws at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../src/crypto/node.js';
import { AuthKeyExchange, type AuthKeyStep } from '../../src/mtproto/auth-key-client.js';
import { AuthKeyServer, type AuthKeyServerStep } from '../../src/mtproto/auth-key-server.js';
import { encodePlainMessage } from '../../src/mtproto/plain-message.js';
import { onlyTypedErrors, serverKeyPair } from './helpers.js';

const crypto = nodeCrypto;
const RUNS = 40;

function sent(step: AuthKeyStep | AuthKeyServerStep): Uint8Array {
  if (!('send' in step)) throw new Error('handshake did not progress');
  return step.send;
}

/**
 * A fresh client/server pair after `step` full round trips (0, 1 or 2): the server waits for `toServer`,
 * the client for the server's answer to it.
 */
function pairAt(step: number) {
  const { publicKey, serverKey } = serverKeyPair();
  const client = new AuthKeyExchange({ crypto, publicKeys: [publicKey], dcId: 2 });
  const server = new AuthKeyServer({ crypto, privateKey: serverKey, dcId: 2 });
  let toServer = client.start();
  for (let i = 0; i < step; i++) toServer = sent(client.receive(sent(server.receive(toServer))));
  return { client, server, toServer };
}

type Mutation = (valid: Uint8Array) => Uint8Array;

/** Random bytes, or the valid message damaged the ways a network or an attacker would. */
const hostile: fc.Arbitrary<Mutation> = fc.oneof(
  fc.uint8Array({ maxLength: 700 }).map(
    (bytes): Mutation =>
      () =>
        bytes,
  ),
  fc.tuple(fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }), fc.uint8Array({ maxLength: 700 })).map(
    ([id, body]): Mutation =>
      () =>
        encodePlainMessage(id, body),
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(
    ([i, x]): Mutation =>
      (valid) =>
        Uint8Array.from(valid, (b, j) => (j === i % valid.length ? b ^ x : b)),
  ),
  fc.nat().map(
    (i): Mutation =>
      (valid) =>
        valid.subarray(0, i % valid.length),
  ),
  fc.uint8Array({ minLength: 1, maxLength: 32 }).map(
    (tail): Mutation =>
      (valid) =>
        Uint8Array.from([...valid, ...tail]),
  ),
);

describe.each([0, 1, 2])('hostile input after %s round trips', (step) => {
  it('the server never throws: it answers a message or a transport error', () => {
    fc.assert(
      fc.property(hostile, (mutate) => {
        const { server, toServer } = pairAt(step);
        const answer = server.receive(mutate(toServer));
        expect('send' in answer || ('error' in answer && (answer.error === -404 || answer.error === -444))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('the client throws only typed errors', () => {
    fc.assert(
      fc.property(hostile, (mutate) => {
        const { client, server, toServer } = pairAt(step);
        const valid = sent(server.receive(toServer));
        onlyTypedErrors(() => client.receive(mutate(valid)));
      }),
      { numRuns: RUNS },
    );
  });
});
