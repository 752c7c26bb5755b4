/**
 * The server side of auth-key creation (spec §4), for an in-process test server: one instance per
 * connection, a pure state machine like the client (clock, RNG and msg_ids injected). It accepts every
 * client generation still in use: req_pq and req_pq_multi, all four p_q_inner_data constructors, RSA_PAD,
 * and the legacy `RSA(SHA1(data) + data + random)` encryption only when `legacyRsa` asks for it (it is a
 * downgrade path). A req_DH_params costs one RSA private operation, whatever it holds, and is refused
 * only after every check ran, so the time to a refusal does not tell which check failed.
 *
 * It never throws on peer input: a malformed or out-of-order message gets `{ error: -404 }` (the
 * transport error the spec names; the handshake is then dead and every later message gets -404 too), a
 * test/production DC mismatch `{ error: -444 }`. A byte-identical resend of an already answered request
 * gets the identical answer. Handshake state lives at most 10 minutes from the first message.
 */
import { bigIntFromBytes, bigIntToBytes, readInt64LE } from '../crypto/bigint.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { checkDhParams, dhSharedKey, generateDhKeyPair, TELEGRAM_DH_PRIME } from '../crypto/dh.js';
import { authKeyAuxHashFor, authKeyIdFor, firstServerSalt, newNonceHash, tmpAesKeyIv } from '../crypto/handshake-kdf.js';
import type { AesKeyIv } from '../crypto/kdf.js';
import { isPrimeU64 } from '../crypto/primes.js';
import { takeRandom, type CryptoProvider, type RandomSource } from '../crypto/provider.js';
import { rsaDecryptBlock, rsaLegacyUnwrap, rsaPadUnwrap, type RsaPrivateKey, type RsaPublicKey } from '../crypto/rsa.js';
import { MtwireError } from '../base/errors.js';
import { Api as Service, readObject } from '../generated/service/index.js';
import { TlReader } from '../tl/reader.js';
import { checkNonces, decodeStep, decryptWithHash, encryptWithHash, rejected, TEST_DC_OFFSET } from './auth-key-common.js';
import { MsgIdGenerator, type MsgIdSource } from './msg-id.js';
import { decodePlainMessage, encodePlainMessage } from './plain-message.js';

export interface AuthKeyServerOptions {
  readonly crypto: CryptoProvider;
  /** server_nonce, the pq primes, a, IGE padding. Default: crypto.randomBytes. */
  readonly random?: RandomSource;
  /** Clock in unix ms: server_time and the state lifetime. Default Date.now. */
  readonly now?: () => number;
  /** msg_ids of the answers. Default: a MsgIdGenerator on `now` (responses, ≡ 1 mod 4). */
  readonly msgIds?: MsgIdSource;
  readonly privateKey: RsaPrivateKey & RsaPublicKey;
  /** Default: Telegram's prime. Checked (with g) at construction. */
  readonly dhPrime?: bigint;
  /** Default 3, which suits Telegram's prime. */
  readonly g?: number;
  readonly dcId: number;
  readonly test?: boolean;
  /** Also accept p_q_inner_data in the pre-RSA_PAD scheme, for old clients (default false). */
  readonly legacyRsa?: boolean;
  /** Answer the first set_client_DH_params with dh_gen_retry, to exercise the client's retry path. */
  readonly retryOnce?: boolean;
}

export interface ServerAuthKeyResult {
  readonly authKey: Uint8Array;
  readonly authKeyId: Uint8Array;
  readonly authKeyIdLong: bigint;
  readonly serverSalt: bigint;
  /** Set when the client asked for a temporary key. */
  readonly expiresIn?: number;
}

export type TransportErrorCode = -404 | -444;

export type AuthKeyServerStep = { readonly send: Uint8Array; readonly done?: ServerAuthKeyResult } | { readonly error: TransportErrorCode };

/** How long a half-finished handshake is kept (spec §4: at most 10 minutes). */
const STATE_LIFETIME_MS = 10 * 60 * 1000;

interface Exchange {
  readonly nonce: Uint8Array;
  readonly serverNonce: Uint8Array;
  readonly p: bigint;
  readonly q: bigint;
}

interface DhExchange extends Exchange {
  readonly newNonce: Uint8Array;
  readonly tmp: AesKeyIv;
  readonly a: bigint;
  readonly expiresIn?: number;
  /** 0 at first; after a dh_gen_retry, the aux hash of the key that was refused. */
  readonly retryId: bigint;
}

type State =
  | { readonly step: 'req_pq' }
  | { readonly step: 'req_dh'; readonly ex: Exchange }
  | { readonly step: 'set_dh'; readonly ex: DhExchange }
  | { readonly step: 'done' | 'failed' };

/** A random prime in [2^30, 2^31 + a little): the two factors of pq, as Telegram uses. */
function randomPrime31(random: RandomSource): bigint {
  const bytes = takeRandom(random, 4);
  const word = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  let candidate = BigInt((word >>> 1) | 0x40000001);
  while (!isPrimeU64(candidate)) candidate += 2n;
  return candidate;
}

/** The length of the p_q_inner_data at the start of a legacy RSA payload, whatever random bytes follow it. */
function innerDataLength(payload: Uint8Array): number {
  const r = new TlReader(payload);
  if (!Service.isTypePQInnerData(readObject(r))) throw rejected('inner_data_malformed');
  return r.pos;
}

const NO_DATA = new Uint8Array(0);

/** `run`'s result, or undefined when it refused its input with one of our typed errors. */
function attempt<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (error instanceof MtwireError) return undefined;
    throw error;
  }
}

/** Whether `check` passes rather than throwing one of our typed errors. */
function passes(check: () => void): boolean {
  return attempt(() => (check(), true)) ?? false;
}

export class AuthKeyServer {
  private readonly crypto: CryptoProvider;
  private readonly random: RandomSource;
  private readonly now: () => number;
  private readonly msgIds: MsgIdSource;
  private readonly dhPrime: bigint;
  private readonly g: number;
  private state: State = { step: 'req_pq' };
  /** Every request answered so far with its answer, for identical resends. */
  private readonly answered: { readonly request: Uint8Array; readonly answer: Uint8Array }[] = [];
  private startedAt: number | undefined;
  private retried = false;

  constructor(private readonly options: AuthKeyServerOptions) {
    this.crypto = options.crypto;
    this.random = options.random ?? ((n) => options.crypto.randomBytes(n));
    this.now = options.now ?? Date.now;
    this.msgIds = options.msgIds ?? new MsgIdGenerator(this.now);
    this.dhPrime = options.dhPrime ?? TELEGRAM_DH_PRIME;
    this.g = options.g ?? 3;
    checkDhParams(this.dhPrime, this.g, this.crypto); // a misconfigured group is the caller's bug: throw now
  }

  /** Handles one client message (a whole unencrypted message). */
  receive(message: Uint8Array): AuthKeyServerStep {
    if (this.state.step === 'failed') return { error: -404 };
    const now = this.now();
    this.startedAt ??= now;
    if (now - this.startedAt > STATE_LIFETIME_MS) return this.fail(-404);
    try {
      const { body } = decodePlainMessage(message, { sender: 'client' });
      const resend = this.answered.find((entry) => constantTimeEqual(entry.request, body));
      if (resend) return { send: resend.answer };
      const result = this.handle(body);
      if ('error' in result) return this.fail(result.error);
      this.answered.push({ request: body.slice(), answer: result.send });
      return result;
    } catch (error) {
      // Only our own typed errors mean "bad input"; anything else is a bug and must surface.
      if (error instanceof MtwireError) return this.fail(-404);
      throw error;
    }
  }

  private fail(error: TransportErrorCode): AuthKeyServerStep {
    this.state = { step: 'failed' };
    return { error };
  }

  private handle(body: Uint8Array): AuthKeyServerStep {
    const state = this.state;
    switch (state.step) {
      case 'req_pq':
        return this.onReqPq(body);
      case 'req_dh':
        return this.onReqDhParams(state.ex, body);
      case 'set_dh':
        return this.onSetClientDhParams(state.ex, body);
      default:
        throw rejected('state');
    }
  }

  private answer(body: Uint8Array): Uint8Array {
    return encodePlainMessage(this.msgIds.next('response'), body);
  }

  private onReqPq(body: Uint8Array): AuthKeyServerStep {
    const isReqPq = (v: unknown): v is Service.reqPq | Service.reqPqMulti => Service.reqPq.is(v) || Service.reqPqMulti.is(v);
    const { nonce } = decodeStep(body, isReqPq, 'req_pq_malformed');
    const serverNonce = takeRandom(this.random, 16).slice();
    const p = randomPrime31(this.random);
    let q = randomPrime31(this.random);
    while (q === p) q = randomPrime31(this.random);
    const ex = { nonce, serverNonce, p: p < q ? p : q, q: p < q ? q : p };
    this.state = { step: 'req_dh', ex };
    const fingerprints = [this.options.privateKey.fingerprint];
    return {
      send: this.answer(
        Service.ResPQ.encode({ _: 'resPQ', nonce, serverNonce, pq: bigIntToBytes(p * q), serverPublicKeyFingerprints: fingerprints }),
      ),
    };
  }

  private onReqDhParams(ex: Exchange, body: Uint8Array): AuthKeyServerStep {
    const { nonce, serverNonce } = ex;
    const req = attempt(() => decodeStep(body, Service.reqDHParams.is, 'req_dh_params_malformed'));
    // Decrypted even when a check on the clear fields already failed: every refusal costs the same.
    const inner = this.decryptInnerData(req?.encryptedData ?? NO_DATA);
    const checks = [
      req !== undefined && passes(() => checkNonces(req, nonce, serverNonce)),
      req !== undefined && bigIntFromBytes(req.p) === ex.p && bigIntFromBytes(req.q) === ex.q,
      req?.publicKeyFingerprint === this.options.privateKey.fingerprint,
      inner !== undefined && passes(() => checkNonces(inner, nonce, serverNonce)),
      inner !== undefined && bigIntFromBytes(inner.pq) === ex.p * ex.q,
      inner !== undefined && bigIntFromBytes(inner.p) === ex.p && bigIntFromBytes(inner.q) === ex.q,
    ];
    if (!checks.every(Boolean) || req === undefined || inner === undefined) throw rejected('req_dh_params');
    if ('dc' in inner) {
      const dc = Math.abs(inner.dc);
      if (dc > TEST_DC_OFFSET !== Boolean(this.options.test)) return { error: -444 };
      if (dc % TEST_DC_OFFSET !== this.options.dcId) throw rejected('dc');
    }
    const expiresIn = 'expiresIn' in inner ? inner.expiresIn : undefined;
    if (expiresIn !== undefined && expiresIn <= 0) throw rejected('expires_in');

    const { secret: a, publicValue: gA } = generateDhKeyPair(this.dhPrime, this.g, this.crypto, { random: this.random });
    const tmp = tmpAesKeyIv(inner.newNonce, serverNonce, this.crypto);
    const answer = Service.ServerDHInnerData.encode({
      _: 'server_DH_inner_data',
      nonce,
      serverNonce,
      g: this.g,
      dhPrime: bigIntToBytes(this.dhPrime),
      gA: bigIntToBytes(gA, 256),
      serverTime: Math.floor(this.now() / 1000),
    });
    const encryptedAnswer = encryptWithHash(answer, tmp, this.crypto, this.random);
    this.state = {
      step: 'set_dh',
      ex: { ...ex, newNonce: inner.newNonce, tmp, a, retryId: 0n, ...(expiresIn !== undefined ? { expiresIn } : {}) },
    };
    return { send: this.answer(Service.ServerDHParamsOk.encode({ _: 'server_DH_params_ok', nonce, serverNonce, encryptedAnswer })) };
  }

  /**
   * p_q_inner_data from encrypted_data, or undefined: the one RSA private operation, then RSA_PAD's
   * unwrapping and, when legacyRsa is on, the legacy scheme's, both run whichever one matches.
   */
  private decryptInnerData(encrypted: Uint8Array): Service.TypePQInnerData | undefined {
    const block = rsaDecryptBlock(encrypted, this.options.privateKey, this.crypto);
    const innerData = (data: Uint8Array) => decodeStep(data, Service.isTypePQInnerData, 'inner_data_malformed', true);
    const padded = attempt(() => innerData(rsaPadUnwrap(block, this.crypto)));
    const legacy = this.options.legacyRsa ? attempt(() => innerData(rsaLegacyUnwrap(block, this.crypto, innerDataLength))) : undefined;
    return padded ?? legacy;
  }

  private onSetClientDhParams(ex: DhExchange, body: Uint8Array): AuthKeyServerStep {
    const { nonce, serverNonce, newNonce } = ex;
    const req = decodeStep(body, Service.setClientDHParams.is, 'set_client_dh_params_malformed');
    checkNonces(req, nonce, serverNonce);
    const inner = decryptWithHash(req.encryptedData, ex.tmp, this.crypto, Service.ClientDHInnerData.read);
    checkNonces(inner, nonce, serverNonce);
    if (inner.retryId !== ex.retryId) throw rejected('retry_id');
    const authKey = dhSharedKey(bigIntFromBytes(inner.gB), ex.a, this.dhPrime, this.crypto);
    const auxHash = authKeyAuxHashFor(authKey, this.crypto);
    if (this.options.retryOnce && !this.retried) {
      this.retried = true;
      this.state = { step: 'set_dh', ex: { ...ex, retryId: readInt64LE(auxHash) } };
      const newNonceHash2 = newNonceHash(newNonce, 2, auxHash, this.crypto);
      return { send: this.answer(Service.DhGenRetry.encode({ _: 'dh_gen_retry', nonce, serverNonce, newNonceHash2 })) };
    }
    this.state = { step: 'done' };
    const authKeyId = authKeyIdFor(authKey, this.crypto);
    const done: ServerAuthKeyResult = {
      authKey,
      authKeyId,
      authKeyIdLong: readInt64LE(authKeyId),
      serverSalt: firstServerSalt(newNonce, serverNonce),
      ...(ex.expiresIn !== undefined ? { expiresIn: ex.expiresIn } : {}),
    };
    const newNonceHash1 = newNonceHash(newNonce, 1, auxHash, this.crypto);
    return { send: this.answer(Service.DhGenOk.encode({ _: 'dh_gen_ok', nonce, serverNonce, newNonceHash1 })), done };
  }
}
