/**
 * Signing in through a cloud password (2FA): the SRP proof from account.Password and the password text
 * (core.telegram.org/api/srp), and a helper that runs account.getPassword → auth.checkPassword.
 */
import { MtwireError } from '../base/errors.js';
import { defaultCrypto } from '../crypto/default.js';
import type { CryptoProvider, RandomSource } from '../crypto/provider.js';
import { srpProve } from '../crypto/srp.js';
import type { TlObject } from '../api/index.js';
// The namespace itself, not the `Api` that api/index.js re-exports: a bundle then keeps only the top-level
// entries used. The requests are plain objects: a value in a nested namespace (`Api.auth.x`) keeps every
// entry of `Api.auth`, each with its reader and writer.
import * as Api from '../generated/api/types/index.js';

/** Something that can send requests: MtprotoClient, MultiDcClient or a test double (results typed by the caller). */
export interface Invoker {
  invoke<M extends TlObject>(request: M): Promise<unknown>;
}

/**
 * inputCheckPasswordSRP for `password`. The group (p, g) and srp_B are checked before any hashing
 * (SecurityError on a bad one); an account without a password or with an algorithm other than
 * SHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow is an MtwireError.
 */
export function passwordCheck(
  info: Api.account.Password,
  password: string,
  crypto: CryptoProvider,
  options: { random?: RandomSource } = {},
): Api.InputCheckPasswordSRP {
  const algo = info.currentAlgo;
  if (!info.hasPassword || !algo || info.srpB === undefined || info.srpId === undefined) {
    throw new MtwireError('NO_PASSWORD', 'account.password: the account has no cloud password to check');
  }
  if (algo._ !== 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow') {
    throw new MtwireError('PASSWORD_ALGO_UNKNOWN', `account.password: current_algo is ${algo._}, which this client cannot compute`);
  }
  const proof = srpProve(algo, info.srpB, new TextEncoder().encode(password), crypto, options);
  return new Api.InputCheckPasswordSRP({ srpId: info.srpId, A: proof.A, M1: proof.M1 });
}

/**
 * Finishes a sign-in that answered SESSION_PASSWORD_NEEDED: fetches the current challenge, proves the
 * password, and returns auth.checkPassword's answer (RpcError PASSWORD_HASH_INVALID for a wrong one).
 */
export async function signInWithPassword(
  client: Invoker,
  password: string,
  crypto: CryptoProvider = defaultCrypto(),
): Promise<Api.auth.TypeAuthorization> {
  const info = (await client.invoke({ _: 'account.getPassword' } satisfies Api.account.getPassword)) as Api.account.Password;
  const check: Api.auth.checkPassword = { _: 'auth.checkPassword', password: passwordCheck(info, password, crypto) };
  return (await client.invoke(check)) as Api.auth.TypeAuthorization;
}
