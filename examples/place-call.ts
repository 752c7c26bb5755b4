/**
 * The seed's call on the test server: Alice calls Bob (phone.requestCall), Bob accepts, Alice confirms;
 * both derive the same key and show the same four emoji.
 * Run: npm run examples -- place-call
 */
import { Api, MtprotoClient } from 'mtwire';
import { answerNextCall, placeCall } from 'mtwire/calls';
import { nodeCrypto } from 'mtwire/crypto';
import { startTestServer, type TestServer } from 'mtwire/server';

async function signedIn(server: TestServer, userId: bigint): Promise<MtprotoClient> {
  const client = new MtprotoClient({
    transport: { kind: 'websocket', url: server.wsUrl! },
    framing: 'padded',
    obfuscated: true,
    dcId: server.dcId,
    apiId: 1,
    publicKeys: [server.publicKey],
    pingIntervalMs: 0,
  });
  await client.connect();
  await client.invoke(new Api.auth.importBotAuthorization({ flags: 0, apiId: 1, apiHash: 'x', botAuthToken: `${userId}:x` }));
  return client;
}

const server = await startTestServer({ transports: ['websocket'] });
const [alice, bob] = await Promise.all([signedIn(server, 1000001n), signedIn(server, 1000002n)]);
try {
  const bobUser = server.users.get(1000002n)!;
  const [caller, callee] = await Promise.all([
    placeCall(alice, new Api.InputUser({ userId: bobUser.id, accessHash: bobUser.accessHash }), { crypto: nodeCrypto, video: true }),
    answerNextCall(bob, { crypto: nodeCrypto }),
  ]);
  for (const [who, { callKey }] of [
    ['alice', caller],
    ['bob', callee],
  ] as const) {
    console.log(`${who.padEnd(5)} key fingerprint ${BigInt.asUintN(64, callKey.fingerprint).toString(16)}  ${callKey.emojis.join(' ')}`);
  }
  if (caller.callKey.emojis.join('') !== callee.callKey.emojis.join('')) throw new Error('the two sides derived different keys');
  console.log('both sides agree');
} finally {
  await Promise.all([alice.close(), bob.close()]);
  await server.close();
}
