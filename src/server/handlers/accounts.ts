/**
 * What a multi-DC account needs: moving an authorization to another data center
 * (auth.exportAuthorization / auth.importAuthorization), the cloud password (account.getPassword,
 * auth.checkPassword with the SRP proof), temporary keys (auth.bindTempAuthKey, temp-keys.ts) and files
 * stored on one DC (upload.getFile, FILE_MIGRATE_X).
 */
import { ServerRpcError, type RpcContext, type RpcHandlers } from '../rpc.js';
import type { TestUser } from '../users.js';
import { signIn } from './auth.js';

/** The signed-in user, or the one who owes the password on this key. */
function accountOf(context: RpcContext): TestUser {
  const id = context.userId ?? context.passwordPendingFor;
  const user = id === undefined ? undefined : context.server.users.get(id);
  if (!user) throw new ServerRpcError(401, 'AUTH_KEY_UNREGISTERED');
  return user;
}

export function registerAccountHandlers(handlers: RpcHandlers): void {
  handlers.register('auth.exportAuthorization', (query, context) =>
    context.server.cluster.exportAuthorization(context.requireUser(), query.dcId),
  );

  handlers.register('auth.importAuthorization', (query, context) => {
    const userId = context.server.cluster.importAuthorization(query.id, query.bytes, context.server.dcId);
    const user = context.server.users.get(userId);
    if (!user) throw new ServerRpcError(400, 'AUTH_BYTES_INVALID');
    return signIn(user, context);
  });

  handlers.register('account.getPassword', (_query, context) => context.server.cluster.passwordInfo(accountOf(context)));

  handlers.register('auth.checkPassword', (query, context) => {
    const pending = context.passwordPendingFor;
    const user = pending === undefined ? undefined : context.server.users.get(pending);
    if (!user) throw new ServerRpcError(400, 'PASSWORD_HASH_INVALID');
    context.server.cluster.checkPassword(user, query.password);
    return signIn(user, context);
  });

  handlers.register('auth.bindTempAuthKey', (query, context) => {
    context.bindTempAuthKey(query);
    return true;
  });

  handlers.register('upload.getFile', (query, context) => {
    context.requireUser();
    const location = query.location;
    const file = location._ === 'inputDocumentFileLocation' ? context.server.cluster.files.get(location.id) : undefined;
    if (!file || location._ !== 'inputDocumentFileLocation' || file.accessHash !== location.accessHash) {
      throw new ServerRpcError(400, 'FILE_REFERENCE_INVALID');
    }
    if (file.dcId !== context.server.dcId) throw new ServerRpcError(303, `FILE_MIGRATE_${file.dcId}`);
    if (query.offset < 0n || query.limit <= 0) throw new ServerRpcError(400, 'LIMIT_INVALID');
    const start = Number(query.offset);
    return {
      _: 'upload.file',
      type: { _: 'storage.filePartial' },
      mtime: Math.floor(context.server.nowSeconds()),
      bytes: file.bytes.subarray(start, start + query.limit),
    };
  });
}
