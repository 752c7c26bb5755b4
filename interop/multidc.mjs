// mtcute, unpatched, signing in on mtwire's multi-DC test cluster the way it signs in on Telegram: it starts
// on DC 2 knowing only that address, gets PHONE_MIGRATE_4 from auth.sendCode and moves (the address from
// help.getConfig), gets SESSION_PASSWORD_NEEDED from auth.signIn, and proves the cloud password with its own
// SRP code (computeSrpParams). A wrong password first must get PASSWORD_HASH_INVALID. Exits 1 on any failure.
import { addPublicKey, computeSrpParams } from '@mtcute/core/utils.js';
import { BaseTelegramClient, MemoryStorage, TcpTransport } from '@mtcute/node';
import { NodeCryptoProvider } from '@mtcute/node/utils.js';
import { DEFAULT_TEST_USERS, TEST_PHONE_CODE, startTestCluster } from '../dist/src/server/index.js';
import { rsaKeyForEveryClient } from './keys.mjs';

const [ALICE] = DEFAULT_TEST_USERS;
const PASSWORD = 'interop password';
const API = { apiId: 1, apiHash: 'interop' };

const started = performance.now();
const step = (name, detail) => console.log(`mtcute multi-DC | ${name}: ok ${(performance.now() - started).toFixed(0)} ms | ${detail}`);
const errorText = (error) => error?.text ?? error?.message ?? String(error);

async function expectRpcError(promise, expected, what) {
  const error = await promise.then(
    () => undefined,
    (e) => e,
  );
  if (!errorText(error).includes(expected)) throw new Error(`${what}: expected ${expected}, got ${error ? errorText(error) : 'a result'}`);
}

// mtcute retries a handshake it cannot finish for ever: a run that hangs fails instead.
const WATCHDOG_MS = 120_000;
const watchdog = setTimeout(() => {
  console.log(`mtcute multi-DC: FAILED: not done after ${WATCHDOG_MS / 1000} s`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

const dcIds = [1, 2, 3, 4, 5];
const cluster = await startTestCluster({
  dcIds,
  rsaKeys: Object.fromEntries(dcIds.map((dcId) => [dcId, rsaKeyForEveryClient()])),
  transports: ['tcp'],
  users: [{ ...ALICE, homeDc: 4, password: PASSWORD }],
});
let client;
try {
  const crypto = new NodeCryptoProvider();
  await crypto.initialize();
  for (const dc of cluster.dcs.values()) addPublicKey(crypto, dc.publicKeyPem);
  const dc2 = cluster.dc(2);
  const start = { id: 2, ipAddress: dc2.host, port: dc2.tcpPort };
  client = new BaseTelegramClient({
    ...API,
    crypto,
    storage: new MemoryStorage(),
    defaultDcs: { main: start, media: start },
    transport: new TcpTransport(),
    updates: false,
    logLevel: 1,
  });
  await client.connect();
  step('connect', 'DC 2');

  const sent = await client.call({ _: 'auth.sendCode', phoneNumber: ALICE.phone, ...API, settings: { _: 'codeSettings' } });
  // Only DC 4 answers Alice's sendCode (DC 2 says PHONE_MIGRATE_4): mtcute must have made a key there.
  if (cluster.dc(4).authKeys().length !== 1) throw new Error('mtcute has no auth key on DC 4');
  step('auth.sendCode', `answered ${sent._} on DC 4, after following PHONE_MIGRATE_4`);
  const signIn = { _: 'auth.signIn', phoneNumber: ALICE.phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: TEST_PHONE_CODE };
  await expectRpcError(client.call(signIn), 'SESSION_PASSWORD_NEEDED', 'auth.signIn');
  step('auth.signIn', 'SESSION_PASSWORD_NEEDED');

  const wrong = await computeSrpParams(crypto, await client.call({ _: 'account.getPassword' }), 'not the password');
  await expectRpcError(client.call({ _: 'auth.checkPassword', password: wrong }), 'PASSWORD_HASH_INVALID', 'wrong password');
  step('auth.checkPassword (wrong)', 'PASSWORD_HASH_INVALID');

  const right = await computeSrpParams(crypto, await client.call({ _: 'account.getPassword' }), PASSWORD);
  const auth = await client.call({ _: 'auth.checkPassword', password: right });
  if (BigInt(auth.user.id) !== ALICE.id) throw new Error(`signed in as ${auth.user.id}, not ${ALICE.id}`);
  const onDc4 = cluster
    .dc(4)
    .authKeys()
    .filter((k) => k.userId === ALICE.id).length;
  if (onDc4 !== 1) throw new Error(`DC 4 has ${onDc4} keys signed in as Alice, expected 1`);
  step('auth.checkPassword', `signed in as ${auth.user.firstName} (user ${auth.user.id}) with a key on DC 4`);

  const [me] = await client.call({ _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] });
  if (BigInt(me.id) !== ALICE.id) throw new Error(`users.getUsers: ${me.id}`);
  step('users.getUsers', 'self on the new home DC');
  console.log('mtcute multi-DC: every step passed');
} catch (error) {
  console.log(`mtcute multi-DC: FAILED: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await client?.destroy();
  await cluster.close();
}
