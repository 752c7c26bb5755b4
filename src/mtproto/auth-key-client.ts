/**
 * The client side of auth-key creation (spec §4) as a pure state machine: no I/O, the clock, the RNG and
 * the msg_id source injected. `start()` gives the first message, and each server message passed to
 * `receive()` yields the next message to send or the finished key. Messages in and out are whole
 * unencrypted MTProto messages (auth_key_id 0, msg_id, length, body), exactly what a transport frame
 * carries.
 *
 * Any refused server message throws (a SecurityError naming the check, or an AuthKeyError for a
 * well-formed refusal) and leaves the exchange failed: start a new one.
 */
import { bigIntFromBytes, bigIntToBytes, readInt64LE } from '../crypto/bigint.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { checkDhParams, checkDhPublic, dhSharedKey, generateDhKeyPair } from '../crypto/dh.js';
import {
  authKeyAuxHashFor,
  authKeyIdFor,
  dhParamsFailNonceHash,
  firstServerSalt,
  newNonceHash,
  tmpAesKeyIv,
} from '../crypto/handshake-kdf.js';
import type { AesKeyIv } from '../crypto/kdf.js';
import { factorizePQ, PqFactorizationError } from '../crypto/pq.js';
import { takeRandom, type CryptoProvider, type RandomSource } from '../crypto/provider.js';
import { TELEGRAM_PUBLIC_KEYS, RsaKeyRing } from '../crypto/rsa-keys.js';
import { rsaPadEncrypt, type RsaPublicKey } from '../crypto/rsa.js';
import { Api as Service } from '../generated/service/index.js';
import { AuthKeyError, checkNonces, decodeStep, decryptWithHash, encryptWithHash, innerDataDc, rejected } from './auth-key-common.js';
import { MsgIdGenerator, type MsgIdSource } from './msg-id.js';
import { decodePlainMessage, encodePlainMessage } from './plain-message.js';

export interface AuthKeyExchangeOptions {
  readonly crypto: CryptoProvider;
  /** Nonces, new_nonce, RSA_PAD padding and temp keys, b, IGE padding, in that order. Default: crypto.randomBytes. */
  readonly random?: RandomSource;
  /** Local clock in unix ms (time offset, default msg_ids). Default Date.now. */
  readonly now?: () => number;
  /** msg_ids for the three client messages. Default: a MsgIdGenerator on `now`. */
  readonly msgIds?: MsgIdSource;
  /** Keys we may encrypt p_q_inner_data for; the first of resPQ's fingerprints found here is used. Default: Telegram's. */
  readonly publicKeys?: readonly RsaPublicKey[];
  readonly dcId: number;
  readonly test?: boolean;
  readonly media?: boolean;
  /** Create a temporary key (p_q_inner_data_temp*) valid for this many seconds. */
  readonly temp?: { readonly expiresIn: number };
  /**
   * 'dc' (default) sends p_q_inner_data_dc / _temp_dc; 'legacy' the older p_q_inner_data / _temp without
   * the dc field, still sent by some clients and used by recorded handshakes.
   */
  readonly innerDataVariant?: 'dc' | 'legacy';
}

export interface AuthKeyResult {
  /** 256 bytes, big-endian g_ab mod dh_prime. */
  readonly authKey: Uint8Array;
  /** SHA1(auth_key)[12:20], as it prefixes encrypted messages. */
  readonly authKeyId: Uint8Array;
  /** The same 8 bytes read as the TL long they are. */
  readonly authKeyIdLong: bigint;
  /** new_nonce[0:8] XOR server_nonce[0:8] as a TL long. */
  readonly serverSalt: bigint;
  /** Seconds to add to the local clock to get the server's: server_time - local unixtime. */
  readonly timeOffset: number;
  /** Temporary keys only: server_time + expires_in, the server-clock unixtime the key stops working. */
  readonly expiresAt?: number;
}

export type AuthKeyStep = { readonly send: Uint8Array } | { readonly done: AuthKeyResult };

/** dh_gen_retry answers in a row before giving up; a real server retries once at most. */
const MAX_DH_RETRIES = 5;

interface DhState {
  readonly nonce: Uint8Array;
  readonly serverNonce: Uint8Array;
  readonly newNonce: Uint8Array;
  readonly tmp: AesKeyIv;
  readonly p: bigint;
  readonly g: number;
  readonly gA: bigint;
  readonly serverTime: number;
  readonly timeOffset: number;
}

type State =
  | { readonly step: 'new' | 'done' | 'failed' }
  | { readonly step: 'res_pq'; readonly nonce: Uint8Array }
  | {
      readonly step: 'server_dh';
      readonly nonce: Uint8Array;
      readonly serverNonce: Uint8Array;
      readonly newNonce: Uint8Array;
      readonly tmp: AesKeyIv;
    }
  | { readonly step: 'dh_gen'; readonly dh: DhState; readonly authKey: Uint8Array; readonly retries: number };

export class AuthKeyExchange {
  private readonly crypto: CryptoProvider;
  private readonly random: RandomSource;
  private readonly now: () => number;
  private readonly msgIds: MsgIdSource;
  private readonly keys: RsaKeyRing;
  private state: State = { step: 'new' };

  constructor(private readonly options: AuthKeyExchangeOptions) {
    this.crypto = options.crypto;
    this.random = options.random ?? ((n) => options.crypto.randomBytes(n));
    this.now = options.now ?? Date.now;
    this.msgIds = options.msgIds ?? new MsgIdGenerator(this.now);
    this.keys = new RsaKeyRing(options.publicKeys ?? TELEGRAM_PUBLIC_KEYS);
  }

  /** Whether the exchange has finished, successfully or not. */
  get finished(): boolean {
    return this.state.step === 'done' || this.state.step === 'failed';
  }

  /** The req_pq_multi message. */
  start(): Uint8Array {
    if (this.state.step !== 'new') throw new AuthKeyError('state', 'auth key exchange already started');
    const nonce = takeRandom(this.random, 16).slice();
    this.state = { step: 'res_pq', nonce };
    return this.plain(Service.reqPqMulti.encode({ _: 'req_pq_multi', nonce }));
  }

  /** Handles one server message (a whole unencrypted message). */
  receive(message: Uint8Array): AuthKeyStep {
    const state = this.state;
    if (state.step === 'new' || state.step === 'done' || state.step === 'failed') {
      throw new AuthKeyError('state', `auth key exchange cannot receive in state ${state.step}`);
    }
    this.state = { step: 'failed' }; // until a handler completes, so any throw ends the exchange
    const { body } = decodePlainMessage(message, { sender: 'server' });
    switch (state.step) {
      case 'res_pq':
        return this.onResPQ(state.nonce, body);
      case 'server_dh':
        return this.onServerDhParams(state, body);
      case 'dh_gen':
        return this.onDhGen(state, body);
    }
  }

  private plain(body: Uint8Array): Uint8Array {
    return encodePlainMessage(this.msgIds.next('client'), body);
  }

  /** resPQ → factor pq, encrypt p_q_inner_data* with RSA_PAD, send req_DH_params. */
  private onResPQ(nonce: Uint8Array, body: Uint8Array): AuthKeyStep {
    const res = decodeStep(body, Service.isTypeResPQ, 'res_pq_malformed');
    checkNonces(res, nonce);
    const key = this.keys.pick(res.serverPublicKeyFingerprints);
    if (!key) throw new AuthKeyError('unknown_fingerprint', 'the server offers no RSA key we know');
    const pq = bigIntFromBytes(res.pq);
    let p: bigint, q: bigint;
    try {
      // Returns p < q, both prime, p * q = pq, or throws.
      [p, q] = factorizePQ(pq);
    } catch (error) {
      if (error instanceof PqFactorizationError) throw rejected('pq');
      throw error;
    }
    const serverNonce = res.serverNonce;
    const newNonce = takeRandom(this.random, 32).slice();
    const fields = { pq: res.pq, p: bigIntToBytes(p), q: bigIntToBytes(q), nonce, serverNonce, newNonce };
    const encryptedData = rsaPadEncrypt(this.encodeInnerData(fields), key, this.crypto, this.random);
    const tmp = tmpAesKeyIv(newNonce, serverNonce, this.crypto);
    this.state = { step: 'server_dh', nonce, serverNonce, newNonce, tmp };
    const request = {
      _: 'req_DH_params',
      nonce,
      serverNonce,
      p: fields.p,
      q: fields.q,
      publicKeyFingerprint: key.fingerprint,
      encryptedData,
    } as const;
    return { send: this.plain(Service.reqDHParams.encode(request)) };
  }

  private encodeInnerData(fields: Omit<Service.PQInnerData, '_'>): Uint8Array {
    const { dcId, test, media, temp, innerDataVariant = 'dc' } = this.options;
    if (innerDataVariant === 'legacy') {
      return temp
        ? Service.PQInnerDataTemp.encode({ _: 'p_q_inner_data_temp', ...fields, expiresIn: temp.expiresIn })
        : Service.PQInnerData.encode({ _: 'p_q_inner_data', ...fields });
    }
    const dc = innerDataDc(dcId, test, media);
    return temp
      ? Service.PQInnerDataTempDc.encode({ _: 'p_q_inner_data_temp_dc', ...fields, dc, expiresIn: temp.expiresIn })
      : Service.PQInnerDataDc.encode({ _: 'p_q_inner_data_dc', ...fields, dc });
  }

  /** server_DH_params_ok → decrypt and check server_DH_inner_data and the group, send set_client_DH_params. */
  private onServerDhParams(state: Extract<State, { step: 'server_dh' }>, body: Uint8Array): AuthKeyStep {
    const { nonce, serverNonce, newNonce, tmp } = state;
    const params = decodeStep(body, Service.isTypeServerDHParams, 'server_dh_params_malformed');
    checkNonces(params, nonce, serverNonce);
    if (params._ === 'server_DH_params_fail') {
      if (!constantTimeEqual(params.newNonceHash, dhParamsFailNonceHash(newNonce, this.crypto))) throw rejected('new_nonce_hash');
      throw new AuthKeyError('server_dh_params_fail', 'the server refused req_DH_params');
    }
    const inner = decryptWithHash(params.encryptedAnswer, tmp, this.crypto, Service.ServerDHInnerData.read);
    checkNonces(inner, nonce, serverNonce);
    const p = bigIntFromBytes(inner.dhPrime);
    checkDhParams(p, inner.g, this.crypto);
    const gA = bigIntFromBytes(inner.gA);
    checkDhPublic(gA, p);
    const timeOffset = inner.serverTime - Math.floor(this.now() / 1000);
    const dh: DhState = { nonce, serverNonce, newNonce, tmp, p, g: inner.g, gA, serverTime: inner.serverTime, timeOffset };
    return this.sendClientDh(dh, 0n, 0);
  }

  /** A fresh b, g_b and the auth key it gives; client_DH_inner_data under the tmp key. */
  private sendClientDh(dh: DhState, retryId: bigint, retries: number): AuthKeyStep {
    const { secret, publicValue } = generateDhKeyPair(dh.p, dh.g, this.crypto, { random: this.random });
    const authKey = dhSharedKey(dh.gA, secret, dh.p, this.crypto);
    const { nonce, serverNonce } = dh;
    const inner = Service.ClientDHInnerData.encode({
      _: 'client_DH_inner_data',
      nonce,
      serverNonce,
      retryId,
      gB: bigIntToBytes(publicValue, 256),
    });
    const encryptedData = encryptWithHash(inner, dh.tmp, this.crypto, this.random);
    this.state = { step: 'dh_gen', dh, authKey, retries };
    return { send: this.plain(Service.setClientDHParams.encode({ _: 'set_client_DH_params', nonce, serverNonce, encryptedData })) };
  }

  /** dh_gen_ok → done; dh_gen_retry → again with a new b; dh_gen_fail → AuthKeyError. Each hash checked first. */
  private onDhGen(state: Extract<State, { step: 'dh_gen' }>, body: Uint8Array): AuthKeyStep {
    const { dh, authKey } = state;
    const answer = decodeStep(body, Service.isTypeSetClientDHParamsAnswer, 'dh_gen_malformed');
    checkNonces(answer, dh.nonce, dh.serverNonce);
    const auxHash = authKeyAuxHashFor(authKey, this.crypto);
    const expect = (n: 1 | 2 | 3, got: Uint8Array): void => {
      if (!constantTimeEqual(got, newNonceHash(dh.newNonce, n, auxHash, this.crypto))) throw rejected(`new_nonce_hash${n}`);
    };
    switch (answer._) {
      case 'dh_gen_ok': {
        expect(1, answer.newNonceHash1);
        this.state = { step: 'done' };
        const authKeyId = authKeyIdFor(authKey, this.crypto);
        const { temp } = this.options;
        return {
          done: {
            authKey,
            authKeyId,
            authKeyIdLong: readInt64LE(authKeyId),
            serverSalt: firstServerSalt(dh.newNonce, dh.serverNonce),
            timeOffset: dh.timeOffset,
            ...(temp ? { expiresAt: dh.serverTime + temp.expiresIn } : {}),
          },
        };
      }
      case 'dh_gen_retry':
        expect(2, answer.newNonceHash2);
        if (state.retries >= MAX_DH_RETRIES) throw new AuthKeyError('too_many_retries', 'the server keeps answering dh_gen_retry');
        return this.sendClientDh(dh, readInt64LE(auxHash), state.retries + 1);
      case 'dh_gen_fail':
        expect(3, answer.newNonceHash3);
        throw new AuthKeyError('dh_gen_fail', 'the server refused set_client_DH_params');
    }
  }
}
