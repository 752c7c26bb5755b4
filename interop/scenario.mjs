// The steps every client runs against the test server, over one transport and framing. The steps speak
// mtwire's object shapes; each client module converts them to its library's and back, so what goes over
// the wire is written and read by that library alone. The call's DH math is mtwire's (src/calls), run on
// what the clients' own requests and updates carried.
import { createHash } from 'node:crypto';
import {
  DEFAULT_CALL_PROTOCOL,
  DhConfigCache,
  IncomingCallKeyExchange,
  OutgoingCallKeyExchange,
  buildAcceptCall,
  buildConfirmCall,
  buildReceivedCall,
  buildRequestCall,
} from '../dist/src/calls/index.js';
import { nodeCrypto } from '../dist/src/crypto/index.js';
import { DEFAULT_TEST_USERS, TEST_PHONE_CODE } from '../dist/src/server/index.js';

export const STEPS = ['handshake', 'sign-in', 'bot sign-in', 'help.getConfig', 'users.getUsers', 'call', 'reconnect'];

/** Alice signs in with a phone code and places the call; Bob signs in with a bot token and answers. */
const [ALICE, BOB] = DEFAULT_TEST_USERS;
const API = { apiId: 1, apiHash: 'interop' };
/** A step's bound; an update the server pushes must arrive within UPDATE_TIMEOUT_MS. */
const STEP_TIMEOUT_MS = 20_000;
const UPDATE_TIMEOUT_MS = 10_000;

function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function expectEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

const inputUser = (user) => ({ _: 'inputUser', userId: user.id, accessHash: user.accessHash });

/** The next updatePhoneCall whose phoneCall is `kind`, however the library delivers it. */
function nextPhoneCall(client, kind) {
  return new Promise((resolve) => {
    client.onUpdate((update) => {
      if (update._ === 'updatePhoneCall' && update.phoneCall._ === kind) resolve(update.phoneCall);
    });
  });
}

/** Polls the server until `condition` holds: for what the server sees but no client answer shows. */
async function serverShows(condition, what) {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > UPDATE_TIMEOUT_MS) throw new Error(`server never saw ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function signIn(client) {
  const sent = await client.invoke({ _: 'auth.sendCode', phoneNumber: ALICE.phone, ...API, settings: { _: 'codeSettings' } });
  const auth = await client.invoke({
    _: 'auth.signIn',
    phoneNumber: ALICE.phone,
    phoneCodeHash: sent.phoneCodeHash,
    phoneCode: TEST_PHONE_CODE,
  });
  expectEqual(auth.user.id, ALICE.id, 'auth.signIn user id');
  return `${auth.user.firstName} (${auth.user.id})`;
}

async function signInBot(client) {
  const auth = await client.invoke({ _: 'auth.importBotAuthorization', flags: 0, ...API, botAuthToken: `${BOB.id}:interop` });
  expectEqual(auth.user.id, BOB.id, 'auth.importBotAuthorization user id');
  return `${auth.user.firstName} (${auth.user.id})`;
}

async function dhConfig(client) {
  const cache = new DhConfigCache();
  return cache.accept(await client.invoke(cache.request()), nodeCrypto);
}

/** The seed's call, A (caller) to B (callee); returns the key fingerprint both computed. */
async function call(a, b) {
  const requested = nextPhoneCall(b, 'phoneCallRequested');
  const accepted = nextPhoneCall(a, 'phoneCallAccepted');
  const established = nextPhoneCall(b, 'phoneCall');
  const caller = new OutgoingCallKeyExchange({ crypto: nodeCrypto });
  const callee = new IncomingCallKeyExchange({ crypto: nodeCrypto });

  const keys = caller.start(await dhConfig(a));
  const randomId = 1 + Math.floor(Math.random() * 0x7ffffffe);
  const waiting = await a.invoke(buildRequestCall(keys, { userId: inputUser(BOB), randomId, protocol: DEFAULT_CALL_PROTOCOL }));
  caller.waiting(waiting.phoneCall);

  const incoming = await within(UPDATE_TIMEOUT_MS, requested, 'updatePhoneCall phoneCallRequested');
  await b.invoke(buildReceivedCall(incoming));
  const acceptance = callee.requested(incoming, await dhConfig(b));
  await b.invoke(buildAcceptCall(acceptance, DEFAULT_CALL_PROTOCOL));

  const confirmation = caller.accepted(await within(UPDATE_TIMEOUT_MS, accepted, 'updatePhoneCall phoneCallAccepted'));
  const confirmed = await a.invoke(buildConfirmCall(confirmation, DEFAULT_CALL_PROTOCOL));
  caller.established(confirmed.phoneCall);

  const final = await within(UPDATE_TIMEOUT_MS, established, 'updatePhoneCall phoneCall');
  const gAHash = createHash('sha256').update(final.gAOrB).digest();
  if (!gAHash.equals(incoming.gAHash)) throw new Error('B: SHA256(g_a) differs from the g_a_hash of phoneCallRequested');
  const calleeKey = callee.confirmed(final);
  const fingerprint = (f) => BigInt.asUintN(64, f).toString(16).padStart(16, '0');
  expectEqual(fingerprint(calleeKey.fingerprint), fingerprint(confirmation.keyFingerprint), 'B key fingerprint');
  return `A ${fingerprint(confirmation.keyFingerprint)}, B ${fingerprint(calleeKey.fingerprint)}`;
}

/**
 * Runs STEPS in order for one library over one transport and framing. A step that fails ends the run (the
 * later ones depend on it) and is reported with its error. Resolves with { step: { ok, ms, detail } }.
 */
export async function runScenario(server, library, combination, report) {
  const results = {};
  const clients = [];
  const open = async (session) => {
    const client = await library.create(server, combination, session);
    clients.push(client);
    return client;
  };
  const run = async (step, body) => {
    const started = performance.now();
    try {
      const detail = await within(STEP_TIMEOUT_MS, body(), step);
      results[step] = { ok: true, ms: performance.now() - started, detail };
    } catch (error) {
      results[step] = { ok: false, ms: performance.now() - started, detail: error.message.split('\n')[0] };
    }
    report(step, results[step]);
    return results[step].ok;
  };
  let a;
  let b;
  const steps = {
    handshake: async () => {
      const keys = server.authKeys().length;
      [a, b] = await Promise.all([open(), open()]);
      await Promise.all([a.connect(), b.connect()]);
      await serverShows(() => server.authKeys().length >= keys + 2, 'two new auth keys');
      return 'two auth keys';
    },
    'sign-in': () => signIn(a),
    'bot sign-in': () => signInBot(b),
    'help.getConfig': async () => {
      const config = await a.invoke({ _: 'help.getConfig' });
      expectEqual(config.thisDc, server.dcId, 'config.thisDc');
      return `thisDc ${config.thisDc}, ${config.dcOptions.length} dc options`;
    },
    'users.getUsers': async () => {
      // Bob 32 times: 652 bytes that compress well, so both clients send the request as gzip_packed, mtcute
      // in zlib framing (RFC 1950), gramjs in gzip framing (RFC 1952); the server must inflate both.
      const users = await a.invoke({ _: 'users.getUsers', id: Array.from({ length: 32 }, () => inputUser(BOB)) });
      expectEqual(users.length, 32, 'users.getUsers count');
      for (const user of users) expectEqual(user.id, BOB.id, 'users.getUsers id');
      return `${users[0].firstName} (${users[0].id}) × ${users.length}`;
    },
    call: () => call(a, b),
    reconnect: async () => {
      const session = await a.exportSession();
      await a.close();
      const keys = server.authKeys().length;
      const again = await open(session);
      await again.connect();
      const [me] = await again.invoke({ _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] });
      expectEqual(me.id, ALICE.id, 'users.getUsers(inputUserSelf) after reconnecting');
      expectEqual(server.authKeys().length, keys, 'auth keys on the server (a reconnect makes no new one)');
      return `${me.firstName} again, no new auth key`;
    },
  };
  try {
    for (const step of STEPS) if (!(await run(step, steps[step]))) break;
  } finally {
    await Promise.allSettled(clients.map((client) => client.close()));
  }
  return results;
}
