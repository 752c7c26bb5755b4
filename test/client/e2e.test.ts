import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { answerNextCall, placeCall } from '../../src/calls/call-flow.js';
import { RpcError, type MtprotoClient } from '../../src/client/index.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import type { TestServer } from '../../src/server/index.js';
import { Api } from '../../src/api/index.js';
import { clientFor, signIn, testServer, type Route } from './helpers.js';

const routes: Route[] = [
  ...(['abridged', 'intermediate', 'padded', 'full'] as const).map((framing) => ({
    transport: 'tcp' as const,
    framing,
    obfuscated: false,
  })),
  ...(['abridged', 'intermediate', 'padded'] as const).map((framing) => ({ transport: 'tcp' as const, framing, obfuscated: true })),
  ...(['abridged', 'intermediate', 'padded'] as const).flatMap((framing) =>
    [true, false].map((obfuscated) => ({ transport: 'websocket' as const, framing, obfuscated })),
  ),
];

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

describe.each(routes)('$transport $framing obfuscated=$obfuscated', (route) => {
  test('handshake, typed invoke, rpc errors, and a video call whose two ends agree on the key', async () => {
    const clients: MtprotoClient[] = [clientFor(server, route), clientFor(server, route)];
    try {
      const [alice, bob] = clients as [MtprotoClient, MtprotoClient];
      await Promise.all(clients.map((c) => c.connect()));
      const config: Api.TypeConfig = await alice.invoke(new Api.help.getConfig());
      expect(config.thisDc).toBe(server.dcId);
      await expect(
        alice.invoke(
          new Api.phone.requestCall({
            userId: new Api.InputUserSelf(),
            randomId: 1,
            gAHash: new Uint8Array(32),
            protocol: new Api.PhoneCallProtocol({ minLayer: 65, maxLayer: 92, libraryVersions: [] }),
          }),
        ),
      ).rejects.toBeInstanceOf(RpcError);
      await signIn(alice, '42000000001');
      const bobUser = await signIn(bob, '42000000002');
      const [caller, callee] = await Promise.all([
        placeCall(alice, new Api.InputUser({ userId: bobUser.id, accessHash: bobUser.accessHash! }), { crypto: nodeCrypto, video: true }),
        answerNextCall(bob, { crypto: nodeCrypto }),
      ]);
      expect(caller.callKey.fingerprint).toBe(callee.callKey.fingerprint);
      expect(Buffer.from(caller.callKey.key).equals(Buffer.from(callee.callKey.key))).toBe(true);
      expect(caller.callKey.emojis).toEqual(callee.callKey.emojis);
      expect(caller.callKey.emojis).toHaveLength(4);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});

describe('call errors from the seed', () => {
  test('USER_ID_INVALID, CALL_PROTOCOL_FLAGS_INVALID, PARTICIPANT_VERSION_OUTDATED, USER_PRIVACY_RESTRICTED, USER_IS_BLOCKED', async () => {
    const client = clientFor(server, routes[1]!);
    await client.connect();
    try {
      await signIn(client, '42000000001');
      const call = (userId: bigint, accessHash: bigint, protocol: Partial<Api.PhoneCallProtocol> = {}) =>
        client.invoke(
          new Api.phone.requestCall({
            userId: new Api.InputUser({ userId, accessHash }),
            randomId: 7,
            gAHash: new Uint8Array(32),
            protocol: new Api.PhoneCallProtocol({ udpP2p: true, minLayer: 65, maxLayer: 92, libraryVersions: [], ...protocol }),
          }),
        );
      const message = (p: Promise<unknown>) =>
        p.then(
          () => 'ok',
          (e: RpcError) => e.errorMessage,
        );
      const users = server.users;
      const bob = users.get(1000002n)!;
      expect(await message(call(999n, 1n))).toBe('USER_ID_INVALID');
      expect(await message(call(bob.id, bob.accessHash, { udpP2p: false, udpReflector: false }))).toBe('CALL_PROTOCOL_FLAGS_INVALID');
      expect(await message(call(bob.id, bob.accessHash, { maxLayer: 10, minLayer: 10 }))).toBe('PARTICIPANT_VERSION_OUTDATED');
      const carol = users.get(1000003n)!;
      const dave = users.get(1000004n)!;
      expect(await message(call(carol.id, carol.accessHash))).toBe('USER_PRIVACY_RESTRICTED');
      expect(await message(call(dave.id, dave.accessHash))).toBe('USER_IS_BLOCKED');
    } finally {
      await client.close();
    }
  });
});
