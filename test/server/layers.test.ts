/**
 * The test server answers in the layer its client declared, over real sockets: requests are written with
 * the client layer's own schema (the layer store's codec) and answers are read with it, so a constructor
 * of the wrong layer fails the test by not decoding.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateRsaKeyPair } from '../../src/crypto/rsa-keygen.js';
import { apiLayer, decodeObjectInLayer, encodeObjectInLayer } from '../../src/layers/index.js';
import { startTestServer, type TestServer } from '../../src/server/index.js';
import type { Api, TlMethodDescriptor, TlObject } from '../../src/api/index.js';
import { RawClient, RpcFailure, inLayer } from './raw-client.js';

let server: TestServer;
const rsaKey = generateRsaKeyPair();

/** An answer with no form in layer 144: updateStory is newer, and Update has no …Unsupported or …Empty. */
const storyUpdates = {
  _: 'updates',
  updates: [{ _: 'updateStory', peer: { _: 'peerUser', userId: 1000002n }, story: { _: 'storyItemDeleted', id: 1 } }],
  users: [],
  chats: [],
  date: 0,
  seq: 0,
} as Api.Updates;

beforeAll(async () => {
  server = await startTestServer({ rsaKey, handlers: { 'messages.getAllDrafts': () => storyUpdates } });
});
afterAll(async () => {
  await server.close();
});

/** Sends `call` written in `layer` and reads the answer with `layer`'s schema. */
async function invokeIn(client: RawClient, layer: number, call: TlObject): Promise<{ id: number; answer: TlObject }> {
  const body = await client.invokeBytes(encodeObjectInLayer(call, layer));
  return { id: new DataView(body.buffer, body.byteOffset).getUint32(0, true), answer: decodeObjectInLayer(body, layer) };
}

const idIn = (layer: number, name: string): number => apiLayer(layer).descriptor.entry(name)!.id!;

test('a layer-144 client gets config#330b4067 for help.getConfig', async () => {
  const client = await RawClient.connect(server);
  const { id, answer } = await invokeIn(client, 144, inLayer(144, { _: 'help.getConfig' }));
  expect(id).toBe(0x330b4067);
  expect(answer).toMatchObject({ _: 'config', thisDc: server.dcId, dcOptions: [{ id: server.dcId, port: server.tcpPort }] });
  client.close();
});

test('a layer-198 client signs in and gets the layer-198 user in auth.authorization, on every session of its key', async () => {
  const client = await RawClient.connect(server);
  // Declared `flags:int` (a plain int, not a flags field) in every layer.
  const bot = { _: 'auth.importBotAuthorization', flags: 0, apiId: 1, apiHash: 'x', botAuthToken: '1000001:test' };
  const signedIn = await client.invokeBytes(encodeObjectInLayer(inLayer(198, bot as TlObject), 198));
  const authorization = decodeObjectInLayer(signedIn, 198) as unknown as { user: TlObject };
  expect(authorization.user).toMatchObject({ _: 'user', id: 1000001n, self: true });
  // The user's bytes inside the answer start with layer 198's id for `user`, not layer 228's.
  const userAt = signedIn.findIndex(
    (_, i) => new DataView(signedIn.buffer, signedIn.byteOffset + i).getUint32(0, true) === idIn(198, 'user'),
  );
  expect(userAt).toBeGreaterThan(0);
  expect(idIn(198, 'user')).not.toBe(idIn(228, 'user'));
  client.close();

  // A new connection and session on the same auth key, with no invokeWithLayer: still layer 198.
  const again = await RawClient.connect(server, { authKey: client.authKey });
  const getUsers = { _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] } as TlObject;
  const users = await again.invokeBytes(encodeObjectInLayer(getUsers, 198));
  const { result } = apiLayer(198).descriptor.entry('users.getUsers') as TlMethodDescriptor;
  expect(apiLayer(198).codec.decodeValue(result, users)).toMatchObject([{ _: 'user', id: 1000001n, self: true }]);
  again.close();
});

test.each([97, 229])('a client declaring layer %i gets 400 CONNECTION_LAYER_INVALID', async (layer) => {
  const client = await RawClient.connect(server);
  const failure = await client.invokeBytes(encodeObjectInLayer(inLayer(layer, { _: 'help.getConfig' }), 228)).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(RpcFailure);
  expect(failure).toMatchObject({ code: 400, errorMessage: 'CONNECTION_LAYER_INVALID' });
  client.close();
});

test('a client declaring layer 141, which tdlib never shipped, is served layer 140', async () => {
  const client = await RawClient.connect(server);
  const { id, answer } = await invokeIn(client, 140, inLayer(141, { _: 'help.getConfig' }));
  expect(id).toBe(idIn(140, 'config'));
  expect(id).not.toBe(idIn(228, 'config'));
  expect(answer).toMatchObject({ _: 'config', thisDc: server.dcId });
  client.close();
});

const signInBot = (layer: number): TlObject =>
  inLayer(layer, { _: 'auth.importBotAuthorization', flags: 0, apiId: 1, apiHash: 'x', botAuthToken: '1000001:test' } as TlObject);

test('a layer-130 client names users by int ids and gets int ids back (user ids became long in 133)', async () => {
  const client = await RawClient.connect(server);
  await client.invokeBytes(encodeObjectInLayer(signInBot(130), 130));
  const bob = server.users.get(1000002n)!;
  const getUsers = { _: 'users.getUsers', id: [{ _: 'inputUser', userId: 1000002, accessHash: bob.accessHash }] } as TlObject;
  const { result } = apiLayer(130).descriptor.entry('users.getUsers') as TlMethodDescriptor;
  const users = apiLayer(130).codec.decodeValue(result, await client.invokeBytes(encodeObjectInLayer(getUsers, 130)));
  expect(users).toMatchObject([{ _: 'user', id: 1000002, firstName: bob.firstName }]);
  client.close();
});

test('an answer with no form in the client’s layer is 400 TYPE_NOT_IN_LAYER_<n>: <type>', async () => {
  const client = await RawClient.connect(server);
  const failure = await client.invokeBytes(encodeObjectInLayer(inLayer(144, { _: 'messages.getAllDrafts' }), 144)).catch((e: unknown) => e);
  expect(failure).toMatchObject({ code: 400, errorMessage: 'TYPE_NOT_IN_LAYER_144: Update' });
  client.close();
});

test('updates reach a layer-144 client in its layer; one with no form there arrives as updatesTooLong', async () => {
  const client = await RawClient.connect(server, { decodeUpdate: (body) => decodeObjectInLayer(body, 144) });
  await client.invokeBytes(encodeObjectInLayer(signInBot(144), 144));
  server.pushUpdate(1000001n, { _: 'updateUserStatus', userId: 1000002n, status: { _: 'userStatusRecently', byMe: true } });
  const status = await client.nextUpdate((u) => ((u as { updates?: TlObject[] }).updates?.[0]?._ === 'updateUserStatus' ? u : undefined));
  // Layer 144's userStatusRecently has no fields: by_me came later and is dropped.
  expect(status).toMatchObject({ _: 'updates', updates: [{ _: 'updateUserStatus', userId: 1000002n }] });
  expect((status as unknown as { updates: { status: unknown }[] }).updates[0]!.status).toEqual({ _: 'userStatusRecently' });
  server.pushUpdate(1000001n, storyUpdates);
  expect(await client.nextUpdate((u) => (u._ === 'updatesTooLong' ? u : undefined))).toEqual({ _: 'updatesTooLong' });
  client.close();
});
