import { MtprotoClient, type ClientOptions } from '../../src/client/index.js';
import { generateRsaKeyPair } from '../../src/crypto/rsa-keygen.js';
import { startTestServer, TEST_PHONE_CODE, type TestServer, type TestServerOptions } from '../../src/server/index.js';
import { Api } from '../../src/api/index.js';

/** One RSA key for every test server of a file: generating one costs about a second. */
let sharedKey: ReturnType<typeof generateRsaKeyPair> | undefined;
export function serverKey() {
  return (sharedKey ??= generateRsaKeyPair(2048));
}

export function testServer(options: TestServerOptions = {}): Promise<TestServer> {
  // A client test file makes a handshake per route and per case from 127.0.0.1, more than the default burst
  // of 20; the rate limit itself is tested in test/server.
  return startTestServer({ rsaKey: serverKey(), ...options, limits: { handshakeBurst: 1000, ...options.limits } });
}

export type Route =
  | { transport: 'tcp'; framing: 'abridged' | 'intermediate' | 'padded' | 'full'; obfuscated: boolean }
  | { transport: 'websocket'; framing: 'abridged' | 'intermediate' | 'padded'; obfuscated: boolean };

export function clientFor(server: TestServer, route: Route, extra: Partial<ClientOptions> = {}): MtprotoClient {
  return new MtprotoClient({
    transport:
      route.transport === 'tcp'
        ? { kind: 'tcp', host: server.host, port: server.tcpPort! }
        : { kind: 'websocket', url: server.wsUrl!, obfuscated: route.obfuscated },
    framing: route.framing,
    obfuscated: route.obfuscated,
    dcId: server.dcId,
    apiId: 1,
    publicKeys: [server.publicKey],
    pingIntervalMs: 0,
    reconnectDelayMs: { initial: 20, max: 200 },
    ...extra,
  });
}

export async function signIn(client: MtprotoClient, phone: string): Promise<Api.User> {
  const sent = await client.invoke(
    new Api.auth.sendCode({ phoneNumber: phone, apiId: 1, apiHash: 'test', settings: new Api.CodeSettings({}) }),
  );
  if (sent._ !== 'auth.sentCode') throw new Error(sent._);
  const auth = await client.invoke(
    new Api.auth.signIn({ phoneNumber: phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: TEST_PHONE_CODE }),
  );
  if (auth._ !== 'auth.authorization') throw new Error(auth._);
  return auth.user as Api.User;
}
