/**
 * auth.bindTempAuthKey on the server: every check core.telegram.org/method/auth.bindTempAuthKey names.
 * The call must come under the temporary key it binds, and its encrypted_message, decrypted under the
 * permanent key (MTProto 1.0 scheme), must repeat what the call and its envelope say: nonce, both key
 * ids, the session it arrived in, expires_at, and the call's own msg_id.
 */
import { decryptBindMessage } from '../crypto/bind-message.js';
import { bigIntToBytes, readInt64LE } from '../crypto/bigint.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { SecurityError } from '../crypto/security-error.js';
import { Api, TlDecodeError } from '../api/index.js';
import type { AuthKeyRegistry, ServerAuthKey } from './auth-keys.js';
import { ServerRpcError } from './rpc.js';

export interface BindContext {
  readonly keys: AuthKeyRegistry;
  /** The key the call came under: the temporary one. */
  readonly key: ServerAuthKey;
  readonly sessionId: bigint;
  readonly msgId: bigint;
  readonly crypto: CryptoProvider;
  readonly nowSeconds: number;
}

/** Binds `context.key` to the permanent key the call names, or throws the rpc_error Telegram answers. */
export function bindTempKey(query: Api.auth.bindTempAuthKey, context: BindContext): void {
  const temp = context.key;
  if (temp.expiresAt === undefined) throw new ServerRpcError(400, 'TEMP_AUTH_KEY_EMPTY');
  if (temp.permanent) throw new ServerRpcError(400, 'TEMP_AUTH_KEY_ALREADY_BOUND');
  const permanent = context.keys.get(bigIntToBytes(BigInt.asUintN(64, query.permAuthKeyId), 8).reverse());
  const invalid = new ServerRpcError(400, 'ENCRYPTED_MESSAGE_INVALID');
  if (!permanent || permanent.expiresAt !== undefined) throw invalid;
  let inner: Api.BindAuthKeyInner;
  let msgId: bigint;
  try {
    const opened = decryptBindMessage(permanent, query.encryptedMessage, context.crypto);
    inner = Api.BindAuthKeyInner.decode(opened.inner);
    msgId = opened.msgId;
  } catch (error) {
    if (error instanceof SecurityError || error instanceof TlDecodeError) throw invalid;
    throw error;
  }
  const matches =
    msgId === context.msgId &&
    inner.nonce === query.nonce &&
    inner.tempAuthKeyId === readInt64LE(temp.authKeyId) &&
    inner.permAuthKeyId === query.permAuthKeyId &&
    inner.tempSessionId === context.sessionId &&
    inner.expiresAt === query.expiresAt;
  if (!matches) throw invalid;
  // A binding may shorten the temporary key's life, never lengthen it past what the handshake granted.
  if (query.expiresAt <= context.nowSeconds || query.expiresAt > temp.expiresAt) throw new ServerRpcError(400, 'EXPIRES_AT_INVALID');
  temp.permanent = permanent;
  temp.expiresAt = query.expiresAt;
}
