import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../src/api/index.js';
import {
  FloodWaitError,
  MemorySessionStorage,
  MultiDcClient,
  RpcError,
  signInWithPassword,
  withFloodWait,
  type MultiDcClientOptions,
} from '../../src/client/index.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { DEFAULT_TEST_USERS, startTestCluster, TEST_PHONE_CODE, type TestCluster } from '../../src/server/index.js';
import { serverKey } from './helpers.js';

const [alice, bob] = DEFAULT_TEST_USERS as [(typeof DEFAULT_TEST_USERS)[number], (typeof DEFAULT_TEST_USERS)[number]];
const PASSWORD = 'hunter2';

describe('withFloodWait', () => {
  const flood = (seconds: number) => new RpcError(420, `FLOOD_WAIT_${seconds}`, 'm');

  it('sleeps through a short wait and retries; passes other errors unchanged', async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await withFloodWait(
      async () => {
        if (++calls < 3) throw flood(calls * 2);
        return 'done';
      },
      'm',
      { maxSleepSeconds: 5, sleep: async (ms) => void slept.push(ms) },
    );
    expect([result, slept]).toEqual(['done', [2000, 4000]]);
    const other = new RpcError(400, 'PEER_ID_INVALID', 'm');
    await expect(withFloodWait(() => Promise.reject(other), 'm')).rejects.toBe(other);
  });

  it('a wait above the threshold, or one retry too many, is a FloodWaitError at once', async () => {
    const slept: number[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    const long = await withFloodWait(() => Promise.reject(flood(60)), 'messages.sendMessage', { maxSleepSeconds: 10, sleep }).catch(
      (e) => e,
    );
    expect(long).toBeInstanceOf(FloodWaitError);
    expect([long.seconds, long.method, long.code, slept]).toEqual([60, 'messages.sendMessage', 'FLOOD_WAIT', []]);
    const repeated = await withFloodWait(() => Promise.reject(flood(1)), 'm', { maxRetries: 2, sleep }).catch((e) => e);
    expect(repeated).toBeInstanceOf(FloodWaitError);
    expect(slept).toEqual([1000, 1000]);
  });
});

describe('MultiDcClient on a test cluster', () => {
  let cluster: TestCluster;
  const clients: MultiDcClient[] = [];

  beforeAll(async () => {
    const rsaKey = serverKey();
    cluster = await startTestCluster({
      dcIds: [1, 2, 4],
      rsaKeys: { 1: rsaKey, 2: rsaKey, 4: rsaKey },
      transports: ['tcp'],
      users: [
        { ...alice, homeDc: 4, password: PASSWORD },
        { ...bob, homeDc: 1 },
      ],
      floodLimits: { 'help.getNearestDc': { max: 1, perSeconds: 1 }, 'help.getSupport': { max: 1, perSeconds: 3600 } },
    });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await cluster.close();
  });

  /** Knows only DC 2's address, as a fresh Telegram client does; the rest comes from help.getConfig. */
  function client(extra: Partial<MultiDcClientOptions> = {}): MultiDcClient {
    const dc2 = cluster.dc(2);
    const c = new MultiDcClient({
      dcId: 2,
      addresses: { 2: { kind: 'tcp', host: dc2.host, port: dc2.tcpPort! } },
      apiId: 1,
      publicKeys: cluster.publicKeys,
      pingIntervalMs: 0,
      ...extra,
    });
    clients.push(c);
    return c;
  }

  it('follows PHONE_MIGRATE home, signs in through the password, fetches a file via FILE_MIGRATE, and restores from storage', async () => {
    const storage = new MemorySessionStorage();
    const mtw = client({ storage });
    await mtw.connect();
    const sent = await mtw.invoke(
      new Api.auth.sendCode({ phoneNumber: alice.phone, apiId: 1, apiHash: 'x', settings: new Api.CodeSettings({}) }),
    );
    expect(mtw.homeDc).toBe(4);
    const signIn = new Api.auth.signIn({
      phoneNumber: alice.phone,
      phoneCodeHash: (sent as Api.auth.SentCode).phoneCodeHash,
      phoneCode: TEST_PHONE_CODE,
    });
    expect(await mtw.invoke(signIn).catch((e: RpcError) => e.errorMessage)).toBe('SESSION_PASSWORD_NEEDED');
    expect(await signInWithPassword(mtw, 'wrong', nodeCrypto).catch((e: RpcError) => e.errorMessage)).toBe('PASSWORD_HASH_INVALID');
    const auth = await signInWithPassword(mtw, PASSWORD, nodeCrypto);
    expect(auth._ === 'auth.authorization' && auth.user.id).toBe(alice.id);
    expect(mtw.userId).toBe(alice.id);

    const location = cluster.addFile(1, new Uint8Array([9, 8, 7]));
    const file = await mtw.invoke(new Api.upload.getFile({ location, offset: 0n, limit: 1024 }));
    expect(file._ === 'upload.file' && [...file.bytes]).toEqual([9, 8, 7]);
    expect(mtw.homeDc).toBe(4);

    const saved = await storage.load();
    expect(saved?.homeDc).toBe(4);
    expect(saved?.userId).toBe(alice.id);
    expect(saved?.dcs.map((d) => d.dcId).sort()).toEqual([1, 2, 4]);

    // A second process: the stored session, no sign-in, no new handshake on DC 4.
    const keysOn4 = cluster.dc(4).authKeys().length;
    const again = client({ storage });
    await again.connect();
    const [me] = await again.invoke(new Api.users.getUsers({ id: [new Api.InputUserSelf()] }));
    expect(me?._ === 'user' && me.id).toBe(alice.id);
    expect(cluster.dc(4).authKeys().length).toBe(keysOn4);
  });

  it('sleeps through a short FLOOD_WAIT and throws FloodWaitError for a long one', async () => {
    const mtw = client({ floodWait: { maxSleepSeconds: 5 } });
    await mtw.connect();
    await mtw.invoke(new Api.help.getNearestDc());
    const started = Date.now();
    await mtw.invoke(new Api.help.getNearestDc());
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await mtw.invoke(new Api.help.getSupport()).catch(() => undefined);
    const error = await mtw.invoke(new Api.help.getSupport()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FloodWaitError);
    expect((error as FloodWaitError).seconds).toBeGreaterThan(3500);
  });
});
