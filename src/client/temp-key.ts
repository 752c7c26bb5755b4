/**
 * Perfect forward secrecy: a temporary auth key, made by its own handshake (p_q_inner_data_temp_dc) and
 * bound to the permanent key with auth.bindTempAuthKey, so that traffic is encrypted with a key that is
 * thrown away when it expires; the permanent key only ever signs the binding.
 *
 * It runs on a short-lived link of its own, beside the client's: the bind must be the first message of
 * its session under the new key and must quote its own msg_id inside the encrypted_message, which a
 * general session (that gives msg_ids as it flushes) cannot promise. The bound key then goes to an
 * MtprotoClient like any saved key.
 */
import { MtwireError } from '../base/errors.js';
import { encryptBindMessage } from '../crypto/bind-message.js';
import { readInt64LE } from '../crypto/bigint.js';
import { decryptMessage, encryptMessage } from '../crypto/message.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { RsaPublicKey } from '../crypto/rsa.js';
import { AuthKeyExchange, type AuthKeyResult } from '../mtproto/auth-key-client.js';
import { buildPlaintext, constructorIdOf, ids, unpackContainer } from '../mtproto/envelope.js';
import { MsgIdGenerator } from '../mtproto/msg-id.js';
import { encodeMethod } from '../api/index.js';
// The namespace itself (see password.ts); auth.bindTempAuthKey is a plain object for the same reason.
import * as Api from '../generated/api/types/index.js';
import { Api as Service } from '../generated/service/index.js';
import { RpcError } from './errors.js';
import { Link, type LinkOptions } from './link.js';

export interface KeyOptions extends LinkOptions {
  readonly publicKeys?: readonly RsaPublicKey[];
  readonly now: () => number;
  readonly timeoutMs?: number;
}

export interface TempKeyOptions extends KeyOptions {
  /** Lifetime asked of the server, seconds. */
  readonly expiresIn: number;
  /** The permanent key to bind to. */
  readonly permanent: { readonly authKey: Uint8Array; readonly authKeyId: Uint8Array };
}

type Next = () => Promise<Uint8Array>;

/** A permanent key for `options.dcId`, from a handshake on a link of its own. */
export function createPermanentKey(options: KeyOptions): Promise<AuthKeyResult> {
  return withLink(options, (link, next) => handshake(options, link, next, undefined));
}

/** A new temporary key for `options.dcId`, already bound to `options.permanent` (expiresAt in server time). */
export function createBoundTempKey(options: TempKeyOptions): Promise<AuthKeyResult & { readonly expiresAt: number }> {
  return withLink(options, async (link, next) => {
    const key = await handshake(options, link, next, { expiresIn: options.expiresIn });
    const expiresAt = key.expiresAt!;
    await bind(options, { ...key, expiresAt }, link, next);
    return { ...key, expiresAt };
  });
}

/** Opens a link, hands its frames to `run` one at a time, and closes it whatever happens. */
async function withLink<T>(options: KeyOptions, run: (link: Link, next: Next) => Promise<T>): Promise<T> {
  const frames: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const link = await Link.open(options, {
    message: (payload) => (frames.push(payload), wake?.()),
    closed: (error) => ((failure = error ?? new MtwireError('KEY_SETUP', 'the connection closed during the key setup')), wake?.()),
  });
  const timeoutMs = options.timeoutMs ?? 15_000;
  const timer = setTimeout(() => ((failure ??= new MtwireError('KEY_SETUP', `no key within ${timeoutMs} ms`)), wake?.()), timeoutMs);
  const next = async (): Promise<Uint8Array> => {
    while (!frames.length) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    return frames.shift()!;
  };
  try {
    return await run(link, next);
  } finally {
    clearTimeout(timer);
    link.close();
  }
}

async function handshake(options: KeyOptions, link: Link, next: Next, temp: { expiresIn: number } | undefined): Promise<AuthKeyResult> {
  const { crypto, now, publicKeys, dcId, test } = options;
  const exchange = new AuthKeyExchange({ crypto, now, publicKeys, dcId, test, ...(temp && { temp }) });
  link.send(exchange.start());
  for (;;) {
    const step = exchange.receive(await next());
    if ('done' in step) return step.done;
    link.send(step.send);
  }
}

/** Sends the bind as message one of a fresh session and waits for its rpc_result. */
async function bind(options: TempKeyOptions, key: AuthKeyResult & { expiresAt: number }, link: Link, next: Next): Promise<void> {
  const crypto: CryptoProvider = options.crypto;
  const sessionId = readInt64LE(crypto.randomBytes(8));
  const nonce = readInt64LE(crypto.randomBytes(8));
  const msgId = new MsgIdGenerator(options.now, key.timeOffset).next('client');
  const permAuthKeyId = readInt64LE(options.permanent.authKeyId);
  const inner = Service.BindAuthKeyInner.encode({
    _: 'bind_auth_key_inner',
    nonce,
    tempAuthKeyId: key.authKeyIdLong,
    permAuthKeyId,
    tempSessionId: sessionId,
    expiresAt: key.expiresAt,
  });
  const encryptedMessage = encryptBindMessage(options.permanent, msgId, inner, crypto);
  const bind: Api.auth.bindTempAuthKey = { _: 'auth.bindTempAuthKey', permAuthKeyId, nonce, expiresAt: key.expiresAt, encryptedMessage };
  const body = encodeMethod(bind);
  const plaintext = buildPlaintext(key.serverSalt, sessionId, msgId, 1, body);
  link.send(encryptMessage({ authKey: key.authKey, authKeyId: key.authKeyId, plaintext, x: 0, provider: crypto }));
  for (;;) {
    const message = decryptMessage(key.authKey, key.authKeyId, await next(), 8, { provider: crypto, sessionId });
    const parts = constructorIdOf(message.body) === ids.msgContainer ? unpackContainer(message.body) : [message];
    for (const { body: part } of parts) {
      if (constructorIdOf(part) !== ids.rpcResult || readInt64LE(part, 4) !== msgId) continue;
      const result = part.subarray(12);
      if (constructorIdOf(result) === ids.rpcError) {
        const error = Service.RpcError.decode(result);
        throw new RpcError(error.errorCode, error.errorMessage, 'auth.bindTempAuthKey');
      }
      if (constructorIdOf(result) !== Api.BoolTrue.id) throw new MtwireError('KEY_SETUP', 'auth.bindTempAuthKey did not answer boolTrue');
      return;
    }
  }
}
