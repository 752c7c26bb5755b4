/**
 * `npm run demo`: mtwire's whole stack on one machine, no network. Starts the in-process test server,
 * connects two clients (auth-key exchange, encrypted sessions), signs them in as Alice and Bob, and
 * runs a video call's end-to-end key exchange: Alice requests, Bob accepts, Alice confirms. Both
 * print the same key fingerprint and the same four emoji, or the demo exits 1.
 *
 *   npm run demo -- --transport ws --framing padded
 *   npm run demo -- --transport tcp --framing abridged --obfuscated
 */
import { parseArgs } from 'node:util';
import { answerNextCall, placeCall, type CallResult } from '../calls/call-flow.js';
import { MtprotoClient, type ClientOptions } from '../client/index.js';
import { nodeCrypto } from '../crypto/node.js';
import { startTestServer, TEST_PHONE_CODE, type TestServer } from '../server/index.js';
import { Api } from '../api/index.js';
import type { Framing } from '../transport/framing.js';

const FRAMINGS = ['abridged', 'intermediate', 'padded', 'full'] as const;

function options() {
  const { values } = parseArgs({
    options: {
      transport: { type: 'string', default: 'tcp' },
      framing: { type: 'string', default: 'intermediate' },
      obfuscated: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run demo -- [--transport tcp|ws] [--framing abridged|intermediate|padded|full] [--obfuscated]');
    process.exit(0);
  }
  const transport = values.transport === 'websocket' ? 'ws' : values.transport;
  if (transport !== 'tcp' && transport !== 'ws') throw new Error(`--transport must be tcp or ws, not ${values.transport}`);
  if (!FRAMINGS.includes(values.framing as Framing)) throw new Error(`--framing must be one of ${FRAMINGS.join(', ')}`);
  if (values.framing === 'full' && (transport === 'ws' || values.obfuscated))
    throw new Error('the full framing has no obfuscation (and WebSocket needs it)');
  return { transport, framing: values.framing as Framing, obfuscated: values.obfuscated || transport === 'ws' };
}

const started = Date.now();
function say(who: string, text: string): void {
  console.log(`${String(Date.now() - started).padStart(5)} ms  ${who.padEnd(6)} ${text}`);
}

async function signedInClient(server: TestServer, name: string, phone: string, o: ReturnType<typeof options>): Promise<MtprotoClient> {
  const clientOptions: ClientOptions = {
    transport: o.transport === 'ws' ? { kind: 'websocket', url: server.wsUrl! } : { kind: 'tcp', host: server.host, port: server.tcpPort! },
    framing: o.framing,
    obfuscated: o.obfuscated,
    dcId: server.dcId,
    apiId: 1,
    publicKeys: [server.publicKey],
    pingIntervalMs: 0,
  };
  const client = new MtprotoClient(clientOptions);
  client.onStateChange((state) => say(name, `connection: ${state}`));
  await client.connect();
  const session = client.exportSession()!;
  say(name, `auth key ${session.authKey.slice(0, 16)}… (256 bytes), server salt ${session.serverSalt}`);
  const sent = await client.invoke(
    new Api.auth.sendCode({ phoneNumber: phone, apiId: 1, apiHash: 'mtwire-demo', settings: new Api.CodeSettings({}) }),
  );
  if (sent._ !== 'auth.sentCode') throw new Error(`auth.sendCode answered ${sent._}`);
  const auth = await client.invoke(
    new Api.auth.signIn({ phoneNumber: phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: TEST_PHONE_CODE }),
  );
  if (auth._ !== 'auth.authorization') throw new Error(`auth.signIn answered ${auth._}`);
  say(name, `signed in as ${(auth.user as Api.User).firstName} (user ${auth.user.id})`);
  return client;
}

async function main(): Promise<number> {
  const o = options();
  say('demo', `transport ${o.transport}, framing ${o.framing}${o.obfuscated ? ', obfuscated' : ''}`);
  const server = await startTestServer({ transports: [o.transport === 'ws' ? 'websocket' : 'tcp'] });
  say('server', `listening on ${o.transport === 'ws' ? server.wsUrl : `${server.host}:${server.tcpPort}`}, DC ${server.dcId}`);
  const clients: MtprotoClient[] = [];
  try {
    const alice = await signedInClient(server, 'alice', '42000000001', o);
    clients.push(alice);
    const bob = await signedInClient(server, 'bob', '42000000002', o);
    clients.push(bob);
    const bobUser = server.users.get(1000002n)!;
    const flow = { crypto: nodeCrypto, timeoutMs: 20_000 };
    const [caller, callee]: CallResult[] = await Promise.all([
      placeCall(alice, new Api.InputUser({ userId: bobUser.id, accessHash: bobUser.accessHash }), {
        ...flow,
        video: true,
        onStep: (s) => say('alice', s),
      }),
      answerNextCall(bob, { ...flow, onStep: (s) => say('bob', s) }),
    ]);
    const same =
      caller.callKey.fingerprint === callee.callKey.fingerprint && caller.callKey.emojis.join('') === callee.callKey.emojis.join('');
    for (const [who, r] of [
      ['alice', caller],
      ['bob', callee],
    ] as const) {
      say(
        who,
        `key fingerprint ${BigInt.asUintN(64, r.callKey.fingerprint).toString(16).padStart(16, '0')}  emoji ${r.callKey.emojis.join(' ')}`,
      );
    }
    await alice.invoke(
      new Api.phone.discardCall({
        peer: new Api.InputPhoneCall({ id: caller.call.id, accessHash: caller.call.accessHash }),
        duration: 0,
        reason: new Api.PhoneCallDiscardReasonHangup(),
        connectionId: 0n,
      }),
    );
    say('alice', 'phone.discardCall (hangup)');
    say(
      'demo',
      same ? 'both sides agree: the call is end-to-end encrypted with the same key' : 'MISMATCH: the two sides derived different keys',
    );
    return same ? 0 : 1;
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`demo failed: ${error.message}`);
    process.exitCode = 1;
  },
);
