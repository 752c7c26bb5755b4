import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Compression } from '../../src/mtproto/compression.js';
import { nodeCompression } from '../../src/platform/compression.js';
import type { TestServer } from '../../src/server/index.js';
import { clientFor, testServer } from './helpers.js';

/** nodeCompression that records the size of every body it is asked to gzip. */
function recording(): Compression & { gzipped: number[] } {
  const gzipped: number[] = [];
  return { gzipped, gzip: (data) => (gzipped.push(data.length), nodeCompression.gzip(data)), gunzip: nodeCompression.gunzip };
}

const route = { transport: 'tcp', framing: 'intermediate', obfuscated: false } as const;
/** 4 KiB that deflates well, and 4 KiB of random bytes (what a photo's part looks like). */
const text = new TextEncoder().encode('part of a long text message, '.repeat(150)).subarray(0, 4096);
const media = crypto.getRandomValues(new Uint8Array(4096));

describe('gzipAbove on MtprotoClient and the test server', () => {
  let server: TestServer;
  let serverGzip: ReturnType<typeof recording>;
  beforeAll(async () => {
    serverGzip = recording();
    server = await testServer({ transports: ['tcp'], compression: serverGzip, gzipAbove: 8192 });
    server.registerHandler('upload.saveFilePart', (query) => query.bytes.length === 4096);
    server.registerHandler('upload.getFile', () => ({ _: 'upload.file', type: { _: 'storage.filePartial' }, mtime: 0, bytes: text }));
  });
  afterAll(() => server.close());

  it('packs a compressible request over the default 1024 bytes, never a random one, nothing with gzipAbove 8192', async () => {
    for (const [gzipAbove, expected] of [
      [undefined, [text.length]],
      [8192, []],
    ] as const) {
      const compression = recording();
      const client = clientFor(server, route, { compression, gzipAbove });
      await client.connect();
      const save = (bytes: Uint8Array) => client.invoke({ _: 'upload.saveFilePart', fileId: 1n, filePart: 0, bytes });
      await expect(save(media)).resolves.toBe(true);
      await expect(save(text)).resolves.toBe(true);
      await client.close();
      // gzip sees the serialized call: constructor id, file_id, file_part and a 4-byte length before the
      // 4096 bytes (the first call, which carries invokeWithLayer(initConnection), is the random one).
      expect(compression.gzipped.map((n) => n - 20)).toEqual(expected);
    }
  });

  it("keeps the server's answers under its gzipAbove as they are", async () => {
    const client = clientFor(server, route);
    await client.connect();
    const location = { _: 'inputDocumentFileLocation', id: 1n, accessHash: 1n, fileReference: new Uint8Array(0), thumbSize: '' } as const;
    const file = await client.invoke({ _: 'upload.getFile', location, offset: 0n, limit: 4096 });
    await client.close();
    expect(file._ === 'upload.file' && file.bytes).toEqual(text);
    expect(serverGzip.gzipped).toEqual([]);
  });
});
