/**
 * The test server answers in the layer its client declared, over real sockets: requests are written with
 * the client layer's own schema (the layer store's codec) and answers are read with it, so a constructor
 * of the wrong layer fails the test by not decoding.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateRsaKeyPair } from '../../src/crypto/rsa-keygen.js';
import { apiLayer, decodeObjectInLayer, encodeObjectInLayer } from '../../src/layers/index.js';
import { startTestServer, type TestServer } from '../../src/server/index.js';
import type { TlMethodDescriptor, TlObject } from '../../src/api/index.js';
import { RawClient, RpcFailure } from './raw-client.js';

let server: TestServer;
const rsaKey = generateRsaKeyPair();

beforeAll(async () => {
  server = await startTestServer({ rsaKey });
});
afterAll(async () => {
  await server.close();
});

/** What a client of `layer` sends first: its query inside invokeWithLayer(initConnection(...)). */
const inLayer = (layer: number, query: TlObject): TlObject =>
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
