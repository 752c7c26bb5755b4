import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authKeyIdFor } from '../../src/crypto/handshake-kdf.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import type { TestServer } from '../../src/server/index.js';
import { clientFor, testServer, type Route } from './helpers.js';

/**
 * 512 KiB parts each way through MtprotoClient and the test server over TCP: the decoded `bytes` must be
 * views of the very frame the codec cut from the socket's bytes, decrypted in place. Such a frame starts
 * with the session's auth_key_id; a decrypted copy (or a copy of the field) would not, nor would it sit
 * in a buffer of the frame's size.
 */
const PART = 512 * 1024;
const download = new Uint8Array(randomBytes(PART));
const upload = new Uint8Array(randomBytes(PART));
/** auth_key_id, msg_key, the plaintext header, rpc_result's header, padding: what a frame adds to one part. */
const FRAME_OVERHEAD = 24 + 32 + 12 + 1024 + 64;

const routes: Route[] = [
  { transport: 'tcp', framing: 'intermediate', obfuscated: false },
  { transport: 'tcp', framing: 'abridged', obfuscated: true },
  { transport: 'tcp', framing: 'padded', obfuscated: false },
  { transport: 'tcp', framing: 'full', obfuscated: false },
];

/**
 * Where in its buffer a view's frame starts (the auth_key_id's offset; -1 if not in the first 16 bytes),
 * and how much larger than the view that buffer is.
 */
function bufferOf(view: Uint8Array, authKeyId: Uint8Array): { frameAt: number; extra: number } {
  return { frameAt: Buffer.from(view.buffer, 0, 16).indexOf(authKeyId), extra: view.buffer.byteLength - view.length };
}

describe('large payloads reach TL decoding as views of the received frame', () => {
  let server: TestServer;
  const received: Uint8Array[] = [];
  beforeAll(async () => {
    server = await testServer({ transports: ['tcp'] });
    server.registerHandler('upload.saveFilePart', (query) => (received.push(query.bytes), true));
    server.registerHandler('upload.getFile', () => ({ _: 'upload.file', type: { _: 'storage.filePartial' }, mtime: 0, bytes: download }));
  });
  afterAll(() => server.close());

  it.each(routes.map((route) => [`${route.framing}${route.obfuscated ? ' obfuscated' : ''}`, route] as const))('%s', async (_, route) => {
    const client = clientFor(server, route);
    await client.connect();
    const location = { _: 'inputDocumentFileLocation', id: 1n, accessHash: 1n, fileReference: new Uint8Array(0), thumbSize: '' } as const;
    const file = await client.invoke({ _: 'upload.getFile', location, offset: 0n, limit: PART });
    received.length = 0;
    await expect(client.invoke({ _: 'upload.saveFilePart', fileId: 1n, filePart: 0, bytes: upload })).resolves.toBe(true);
    const authKeyId = authKeyIdFor(Buffer.from(client.exportSession()!.authKey, 'hex'), nodeCrypto);
    await client.close();

    if (file._ !== 'upload.file') throw new Error(`expected upload.file, got ${file._}`);
    expect(Buffer.compare(file.bytes, download)).toBe(0);
    // The full transport's packet is cut from the stream whole: its length and seq come first.
    const frameAt = route.framing === 'full' ? 8 : 0;
    const down = bufferOf(file.bytes, authKeyId);
    expect(down.frameAt).toBe(frameAt);
    expect(down.extra).toBeLessThan(FRAME_OVERHEAD);

    expect(received).toHaveLength(1);
    expect(Buffer.compare(received[0]!, upload)).toBe(0);
    const up = bufferOf(received[0]!, authKeyId);
    expect(up.frameAt).toBe(frameAt);
    expect(up.extra).toBeLessThan(FRAME_OVERHEAD + 128); // the first request also carries initConnection
  });
});
