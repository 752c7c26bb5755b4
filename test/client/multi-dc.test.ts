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

    // Traffic ran on temporary keys bound to DC 4's permanent key, the one the session stored.
    const dc4Keys = cluster.dc(4).authKeys();
    const permanent = dc4Keys.filter((k) => !k.temporary);
    expect(permanent.map((k) => k.userId)).toEqual([alice.id]);
    expect(dc4Keys.filter((k) => k.temporary).every((k) => k.boundTo === permanent[0]!.authKeyId)).toBe(true);
    const stored = saved!.dcs.find((d) => d.dcId === 4)!;
    expect(Buffer.from(nodeCrypto.sha1(stored.authKey).subarray(12, 20)).toString('hex')).toBe(permanent[0]!.authKeyId);

    // A second process: the stored session, no sign-in, no new permanent key on DC 4.
    const again = client({ storage });
    await again.connect();
    const [me] = await again.invoke(new Api.users.getUsers({ id: [new Api.InputUserSelf()] }));
    expect(me?._ === 'user' && me.id).toBe(alice.id);
    expect(
      cluster
        .dc(4)
        .authKeys()
        .filter((k) => !k.temporary).length,
    ).toBe(1);
  });

  it('renews the temporary key before it expires, bound to the same permanent key, and keeps working', async () => {
    const mtw = client({ tempKeys: { expiresIn: 2 } });
    await mtw.connect();
    const bot = new Api.auth.importBotAuthorization({ flags: 0, apiId: 1, apiHash: 'x', botAuthToken: `${bob.id}:t` });
    await mtw.invoke(bot);
    expect(mtw.homeDc).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // renewal at 1.6 s, the first key dead at 2 s
    const [me] = await mtw.invoke(new Api.users.getUsers({ id: [new Api.InputUserSelf()] }));
    expect(me?._ === 'user' && me.id).toBe(bob.id);
    const keys = cluster.dc(1).authKeys();
    const permanent = keys.filter((k) => !k.temporary && k.userId === bob.id);
    expect(permanent).toHaveLength(1);
    const temps = keys.filter((k) => k.boundTo === permanent[0]!.authKeyId);
    expect(temps.length).toBeGreaterThanOrEqual(2);
  });

  it('tempKeys: false runs on the permanent key alone', async () => {
    const count = (temporary: boolean) =>
      cluster
        .dc(2)
        .authKeys()
        .filter((k) => k.temporary === temporary).length;
    const [temporaryBefore, permanentBefore] = [count(true), count(false)];
    const mtw = client({ tempKeys: false });
    await mtw.connect();
    await mtw.invoke(new Api.help.getConfig());
    expect([count(true), count(false)]).toEqual([temporaryBefore, permanentBefore + 1]);
    expect(mtw.exportSession()?.dcs[0]?.authKey).toHaveLength(256);
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
