// npm run attack [-- --quick]: hostile traffic against the test server, bounded in count and time, on
// 127.0.0.1 only (the flooding source is 127.0.0.2, another loopback address). Each attack starts a
// server in a process of its own (scripts/attack-server.mjs) so that the RSS figures are the server's.
// Prints the figures the README quotes; --quick is the short version CI runs. Exits 1 when a request of the
// exactly-once or concurrent-client cases ran twice, was lost or got a wrong answer.
import { HOST, MB, clientFor, median, openMany, openSocket, quick, report, sleep, startServer } from './attack-lib.mjs';
import { concurrentClients, cutDuringHandler, answerLost, serverRestart } from './attack-once.mjs';
import { stalledWebSocketMessages } from './attack-websocket.mjs';

const { nodeCrypto } = await import('../dist/src/crypto/node.js');
const { AuthKeyExchange } = await import('../dist/src/mtproto/auth-key-client.js');
const { decodePlainMessage, encodePlainMessage } = await import('../dist/src/mtproto/plain-message.js');
const { Api } = await import('../dist/src/api/index.js');
const { createClientCodec } = await import('../dist/src/transport/index.js');

async function timedHandshake(server) {
  const client = clientFor(server);
  const t0 = performance.now();
  await client.connect();
  const ms = performance.now() - t0;
  await client.close();
  return ms;
}

/** Intermediate init, a header declaring `length` bytes, then `body`. */
function announce(length, body) {
  const out = new Uint8Array(8 + body.length);
  out.set([0xee, 0xee, 0xee, 0xee]);
  new DataView(out.buffer).setUint32(4, length, true);
  out.set(body, 8);
  return out;
}

async function stalledFrames() {
  const count = quick ? 200 : 1000;
  const handshakeTimeoutMs = 3000;
  const server = await startServer({ handshakeTimeoutMs });
  const before = (await server.usage()).rss;
  // 16 MiB announced with an unknown auth_key_id, then 56 KiB of body, then nothing.
  const claims = await openMany(count, server.port, announce(16 * MB, new Uint8Array(56 * 1024).fill(7)));
  const t0 = performance.now();
  await Promise.all(claims.map((s) => s.closed));
  const refusedMs = performance.now() - t0;
  const afterClaims = (await server.usage()).rss;
  // Frames within the anonymous cap, left unfinished: they wait for the handshake timeout.
  const stalled = await openMany(count, server.port, announce(4092, new Uint8Array(2000)));
  const held = await server.usage();
  const t1 = performance.now();
  await Promise.all(stalled.map((s) => s.closed));
  const closedMs = performance.now() - t1;
  report(
    `${count} connections announcing 16 MiB: all closed ${refusedMs.toFixed(0)} ms after the last was opened, ` +
      `server RSS ${((afterClaims - before) / MB).toFixed(1)} MB above its start`,
  );
  report(
    `${count} connections stalled inside a 4 KiB frame: server held ${(held.usage.bufferedBytes / MB).toFixed(1)} MB of frames, ` +
      `RSS ${((held.rss - before) / MB).toFixed(1)} MB above its start; all closed within ${closedMs.toFixed(0)} ms (handshake timeout ${handshakeTimeoutMs} ms)`,
  );
  await server.stop();
}

async function oneByteConnections() {
  const count = quick ? 500 : 3000;
  const handshakeTimeoutMs = 3000;
  const server = await startServer({ handshakeTimeoutMs });
  const sockets = await openMany(count, server.port, Uint8Array.of(0xef));
  const opened = performance.now();
  const client = clientFor(server);
  const t0 = performance.now();
  await client.connect();
  const handshakeMs = performance.now() - t0;
  let answered = 0;
  for (let n = 0; n < 10; n++) {
    await client.invoke({ _: 'contacts.resolveUsername', username: `load_${n}` });
    answered++;
  }
  await Promise.all(sockets.map((s) => s.closed));
  const lastClosed = Math.max(...sockets.map((s) => s.closedAt)) - opened;
  const open = (await server.usage()).usage.connections;
  report(
    `${count} one-byte connections: all closed ${lastClosed.toFixed(0)} ms after the last was opened (handshake timeout ${handshakeTimeoutMs} ms); ` +
      `meanwhile a normal client's handshake took ${handshakeMs.toFixed(0)} ms and ${answered}/10 requests were answered; ${open} connection open after (the client's)`,
  );
  await client.close();
  await server.stop();
}

/** One junk handshake from `localAddress`: req_pq, then req_DH_params with random encrypted_data. */
async function junkHandshake(server, localAddress) {
  const s = await openSocket(server.port, localAddress);
  const codec = createClientCodec({ framing: 'intermediate', crypto: nodeCrypto });
  const exchange = new AuthKeyExchange({ crypto: nodeCrypto, publicKeys: [server.publicKey], dcId: server.dcId });
  const answers = [];
  let wake;
  s.socket.on('data', (chunk) => {
    answers.push(...codec.decode(new Uint8Array(chunk)));
    wake?.();
  });
  const next = async () => {
    const deadline = performance.now() + 5000;
    while (!answers.length && s.closedAt === undefined && performance.now() < deadline)
      await new Promise((r) => ((wake = r), setTimeout(r, 20)));
    return answers.shift();
  };
  try {
    s.socket.write(codec.start());
    s.socket.write(codec.encode(exchange.start()));
    const first = await next();
    if (first?.kind === 'error') return first.code === 429 ? 'limited' : 'refused';
    if (first?.kind !== 'frame') return 'closed';
    const { msgId, body } = decodePlainMessage(exchange.receive(first.payload).send);
    const junk = { ...Api.reqDHParams.decode(body), encryptedData: nodeCrypto.randomBytes(256) };
    s.socket.write(codec.encode(encodePlainMessage(msgId, Api.reqDHParams.encode(junk))));
    const second = await next();
    return second?.kind === 'error' ? `dh-${second.code}` : 'dh-other';
  } finally {
    s.socket.destroy();
  }
}

async function handshakeFlood() {
  const server = await startServer({});
  const samples = quick ? 5 : 6;
  const idle = [];
  for (let i = 0; i < samples; i++) idle.push(await timedHandshake(server));
  const outcomes = new Map();
  const floodSeconds = quick ? 3 : 6;
  let flooding = true;
  const flood = (async () => {
    const running = [];
    const start = performance.now();
    for (let i = 0; flooding; i++) {
      // 300 a second: the i-th starts at i/300 s.
      const due = start + (i * 1000) / 300;
      if (due > performance.now()) await sleep(due - performance.now());
      running.push(
        junkHandshake(server, '127.0.0.2').then(
          (o) => outcomes.set(o, (outcomes.get(o) ?? 0) + 1),
          () => undefined,
        ),
      );
    }
    await Promise.all(running);
  })();
  await sleep(300);
  // Spread over the flood; with the idle ones they stay within 127.0.0.1's own handshake burst (20).
  const loaded = [];
  for (let i = 0; i < samples * 2; i++) {
    const t0 = performance.now();
    loaded.push(await timedHandshake(server));
    await sleep(Math.max(0, (floodSeconds * 1000) / (samples * 2) - (performance.now() - t0)));
  }
  flooding = false;
  await flood;
  const idleP50 = median(idle);
  const loadedP50 = median(loaded);
  const summary = [...outcomes].map(([k, v]) => `${k}: ${v}`).join(', ');
  report(
    `junk req_DH_params at 300/s from 127.0.0.2 for ${floodSeconds} s: a normal client's handshake p50 ${loadedP50.toFixed(1)} ms ` +
      `(idle ${idleP50.toFixed(1)} ms, ${(loadedP50 / idleP50).toFixed(2)}×, ${loaded.length} handshakes); flooding source: ${summary}`,
  );
  await server.stop();
}

const QUIET_HEAP_MS = 10_000;

async function shortSessions() {
  const count = quick ? 1000 : 10000;
  const sessionIdleMs = 2000;
  const server = await startServer({ sessionIdleMs });
  const first = clientFor(server);
  await first.connect();
  const session = first.exportSession();
  await first.close();
  const start = await server.settledUsage();
  let next = 0;
  let peak = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const client = clientFor(server, { session });
      await client.connect();
      await client.invoke({ _: 'contacts.resolveUsername', username: `load_${n}` });
      await client.close();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 50 }, worker));
  const ranMs = performance.now() - t0;
  const loaded = await server.settledUsage();
  peak = loaded.usage.sessions;
  await sleep(sessionIdleMs * 2);
  const after = await server.settledUsage();
  // V8 gives back the heap it committed for the peak only once allocation has been low for several seconds.
  await sleep(QUIET_HEAP_MS);
  const quiet = await server.settledUsage();
  const above = (sample, field) => `${((sample.memory[field] - start.memory[field]) / MB).toFixed(1)} MB`;
  report(
    `${count} short-lived sessions (one request each, ${ranMs.toFixed(0)} ms): ${peak} sessions held and RSS ${above(loaded, 'rss')} above the start at the end; ` +
      `${after.usage.sessions} sessions and RSS ${above(after, 'rss')} above the start after eviction (session idle limit ${sessionIdleMs} ms), ` +
      `${above(quiet, 'rss')} ${QUIET_HEAP_MS / 1000} s later; JS heap in use ${above(loaded, 'heapUsed')} above the start at the end, ${above(after, 'heapUsed')} after eviction; ` +
      `V8's committed heap ${above(after, 'heapTotal')} after eviction, ${above(quiet, 'heapTotal')} ${QUIET_HEAP_MS / 1000} s later; ` +
      `external ${above(quiet, 'external')}, array buffers ${above(quiet, 'arrayBuffers')}`,
  );
  await server.stop();
}

async function gzipInflation() {
  const server = await startServer({});
  const client = clientFor(server);
  await client.connect();
  const cap = 1024 * 1024; // the default maxInflatedBytes
  const roundTrips = async (username) => {
    const times = [];
    let outcome;
    for (let i = 0; i < (quick ? 5 : 20); i++) {
      const t0 = performance.now();
      outcome = await client.invoke({ _: 'contacts.resolveUsername', username }).then(
        () => 'answered',
        (error) => String(error.message ?? error),
      );
      times.push(performance.now() - t0);
    }
    return `p50 ${median(times).toFixed(1)} ms (${outcome})`;
  };
  // The client sends each of these as gzip_packed (a few KB on the wire): the server inflates it.
  const small = await roundTrips('load_1');
  const nearCap = await roundTrips('a'.repeat(cap - 64));
  const bomb = await roundTrips('a'.repeat(8 * cap)); // TL strings stop below 16 MiB
  report(
    `gzip (round trips, the client's compression included): plain request ${small}; inflating to just under the 1 MiB cap ${nearCap}; ` +
      `a bomb of 8 MiB ${bomb}`,
  );
  await client.close();
  await server.stop();
}

console.log(`## Attacks on the test server${quick ? ' (quick)' : ''}\n`);
await stalledFrames();
await stalledWebSocketMessages();
await oneByteConnections();
await handshakeFlood();
await shortSessions();
await gzipInflation();
await cutDuringHandler();
await answerLost();
await serverRestart();
if (!quick) await concurrentClients(0);
await concurrentClients(2);
