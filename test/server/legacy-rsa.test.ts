/**
 * The legacy RSA scheme (no RSA_PAD) over a real socket: a downgrade path, so the test server refuses it
 * unless `legacyRsa` turns it on for old clients.
 */
import { afterEach, expect, test } from 'vitest';
import { Api, readObject, TlReader } from '../../src/api/index.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { rsaPadDecrypt } from '../../src/crypto/rsa.js';
import { AuthKeyExchange } from '../../src/mtproto/auth-key-client.js';
import { decodePlainMessage, encodePlainMessage } from '../../src/mtproto/plain-message.js';
import type { TestServer } from '../../src/server/index.js';
import { createClientCodec, type TransportEvent } from '../../src/transport/index.js';
import { serverKey, testServer } from '../client/helpers.js';
import { legacyRsaEncrypt } from '../mtproto/helpers.js';
import { openSocket } from './raw-socket.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A handshake whose req_DH_params carries p_q_inner_data in the legacy scheme; what the server answers to it. */
async function legacyReqDhParams(target: TestServer): Promise<'answered' | 'closed' | number> {
  const raw = await openSocket(target);
  const codec = createClientCodec({ framing: 'intermediate', crypto: nodeCrypto });
  const events: TransportEvent[] = [];
  let wake: (() => void) | undefined;
  raw.socket.on('data', (chunk) => {
    events.push(...codec.decode(new Uint8Array(chunk)));
    wake?.();
  });
  const next = async (): Promise<TransportEvent | undefined> => {
    while (events.length === 0 && !raw.isClosed()) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50); // the close may come without data
      });
    }
    return events.shift();
  };
  try {
    const exchange = new AuthKeyExchange({ crypto: nodeCrypto, publicKeys: [target.publicKey], dcId: target.dcId });
    raw.socket.write(codec.start());
    raw.socket.write(codec.encode(exchange.start()));
    const resPq = await next();
    if (resPq?.kind !== 'frame') throw new Error('no resPQ');
    const step = exchange.receive(resPq.payload);
    if (!('send' in step)) throw new Error('the client refused resPQ');
    const { msgId, body } = decodePlainMessage(step.send);
    const req = Api.reqDHParams.decode(body);
    const padded = rsaPadDecrypt(req.encryptedData, serverKey().privateKey, nodeCrypto);
    const r = new TlReader(padded);
    readObject(r);
    const encryptedData = legacyRsaEncrypt(padded.subarray(0, r.pos), target.publicKey, nodeCrypto);
    raw.socket.write(codec.encode(encodePlainMessage(msgId, Api.reqDHParams.encode({ ...req, encryptedData }))));
    const answer = await next();
    if (answer === undefined) return 'closed';
    return answer.kind === 'error' ? answer.code : 'answered';
  } finally {
    raw.socket.destroy();
  }
}

test('legacy RSA is refused with -404 by default', async () => {
  server = await testServer({ transports: ['tcp'] });
  expect(await legacyReqDhParams(server)).toBe(404);
});

test('legacy RSA is accepted with legacyRsa: true', async () => {
  server = await testServer({ transports: ['tcp'], legacyRsa: true });
  expect(await legacyReqDhParams(server)).toBe('answered');
});
