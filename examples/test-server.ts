/**
 * Start mtwire's MTProto test server on 127.0.0.1, connect a client (auth-key exchange, encrypted
 * session), sign in as a bot and call help.getConfig, wrapped as the first request of a connection is.
 * Run: npm run examples -- test-server
 */
import { Api, LAYER, MtprotoClient } from 'mtwire';
import { startTestServer } from 'mtwire/server';

const server = await startTestServer({ transports: ['tcp'] });
const client = new MtprotoClient({
  transport: { kind: 'tcp', host: server.host, port: server.tcpPort! },
  framing: 'intermediate',
  dcId: server.dcId,
  apiId: 1,
  publicKeys: [server.publicKey], // the test server's own RSA key
  pingIntervalMs: 0,
});
try {
  await client.connect();
  console.log(`connected to ${server.host}:${server.tcpPort}, auth key ${client.exportSession()!.authKey.slice(0, 16)}…`);
  // A bot token starts with the bot's user id: this one signs in as Alice (user 1000001).
  const auth = await client.invoke(new Api.auth.importBotAuthorization({ flags: 0, apiId: 1, apiHash: 'x', botAuthToken: '1000001:x' }));
  if (auth._ !== 'auth.authorization') throw new Error(`signed in as ${auth._}`);
  console.log(`signed in as user ${auth.user.id}`);
  // The wrapper is generic in its query: `config` is typed Api.TypeConfig.
  const config = await client.invoke(new Api.invokeWithLayer({ layer: LAYER ?? 228, query: new Api.help.getConfig() }));
  console.log(`help.getConfig: this DC ${config.thisDc}, ${config.dcOptions.length} DC options, test mode ${config.testMode}`);
} finally {
  await client.close();
  await server.close();
}
