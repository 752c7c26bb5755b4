import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../src/api/index.js';
import { MtprotoClient, RpcError } from '../../src/client/index.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { srpProve } from '../../src/crypto/srp.js';
import { DEFAULT_TEST_USERS, startTestCluster, TEST_PHONE_CODE, type TestCluster } from '../../src/server/index.js';
import { serverKey } from '../client/helpers.js';

const [alice, bob] = DEFAULT_TEST_USERS as [(typeof DEFAULT_TEST_USERS)[number], (typeof DEFAULT_TEST_USERS)[number]];
const PASSWORD = 'correct horse battery staple';

let cluster: TestCluster;
const clients: MtprotoClient[] = [];

beforeAll(async () => {
  const rsaKey = serverKey();
  cluster = await startTestCluster({
    dcIds: [1, 2, 3, 4],
    rsaKeys: { 1: rsaKey, 2: rsaKey, 3: rsaKey, 4: rsaKey },
    transports: ['tcp'],
    users: [
      { ...alice, homeDc: 4, password: PASSWORD },
      { ...bob, homeDc: 1 },
    ],
    floodLimits: { 'help.getNearestDc': { max: 2, perSeconds: 30 } },
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await cluster.close();
});

async function connect(dcId: number): Promise<MtprotoClient> {
  const server = cluster.dc(dcId);
  const client = new MtprotoClient({
    transport: { kind: 'tcp', host: server.host, port: server.tcpPort! },
    framing: 'intermediate',
    dcId,
    apiId: 1,
    publicKeys: cluster.publicKeys,
    pingIntervalMs: 0,
  });
  clients.push(client);
  await client.connect();
  return client;
}

const rpcErrorOf = async (promise: Promise<unknown>): Promise<RpcError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RpcError)) throw new Error(`expected an RpcError, got ${String(error)}`);
  return error;
};

const sendCode = (phone: string) =>
  new Api.auth.sendCode({ phoneNumber: phone, apiId: 1, apiHash: 'test', settings: new Api.CodeSettings({}) });
const signIn = (phone: string) => new Api.auth.signIn({ phoneNumber: phone, phoneCodeHash: 'mtwire-test', phoneCode: TEST_PHONE_CODE });

async function proveWith(client: MtprotoClient, password: string) {
  const info = await client.invoke(new Api.account.getPassword());
  const algo = info.currentAlgo;
  if (algo?._ !== 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow') throw new Error('no SRP algo');
  const proof = srpProve(algo, info.srpB!, new TextEncoder().encode(password), nodeCrypto);
  return new Api.auth.checkPassword({ password: new Api.InputCheckPasswordSRP({ srpId: info.srpId!, A: proof.A, M1: proof.M1 }) });
}

describe('a test cluster', () => {
  it("lists every data center's port in help.getConfig, on every DC", async () => {
    const config = await (await connect(3)).invoke(new Api.help.getConfig());
    expect(config.thisDc).toBe(3);
    const listed = config.dcOptions.map((o) => [o.id, o.port]);
    expect(listed).toEqual([1, 2, 3, 4].map((id) => [id, cluster.dc(id).tcpPort]));
    expect(new Set(listed.map(([, port]) => port)).size).toBe(4);
  });

  it('sends a user homed elsewhere to their DC: PHONE_MIGRATE_X, USER_MIGRATE_X', async () => {
    const dc2 = await connect(2);
    const phone = await rpcErrorOf(dc2.invoke(sendCode(alice.phone)));
    expect([phone.errorCode, phone.errorMessage, phone.migrateTo]).toEqual([303, 'PHONE_MIGRATE_4', 4]);
    expect((await rpcErrorOf(dc2.invoke(signIn(alice.phone)))).errorMessage).toBe('PHONE_MIGRATE_4');
    const bot = await rpcErrorOf(
      dc2.invoke(new Api.auth.importBotAuthorization({ flags: 0, apiId: 1, apiHash: 'x', botAuthToken: `${bob.id}:t` })),
    );
    expect(bot.errorMessage).toBe('USER_MIGRATE_1');
  });

  it('asks for the cloud password after the code; a wrong one is PASSWORD_HASH_INVALID, the right one signs in', async () => {
    const dc4 = await connect(4);
    await dc4.invoke(sendCode(alice.phone));
    expect((await rpcErrorOf(dc4.invoke(signIn(alice.phone)))).errorMessage).toBe('SESSION_PASSWORD_NEEDED');
    expect((await rpcErrorOf(dc4.invoke(new Api.users.getUsers({ id: [new Api.InputUserSelf()] })))).errorMessage).toBe(
      'AUTH_KEY_UNREGISTERED',
    );
    expect((await rpcErrorOf(dc4.invoke(await proveWith(dc4, PASSWORD + '!')))).errorMessage).toBe('PASSWORD_HASH_INVALID');
    const right = await proveWith(dc4, PASSWORD);
    const auth = await dc4.invoke(right);
    expect(auth._ === 'auth.authorization' && auth.user.id).toBe(alice.id);
    // A challenge answers once.
    expect((await rpcErrorOf(dc4.invoke(right))).errorMessage).toBe('PASSWORD_HASH_INVALID');

    // export to DC 2, import there once; DC 3 does not take DC 2's authorization.
    const exported = await dc4.invoke(new Api.auth.exportAuthorization({ dcId: 2 }));
    const [dc2, dc3] = [await connect(2), await connect(3)];
    const importIt = () => new Api.auth.importAuthorization({ id: exported.id, bytes: exported.bytes });
    expect((await rpcErrorOf(dc3.invoke(importIt()))).errorMessage).toBe('AUTH_BYTES_INVALID');
    const imported = await dc2.invoke(importIt());
    expect(imported._ === 'auth.authorization' && imported.user.id).toBe(alice.id);
    expect((await rpcErrorOf(dc2.invoke(importIt()))).errorMessage).toBe('AUTH_BYTES_INVALID');
    const [me] = await dc2.invoke(new Api.users.getUsers({ id: [new Api.InputUserSelf()] }));
    expect(me?._ === 'user' && me.self).toBe(true);

    // A file on DC 3: FILE_MIGRATE_3 from DC 2, the bytes from DC 3 once authorized there.
    const location = cluster.addFile(3, new Uint8Array([1, 2, 3, 4, 5]));
    const getFile = new Api.upload.getFile({ location, offset: 1n, limit: 3 });
    expect((await rpcErrorOf(dc2.invoke(getFile))).errorMessage).toBe('FILE_MIGRATE_3');
    const toDc3 = await dc4.invoke(new Api.auth.exportAuthorization({ dcId: 3 }));
    await dc3.invoke(new Api.auth.importAuthorization({ id: toDc3.id, bytes: toDc3.bytes }));
    const file = await dc3.invoke(getFile);
    expect(file._ === 'upload.file' && [...file.bytes]).toEqual([2, 3, 4]);
  });

  it('answers FLOOD_WAIT_X past the configured rate, per auth key', async () => {
    const client = await connect(1);
    await client.invoke(new Api.help.getNearestDc());
    await client.invoke(new Api.help.getNearestDc());
    const flood = await rpcErrorOf(client.invoke(new Api.help.getNearestDc()));
    expect(flood.errorCode).toBe(420);
    expect(flood.waitSeconds).toBeGreaterThanOrEqual(29);
    expect(flood.waitSeconds).toBeLessThanOrEqual(30);
    await (await connect(1)).invoke(new Api.help.getNearestDc());
  });
});
