// Throughput through MtprotoClient against the in-process test server on loopback (mtwire only: the
// peers have no server): 1 MiB uploads and downloads beside AES-256-IGE over 1 MiB timed in the same run
// (the bound: every byte is IGE-encrypted once and decrypted once on the way), and pipelining on one
// connection (requests/s with 1, 100 and 1,000 requests in flight). Medians of `runs` rounds.
import { randomBytes } from 'node:crypto';
import { MtprotoClient } from '../dist/src/client/index.js';
import { aesIgeDecrypt, aesIgeEncrypt } from '../dist/src/crypto/ige.js';
import { startTestServer } from '../dist/src/server/index.js';
import { registerEchoHandler } from '../dist/src/testing/load.js';

const quick = process.argv.includes('--quick');
const runs = quick ? 3 : 5;
const MiB = 1 << 20;
const PART = 512 * 1024; // the largest upload part Telegram takes
const file = new Uint8Array(randomBytes(MiB)); // random: as incompressible as media

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const mbPerSec = (bytes, ms) => bytes / 1e3 / ms;

async function timed(rounds, fn) {
  const ms = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** AES-IGE alone over 1 MiB, encrypt + decrypt: what one transfer's bytes cost at the least (one side's work). */
async function igeBound() {
  const key = new Uint8Array(randomBytes(32));
  const iv = new Uint8Array(randomBytes(32));
  const rounds = quick ? 5 : 15;
  return mbPerSec(MiB, await timed(rounds, () => aesIgeDecrypt(aesIgeEncrypt(file, key, iv), key, iv)));
}

const server = await startTestServer({ transports: ['tcp'] });
registerEchoHandler(server);
server.registerHandler('upload.saveBigFilePart', (query) => query.bytes.length === PART);
server.registerHandler('upload.getFile', () => ({ _: 'upload.file', type: { _: 'storage.filePartial' }, mtime: 0, bytes: file }));
const client = new MtprotoClient({
  transport: { kind: 'tcp', host: server.host, port: server.tcpPort },
  dcId: server.dcId,
  apiId: 1,
  publicKeys: [server.publicKey],
  pingIntervalMs: 0,
});
try {
  await client.connect();
  const upload = () =>
    Promise.all(
      [0, 1].map((filePart) =>
        client.invoke({
          _: 'upload.saveBigFilePart',
          fileId: 1n,
          filePart,
          fileTotalParts: 2,
          bytes: file.subarray(filePart * PART, (filePart + 1) * PART),
        }),
      ),
    );
  const download = async () => {
    const answer = await client.invoke({
      _: 'upload.getFile',
      location: { _: 'inputDocumentFileLocation', id: 1n, accessHash: 1n, fileReference: new Uint8Array(0), thumbSize: '' },
      offset: 0n,
      limit: MiB,
    });
    if (answer.bytes.length !== MiB) throw new Error(`downloaded ${answer.bytes.length} bytes`);
  };
  await upload(); // warm-up
  await download();
  const bound = await igeBound();
  const up = mbPerSec(MiB, await timed(runs * 2, upload));
  const down = mbPerSec(MiB, await timed(runs * 2, download));
  console.log('\n## Transfer (MtprotoClient ↔ test server, loopback TCP, one connection)\n');
  const pct = (x) => `${((100 * x) / bound).toFixed(0)}% of the bound`;
  console.log(`AES-256-IGE 1 MiB encrypt + decrypt (the bound): ${bound.toFixed(1)} MB/s`);
  console.log(`1 MiB upload (2 × 512 KiB saveBigFilePart): ${up.toFixed(1)} MB/s, ${pct(up)}`);
  console.log(`1 MiB download (upload.getFile): ${down.toFixed(1)} MB/s, ${pct(down)}`);

  const total = quick ? 1000 : 4000;
  let n = 0;
  const resolve = () => client.invoke({ _: 'contacts.resolveUsername', username: `load_${n++}` });
  for (const inFlight of [1, 100, 1000]) {
    const batches = Math.max(1, total / inFlight);
    const ms = await timed(runs, async () => {
      for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, resolve));
    });
    console.log(`pipelining, ${inFlight} in flight: ${Math.round((batches * inFlight * 1000) / ms)} requests/s`);
  }
} finally {
  await client.close();
  await server.close();
}
