import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcError } from '../../src/client/errors.js';
import { createBoundTempKey, createPermanentKey, type KeyOptions } from '../../src/client/temp-key.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import type { TestServer } from '../../src/server/index.js';
import { testServer } from './helpers.js';

let server: TestServer;
let options: KeyOptions;

beforeAll(async () => {
  server = await testServer({ transports: ['tcp'] });
  options = {
    transport: { kind: 'tcp', host: server.host, port: server.tcpPort! },
    dcId: server.dcId,
    crypto: nodeCrypto,
    publicKeys: [server.publicKey],
    now: Date.now,
  };
});
afterAll(() => server.close());

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('temporary keys from the client side', () => {
  it('makes a permanent key, then a temporary one the server shows bound to it', async () => {
    const permanent = await createPermanentKey(options);
    const temp = await createBoundTempKey({ ...options, expiresIn: 600, permanent });
    expect(temp.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(590);
    const keys = server.authKeys();
    expect(keys.find((k) => k.authKeyId === hex(temp.authKeyId))).toMatchObject({ temporary: true, boundTo: hex(permanent.authKeyId) });
    expect(keys.find((k) => k.authKeyId === hex(permanent.authKeyId))).toMatchObject({ temporary: false, boundTo: undefined });
  });

  it("a permanent key the server does not know is refused: the bind's RpcError reaches the caller", async () => {
    const unknown = { authKey: nodeCrypto.randomBytes(256), authKeyId: nodeCrypto.randomBytes(8) };
    const error = await createBoundTempKey({ ...options, expiresIn: 600, permanent: unknown }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).errorMessage).toBe('ENCRYPTED_MESSAGE_INVALID');
  });
});
