/**
 * Auth-key targets: a real exchange between AuthKeyExchange and an in-memory AuthKeyServer is run
 * once (deterministic randomness, fixed clock, the fuzz RSA key); each side is snapshotted before each
 * of its receive steps, and every input goes to a fresh copy of the snapshot. Inputs start with a mode
 * byte: 0 the whole plain message, 1 a body in a valid plain envelope, ≥ 2 a structured message whose
 * nonces (and, where they are encrypted, keys) are right so the checks behind them are reached.
 */
import fc from 'fast-check';
import { aesIgeDecrypt } from '../src/crypto/ige.js';
import { authKeyAuxHashFor, dhParamsFailNonceHash, newNonceHash } from '../src/crypto/handshake-kdf.js';
import type { AesKeyIv } from '../src/crypto/kdf.js';
import { nodeCrypto } from '../src/crypto/node.js';
import { rsaPadEncrypt } from '../src/crypto/rsa.js';
import { AuthKeyExchange, type AuthKeyStep } from '../src/mtproto/auth-key-client.js';
import { encryptWithHash } from '../src/mtproto/auth-key-common.js';
import { AuthKeyServer, type AuthKeyServerStep } from '../src/mtproto/auth-key-server.js';
import { decodePlainMessage, encodePlainMessage } from '../src/mtproto/plain-message.js';
import { Api, TlReader } from '../src/api/index.js';
import { ByteSource, concat, mutated, randomBytes, u32le } from './bytes.js';
import { ContractViolation, checkTyped, type FuzzTarget } from './harness.js';
import { FUZZ_RSA_KEY, patternBytes, streamRandom } from './targets-crypto.js';
import { DICTIONARY } from './targets-tl.js';

const T0 = 1_735_910_891_000;
const SERVER_MSG_ID = (BigInt(T0 / 1000) << 32n) | 0x1001n;
const CLIENT_MSG_ID = (BigInt(T0 / 1000) << 32n) | 0x2000n;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
interface ClientState {
  step: string;
  nonce: Uint8Array;
  serverNonce: Uint8Array;
  newNonce: Uint8Array;
  tmp: AesKeyIv;
  dh: { nonce: Uint8Array; serverNonce: Uint8Array; newNonce: Uint8Array };
  authKey: Uint8Array;
}
interface ServerState {
  step: string;
  ex: { nonce: Uint8Array; serverNonce: Uint8Array; p: bigint; q: bigint; tmp: AesKeyIv; newNonce: Uint8Array };
}

/** A copy that can go on independently: the state objects are immutable, the resend list and RNG are not. */
function cloneClient(c: AuthKeyExchange): AuthKeyExchange {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(c) as object) as object, c) as unknown as Mutable<Record<string, unknown>>;
  copy.random = streamRandom(3);
  return copy as unknown as AuthKeyExchange;
}
function cloneServer(s: AuthKeyServer): AuthKeyServer {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(s) as object) as object, s) as unknown as Mutable<Record<string, unknown>>;
  copy.answered = [...(copy.answered as unknown[])];
  copy.random = streamRandom(4);
  return copy as unknown as AuthKeyServer;
}
const stateOf = <T>(o: object): T => (o as unknown as { state: T }).state;

const sent = (step: AuthKeyStep | AuthKeyServerStep): Uint8Array => {
  if (!('send' in step)) throw new Error(`the reference exchange failed: ${JSON.stringify(step)}`);
  return step.send;
};

interface Transcript {
  /** The client before receiving answers[i] (i = 0 resPQ, 1 server_DH_params, 2 dh_gen). */
  clients: AuthKeyExchange[];
  /** The server before receiving requests[i] (0 req_pq_multi, 1 req_DH_params, 2 set_client_DH_params). */
  servers: AuthKeyServer[];
  requests: Uint8Array[];
  answers: Uint8Array[];
  /** The plaintext TL objects inside the encrypted parts: server_DH_inner_data, client_DH_inner_data, p_q_inner_data_dc. */
  serverInner: Uint8Array;
  clientInner: Uint8Array;
  pqInner: Uint8Array[];
}

let transcript: Transcript | undefined;
/** The reference exchange, run once. */
export function reference(): Transcript {
  if (transcript) return transcript;
  const client = new AuthKeyExchange({ crypto: nodeCrypto, publicKeys: [FUZZ_RSA_KEY], dcId: 2, now: () => T0, random: streamRandom(1) });
  const server = new AuthKeyServer({
    crypto: nodeCrypto,
    privateKey: FUZZ_RSA_KEY,
    dcId: 2,
    now: () => T0,
    random: streamRandom(2),
    legacyRsa: true, // so that the legacy unwrapping is fuzzed too
  });
  const t: Transcript = {
    clients: [],
    servers: [],
    requests: [client.start()],
    answers: [],
    serverInner: new Uint8Array(0),
    clientInner: new Uint8Array(0),
    pqInner: [],
  };
  for (let i = 0; i < 3; i++) {
    t.servers.push(cloneServer(server));
    t.answers.push(sent(server.receive(t.requests[i]!)));
    t.clients.push(cloneClient(client));
    const step = client.receive(t.answers[i]!);
    if (i < 2) t.requests.push(sent(step));
    else if (!('done' in step)) throw new Error('the reference exchange did not finish');
  }
  const cs = stateOf<ClientState>(t.clients[1]!);
  const innerOf = (encrypted: Uint8Array, tmp: AesKeyIv, read: (r: TlReader) => unknown): Uint8Array => {
    const plain = aesIgeDecrypt(encrypted, tmp.key, tmp.iv);
    const r = new TlReader(plain, 20);
    read(r);
    return plain.slice(20, r.pos);
  };
  const params = Api.ServerDHParamsOk.decode(decodePlainMessage(t.answers[1]!).body);
  t.serverInner = innerOf(params.encryptedAnswer, cs.tmp, Api.ServerDHInnerData.read);
  const setDh = Api.setClientDHParams.decode(decodePlainMessage(t.requests[2]!).body);
  t.clientInner = innerOf(setDh.encryptedData, cs.tmp, Api.ClientDHInnerData.read);
  const req = Api.reqDHParams.decode(decodePlainMessage(t.requests[1]!).body);
  const res = Api.ResPQ.decode(decodePlainMessage(t.answers[0]!).body);
  const fields = { pq: res.pq, p: req.p, q: req.q, nonce: cs.nonce, serverNonce: cs.serverNonce, newNonce: cs.newNonce };
  t.pqInner = [
    Api.PQInnerDataDc.encode({ _: 'p_q_inner_data_dc', ...fields, dc: 2 }),
    Api.PQInnerData.encode({ _: 'p_q_inner_data', ...fields }),
    Api.PQInnerDataTempDc.encode({ _: 'p_q_inner_data_temp_dc', ...fields, dc: 10002, expiresIn: 3600 }),
    Api.PQInnerDataTemp.encode({ _: 'p_q_inner_data_temp', ...fields, expiresIn: 0 }),
  ];
  transcript = t;
  return t;
}

const bodyOf = (message: Uint8Array): Uint8Array => decodePlainMessage(message).body;
const fromServer = (body: Uint8Array): Uint8Array => encodePlainMessage(SERVER_MSG_ID, body);
const fromClient = (body: Uint8Array): Uint8Array => encodePlainMessage(CLIENT_MSG_ID, body);

/** Seeds for one mode: [mode byte, ...bytes]. */
const moded = (mode: number, seeds: fc.Arbitrary<Uint8Array>, max = 4): fc.Arbitrary<Uint8Array> =>
  mutated(seeds, DICTIONARY, max).map((b) => concat(Uint8Array.of(mode), b));

// ---- client side ----

/** The server message the client at `step` gets for one input. */
function clientMessage(step: number, client: AuthKeyExchange, data: Uint8Array): Uint8Array {
  const src = new ByteSource(data);
  const mode = src.u8() % 4;
  const rest = src.rest();
  const t = reference();
  if (mode === 0) return rest;
  if (mode === 1) return fromServer(rest);
  const s = stateOf<ClientState>(client);
  if (step === 0) return fromServer(concat(u32le(Api.ResPQ.id), s.nonce, rest)); // server_nonce, pq, fingerprints as fuzzed
  if (step === 1) {
    if (mode === 3) {
      const hash = rest[0]! & 1 ? dhParamsFailNonceHash(s.newNonce, nodeCrypto) : rest.subarray(1, 17);
      return fromServer(
        Api.ServerDHParamsFail.encode({
          _: 'server_DH_params_fail',
          nonce: s.nonce,
          serverNonce: s.serverNonce,
          newNonceHash: fillTo(hash, 16),
        }),
      );
    }
    const encryptedAnswer = encryptWithHash(rest, s.tmp, nodeCrypto, streamRandom(5));
    return fromServer(
      Api.ServerDHParamsOk.encode({ _: 'server_DH_params_ok', nonce: s.nonce, serverNonce: s.serverNonce, encryptedAnswer }),
    );
  }
  // step 2: dh_gen_ok / retry / fail, with the right new_nonce_hash unless the input says otherwise
  void t;
  const kind = rest[0]! % 3;
  const hash =
    rest[1]! & 1
      ? rest.subarray(2, 18)
      : newNonceHash(s.dh.newNonce, (kind + 1) as 1 | 2 | 3, authKeyAuxHashFor(s.authKey, nodeCrypto), nodeCrypto);
  const common = { nonce: s.dh.nonce, serverNonce: s.dh.serverNonce };
  const body =
    kind === 0
      ? Api.DhGenOk.encode({ _: 'dh_gen_ok', ...common, newNonceHash1: fillTo(hash, 16) })
      : kind === 1
        ? Api.DhGenRetry.encode({ _: 'dh_gen_retry', ...common, newNonceHash2: fillTo(hash, 16) })
        : Api.DhGenFail.encode({ _: 'dh_gen_fail', ...common, newNonceHash3: fillTo(hash, 16) });
  return fromServer(body);
}

function fillTo(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(bytes.subarray(0, length));
  return out;
}

function clientSeeds(step: number): fc.Arbitrary<Uint8Array> {
  const lazy = (f: () => Uint8Array) => fc.constant(null).map(f);
  const answer = () => reference().answers[step]!;
  const structured =
    step === 0
      ? moded(
          2,
          lazy(() => bodyOf(answer()).subarray(20)),
        )
      : step === 1
        ? fc.oneof(
            moded(
              2,
              lazy(() => reference().serverInner),
            ),
            moded(3, fc.uint8Array({ minLength: 1, maxLength: 20 }), 1),
          )
        : fc.tuple(fc.nat(2), fc.nat(20)).map(([kind, bad]) => Uint8Array.of(2, kind, bad === 0 ? 1 : 0, ...patternBytes(16, bad)));
  return fc.oneof(
    { weight: 2, arbitrary: moded(0, lazy(answer)) },
    {
      weight: 2,
      arbitrary: moded(
        1,
        lazy(() => bodyOf(answer())),
      ),
    },
    { weight: 1, arbitrary: fc.tuple(fc.nat(1), randomBytes(300)).map(([m, b]) => concat(Uint8Array.of(m), b)) },
    { weight: 4, arbitrary: structured },
  );
}

const STEP_NAMES = ['res-pq', 'server-dh-params', 'dh-gen'];

/**
 * A handshake step does fixed bigint work (pq factoring and primality, RSA, 2048-bit DH, up to 6 of them
 * with dh_gen_retry) whose garbage is a few MB whatever the input; unbounded would be far above this.
 */
const STEP_BUDGET = () => 32 * 1024 * 1024;

function authClientTarget(step: number): FuzzTarget {
  return {
    name: `auth-client-${STEP_NAMES[step]}`,
    description: `AuthKeyExchange.receive at step ${step + 1} (${['resPQ', 'server_DH_params', 'dh_gen_*'][step]}): mode byte, then a raw message, a body, or a structured answer with the right nonces/keys`,
    cost: 'expensive',
    allocBudget: STEP_BUDGET,
    arbitrary: clientSeeds(step),
    run(data) {
      const client = cloneClient(reference().clients[step]!);
      const message = clientMessage(step, client, data);
      let result = checkTyped(() => client.receive(message));
      // dh_gen_retry: for one input in 16 (its last byte), answer again the same way until the client
      // gives up (MAX_DH_RETRIES) or finishes. Each retry costs two 2048-bit exponentiations, so doing
      // it for every input would make this target 5x slower and cover nothing new after the first few.
      const retries = step === 2 && (data[data.length - 1] ?? 0) % 16 === 0 ? 7 : 0;
      for (let i = 0; i < retries && result && 'send' in result; i++) {
        const next = clientMessage(step, client, data);
        result = checkTyped(() => client.receive(next));
      }
      if (!client.finished && !(result && 'send' in result)) throw new ContractViolation('the exchange neither failed nor moved on');
      if (result && 'done' in result && result.done.authKey.length !== 256) throw new ContractViolation('auth key is not 256 bytes');
      return result;
    },
  };
}

// ---- server side ----

function serverMessage(step: number, server: AuthKeyServer, data: Uint8Array): Uint8Array {
  const src = new ByteSource(data);
  const mode = src.u8() % 4;
  const rest = src.rest();
  if (mode === 0) return rest;
  if (mode === 1) return fromClient(rest);
  if (step === 0) return fromClient(concat(u32le(mode === 2 ? Api.reqPqMulti.id : Api.reqPq.id), rest));
  const ex = stateOf<ServerState>(server).ex;
  if (step === 1) {
    const req = Api.reqDHParams.decode(bodyOf(reference().requests[1]!));
    const encryptedData = mode === 2 ? rsaPadEncrypt(rest.subarray(0, 144), FUZZ_RSA_KEY, nodeCrypto, streamRandom(6)) : legacyBlock(rest);
    return fromClient(Api.reqDHParams.encode({ ...req, encryptedData }));
  }
  const encryptedData = encryptWithHash(rest, ex.tmp, nodeCrypto, streamRandom(7));
  return fromClient(
    Api.setClientDHParams.encode({ _: 'set_client_DH_params', nonce: ex.nonce, serverNonce: ex.serverNonce, encryptedData }),
  );
}

/** RSA(SHA1(data) + data + padding) over 255 bytes with the fuzz key's public half. */
function legacyBlock(data: Uint8Array): Uint8Array {
  const block = new Uint8Array(255);
  const d = data.subarray(0, 235);
  block.set(nodeCrypto.sha1(d));
  block.set(d, 20);
  const value = BigInt('0x' + Buffer.from(block).toString('hex'));
  const c = nodeCrypto.modPow(value, FUZZ_RSA_KEY.e, FUZZ_RSA_KEY.n);
  return Uint8Array.from(Buffer.from(c.toString(16).padStart(512, '0'), 'hex'));
}

function serverSeeds(step: number): fc.Arbitrary<Uint8Array> {
  const lazy = (f: () => Uint8Array) => fc.constant(null).map(f);
  const request = () => reference().requests[step]!;
  const structured =
    step === 0
      ? fc.tuple(fc.constantFrom(2, 3), fc.uint8Array({ minLength: 0, maxLength: 20 })).map(([m, b]) => concat(Uint8Array.of(m), b))
      : step === 1
        ? fc.oneof(
            moded(
              2,
              fc.nat(3).map((i) => reference().pqInner[i]!),
            ),
            moded(
              3,
              fc.nat(3).map((i) => reference().pqInner[i]!),
            ),
          )
        : moded(
            2,
            lazy(() => reference().clientInner),
          );
  return fc.oneof(
    { weight: 2, arbitrary: moded(0, lazy(request)) },
    {
      weight: 2,
      arbitrary: moded(
        1,
        lazy(() => bodyOf(request())),
      ),
    },
    { weight: 1, arbitrary: fc.tuple(fc.nat(1), randomBytes(300)).map(([m, b]) => concat(Uint8Array.of(m), b)) },
    { weight: 4, arbitrary: structured },
  );
}

function checkServerStep(result: AuthKeyServerStep): void {
  if ('error' in result) {
    if (result.error !== -404 && result.error !== -444) throw new ContractViolation(`server answered error ${String(result.error)}`);
  } else if (!(result.send instanceof Uint8Array)) {
    throw new ContractViolation('server step has neither send nor error');
  }
}

function authServerTarget(step: number): FuzzTarget {
  return {
    name: `auth-server-${['req-pq', 'req-dh-params', 'set-client-dh-params'][step]}`,
    description: `AuthKeyServer.receive at step ${step + 1}: must answer { send } or { error }, never throw; then the real request (resend / dead-handshake rules)`,
    cost: 'expensive',
    allocBudget: STEP_BUDGET,
    arbitrary: serverSeeds(step),
    allowed: () => false,
    run(data) {
      const server = cloneServer(reference().servers[step]!);
      const first = server.receive(serverMessage(step, server, data));
      checkServerStep(first);
      const second = server.receive(reference().requests[step]!);
      checkServerStep(second);
      if ('error' in first && !('error' in second && second.error === -404))
        throw new ContractViolation('a failed handshake answered again');
      return [first, second];
    },
  };
}

export const plainMessageTarget: FuzzTarget = {
  name: 'plain-message',
  description: 'decodePlainMessage (no sender check, client, server) on random and mutated unencrypted messages',
  cost: 'cheap',
  arbitrary: fc.oneof(
    randomBytes(64),
    mutated(fc.tuple(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), randomBytes(40)).map(([id, b]) => encodePlainMessage(id, b))),
  ),
  run(data) {
    return (['client', 'server', undefined] as const).map((sender) => {
      const m = checkTyped(() => decodePlainMessage(data, sender ? { sender } : {}));
      if (m && m.body.length !== data.length - 20) throw new ContractViolation('plain body length does not match the message');
      return m;
    });
  },
};

export const authTargets: FuzzTarget[] = [0, 1, 2]
  .flatMap((step) => [authClientTarget(step), authServerTarget(step)])
  .concat(plainMessageTarget);
