/** The client writes requests with the method writers only: anything else is refused with a typed error, and the client goes on. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MtprotoClient } from '../../src/client/index.js';
import type { TestServer } from '../../src/server/index.js';
import { Api, TlEncodeError, type TlObject } from '../../src/api/index.js';
import { clientFor, testServer } from './helpers.js';

let server: TestServer;
let client: MtprotoClient;
beforeAll(async () => {
  server = await testServer({ transports: ['tcp'] });
  client = clientFor(server, { transport: 'tcp', framing: 'intermediate', obfuscated: false });
  await client.connect();
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const refusal = async (request: TlObject): Promise<unknown> =>
  client.invoke(request).then(
    () => 'sent',
    (error: unknown) => error,
  );

describe('invoke takes methods only', () => {
  test('a constructor, first on the connection (inside initConnection) or later, is a TlEncodeError naming what was expected', async () => {
    const first = await refusal(new Api.InputUser({ userId: 1, accessHash: 2 }));
    expect(first).toBeInstanceOf(TlEncodeError);
    expect(first).toMatchObject({ expected: 'a method of the schema', message: expect.stringContaining('got object inputUser') });
    const config = await client.invoke(new Api.help.getConfig());
    expect(config.thisDc).toBe(server.dcId);
    const later = await refusal(new Api.Config(config));
    expect(later).toBeInstanceOf(TlEncodeError);
    expect(later).toMatchObject({ expected: 'a method of the schema', message: expect.stringContaining('got object config') });
  });

  test('an object of no entry of the schema is refused the same way, and the client still answers', async () => {
    for (const bad of [{ _: 'nope' }, { _: 'toString' }, null]) {
      expect(await refusal(bad as TlObject)).toMatchObject({ name: 'TlEncodeError', expected: 'a method of the schema' });
    }
    expect((await client.invoke(new Api.help.getNearestDc()))._).toBe('nearestDc');
  });
});
