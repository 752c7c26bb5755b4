/**
 * `npm run demo:multidc`: signing in as a real client would on Telegram, on a five-DC test cluster in
 * this process. Alice lives on DC 4 and has a cloud password; Bob lives on DC 1. Both clients start on
 * DC 2 knowing only its address: auth.sendCode answers PHONE_MIGRATE_X, the client moves home (finding
 * the address in help.getConfig), auth.signIn asks Alice for her password (SESSION_PASSWORD_NEEDED), the
 * SRP proof signs her in. Traffic runs on temporary keys bound to each DC's permanent key (PFS, the
 * client's default). Then Alice calls Bob across data centers and both print the call's emoji; the demo
 * exits 1 unless they match.
 */
import { answerNextCall, placeCall, type CallResult } from '../calls/call-flow.js';
import { MultiDcClient, RpcError, signInWithPassword } from '../client/index.js';
import { nodeCrypto } from '../crypto/node.js';
import { DEFAULT_TEST_USERS, startTestCluster, TEST_PHONE_CODE, type TestCluster } from '../server/index.js';
import { Api } from '../api/index.js';

const ALICE_PASSWORD = 'correct horse battery staple';
const [aliceAccount, bobAccount] = DEFAULT_TEST_USERS as [(typeof DEFAULT_TEST_USERS)[number], (typeof DEFAULT_TEST_USERS)[number]];

const started = Date.now();
function say(who: string, text: string): void {
  console.log(`${String(Date.now() - started).padStart(5)} ms  ${who.padEnd(7)} ${text}`);
}

/** The phone sign-in every Telegram client runs, migrations and the password included. */
async function signIn(cluster: TestCluster, name: string, phone: string, password?: string): Promise<MultiDcClient> {
  const dc2 = cluster.dc(2);
  const client = new MultiDcClient({
    dcId: 2,
    addresses: { 2: { kind: 'tcp', host: dc2.host, port: dc2.tcpPort! } },
    apiId: 1,
    publicKeys: cluster.publicKeys,
    pingIntervalMs: 0,
  });
  await client.connect();
  say(name, `connected to DC ${client.homeDc}`);
  const sent = await client.invoke(
    new Api.auth.sendCode({ phoneNumber: phone, apiId: 1, apiHash: 'mtwire-demo', settings: new Api.CodeSettings({}) }),
  );
  if (sent._ !== 'auth.sentCode') throw new Error(`auth.sendCode answered ${sent._}`);
  say(name, `auth.sendCode: the account lives on DC ${client.homeDc} (PHONE_MIGRATE followed)`);
  try {
    await client.invoke(new Api.auth.signIn({ phoneNumber: phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: TEST_PHONE_CODE }));
  } catch (error) {
    if (!(error instanceof RpcError && error.errorMessage === 'SESSION_PASSWORD_NEEDED' && password)) throw error;
    say(name, 'auth.signIn: SESSION_PASSWORD_NEEDED; proving the cloud password (SRP-2048)');
    await signInWithPassword(client, password, nodeCrypto);
  }
  say(name, `signed in as user ${client.userId} on DC ${client.homeDc}`);
  return client;
}

async function main(): Promise<number> {
  const users = [
    { ...aliceAccount, homeDc: 4, password: ALICE_PASSWORD },
    { ...bobAccount, homeDc: 1 },
  ];
  say('cluster', 'starting DCs 1-5, each with its own RSA key and port');
  const cluster = await startTestCluster({ transports: ['tcp'], users });
  for (const [id, dc] of cluster.dcs) say('cluster', `DC ${id} on ${dc.host}:${dc.tcpPort}`);
  const clients: MultiDcClient[] = [];
  try {
    const alice = await signIn(cluster, 'alice', aliceAccount.phone, ALICE_PASSWORD);
    clients.push(alice);
    const bob = await signIn(cluster, 'bob', bobAccount.phone);
    clients.push(bob);
    const flow = { crypto: nodeCrypto, timeoutMs: 20_000 };
    const [caller, callee]: CallResult[] = await Promise.all([
      placeCall(alice, new Api.InputUser({ userId: bobAccount.id, accessHash: bobAccount.accessHash }), {
        ...flow,
        onStep: (s) => say('alice', s),
      }),
      answerNextCall(bob, { ...flow, onStep: (s) => say('bob', s) }),
    ]);
    for (const [who, r] of [
      ['alice', caller],
      ['bob', callee],
    ] as const) {
      say(who, `emoji ${r.callKey.emojis.join(' ')}`);
    }
    const same = caller.callKey.emojis.join('') === callee.callKey.emojis.join('');
    say('demo', same ? 'both sides print the same emoji: one key across DC 4 and DC 1' : 'MISMATCH: the two sides derived different keys');
    return same ? 0 : 1;
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await cluster.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`demo failed: ${error.message}`);
    process.exitCode = 1;
  },
);
