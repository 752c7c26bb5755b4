/**
 * A hand-driven server for the client's failure tests: it knows the client's nonce and new_nonce (the
 * client's RNG is seeded) and builds each server message from fields a test may override or corrupt.
 */
import { bigIntFromBytes, bigIntToBytes } from '../../src/crypto/bigint.js';
import { dhSharedKey, generateDhKeyPair, TELEGRAM_DH_PRIME } from '../../src/crypto/dh.js';
import { authKeyAuxHashFor, dhParamsFailNonceHash, newNonceHash, tmpAesKeyIv, withSha1AndPadding } from '../../src/crypto/handshake-kdf.js';
import { aesIgeEncrypt } from '../../src/crypto/ige.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { TELEGRAM_PRODUCTION_KEY } from '../../src/crypto/rsa-keys.js';
import { decryptWithHash } from '../../src/mtproto/auth-key-common.js';
import { AuthKeyExchange, type AuthKeyExchangeOptions, type AuthKeyStep } from '../../src/mtproto/auth-key-client.js';
import { Api } from '../../src/api/index.js';
import { bodyOf, filled, fromServer, seededRandom } from './helpers.js';

export const T0 = 1_735_910_891_000;
/** From the official samples: 1141464581 * 1202243663. */
const PQ = 1372318559046200203n;

export interface DhParamsOverrides {
  inner?: Partial<Api.ServerDHInnerData>;
  outer?: Partial<Api.ServerDHParamsOk>;
  /** Rewrites SHA1(answer) + answer + padding before encryption. */
  plaintext?: (plain: Uint8Array) => Uint8Array;
}

export class ScriptedServer {
  readonly crypto = nodeCrypto;
  readonly nonce = filled(16, 0x11);
  readonly serverNonce = filled(16, 0x33);
  readonly newNonce = filled(32, 0x22);
  readonly tmp = tmpAesKeyIv(this.newNonce, this.serverNonce, this.crypto);
  readonly dh = generateDhKeyPair(TELEGRAM_DH_PRIME, 3, this.crypto);

  client(options: Partial<AuthKeyExchangeOptions> = {}): AuthKeyExchange {
    const client = new AuthKeyExchange({
      crypto: this.crypto,
      random: seededRandom(this.nonce, this.newNonce),
      now: () => T0,
      publicKeys: [TELEGRAM_PRODUCTION_KEY],
      dcId: 2,
      ...options,
    });
    client.start();
    return client;
  }

  resPQ(over: Partial<Api.ResPQ> = {}): Uint8Array {
    return fromServer(
      Api.ResPQ.encode({
        _: 'resPQ',
        nonce: this.nonce,
        serverNonce: this.serverNonce,
        pq: bigIntToBytes(PQ),
        serverPublicKeyFingerprints: [TELEGRAM_PRODUCTION_KEY.fingerprint],
        ...over,
      }),
    );
  }

  dhParamsOk(over: DhParamsOverrides = {}): Uint8Array {
    const inner = Api.ServerDHInnerData.encode({
      _: 'server_DH_inner_data',
      nonce: this.nonce,
      serverNonce: this.serverNonce,
      g: 3,
      dhPrime: bigIntToBytes(TELEGRAM_DH_PRIME),
      gA: bigIntToBytes(this.dh.publicValue, 256),
      serverTime: T0 / 1000,
      ...over.inner,
    });
    const plain = (over.plaintext ?? ((x) => x))(withSha1AndPadding(inner, this.crypto));
    const encryptedAnswer = aesIgeEncrypt(plain, this.tmp.key, this.tmp.iv);
    return fromServer(
      Api.ServerDHParamsOk.encode({
        _: 'server_DH_params_ok',
        nonce: this.nonce,
        serverNonce: this.serverNonce,
        encryptedAnswer,
        ...over.outer,
      }),
    );
  }

  dhParamsFail(newNonceHash = dhParamsFailNonceHash(this.newNonce, this.crypto)): Uint8Array {
    return fromServer(
      Api.ServerDHParamsFail.encode({ _: 'server_DH_params_fail', nonce: this.nonce, serverNonce: this.serverNonce, newNonceHash }),
    );
  }

  /** The client_DH_inner_data inside a set_client_DH_params the client sent. */
  clientInner(step: AuthKeyStep): Api.ClientDHInnerData {
    if (!('send' in step)) throw new Error('expected set_client_DH_params');
    const request = Api.setClientDHParams.decode(bodyOf(step.send));
    return decryptWithHash(request.encryptedData, this.tmp, this.crypto, Api.ClientDHInnerData.read);
  }

  /** A client waiting for dh_gen_*, and the auth key it computed. */
  atDhGen(): { client: AuthKeyExchange; authKey: Uint8Array } {
    const client = this.client();
    client.receive(this.resPQ());
    const inner = this.clientInner(client.receive(this.dhParamsOk()));
    return { client, authKey: this.authKeyFor(inner) };
  }

  authKeyFor(inner: Api.ClientDHInnerData): Uint8Array {
    return dhSharedKey(bigIntFromBytes(inner.gB), this.dh.secret, TELEGRAM_DH_PRIME, this.crypto);
  }

  /** dh_gen_ok (1), dh_gen_retry (2) or dh_gen_fail (3) with the right hash for `authKey` unless overridden. */
  dhGen(n: 1 | 2 | 3, authKey: Uint8Array, over: { hash?: Uint8Array; serverNonce?: Uint8Array } = {}): Uint8Array {
    const hash = over.hash ?? newNonceHash(this.newNonce, n, authKeyAuxHashFor(authKey, this.crypto), this.crypto);
    const fields = { nonce: this.nonce, serverNonce: over.serverNonce ?? this.serverNonce };
    const body =
      n === 1
        ? Api.DhGenOk.encode({ _: 'dh_gen_ok', ...fields, newNonceHash1: hash })
        : n === 2
          ? Api.DhGenRetry.encode({ _: 'dh_gen_retry', ...fields, newNonceHash2: hash })
          : Api.DhGenFail.encode({ _: 'dh_gen_fail', ...fields, newNonceHash3: hash });
    return fromServer(body);
  }
}
