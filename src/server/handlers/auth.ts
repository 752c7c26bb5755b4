/**
 * How a test client becomes one of the server's users. Two ways, both real API methods:
 *
 * - `auth.importBotAuthorization` with `bot_auth_token` = `'<user id>:<anything>'` — a bot token starts
 *   with the bot's user id, so the token names the account (e.g. `'1000001:test'` signs in as Alice);
 * - the phone flow: `auth.sendCode` for the user's phone (answered with phone_code_hash
 *   TEST_PHONE_CODE_HASH), then `auth.signIn` with that hash and the code TEST_PHONE_CODE ('12345').
 *
 * Either binds the connection's auth key to the user; `auth.logOut` unbinds it.
 */
import type { Api } from '../../api/index.js';
import { ServerRpcError, type RpcContext, type RpcHandlers } from '../rpc.js';
import type { TestUser } from '../users.js';

export const TEST_PHONE_CODE = '12345';
export const TEST_PHONE_CODE_HASH = 'mtwire-test';

function signIn(user: TestUser, context: RpcContext): Api.auth.Authorization {
  context.bindUser(user.id);
  return { _: 'auth.authorization', user: context.server.users.toApi(user, user.id) };
}

export function registerAuthHandlers(handlers: RpcHandlers): void {
  handlers.register('auth.importBotAuthorization', (query, context) => {
    const match = /^(\d+):/.exec(query.botAuthToken);
    const user = match ? context.server.users.get(BigInt(match[1]!)) : undefined;
    if (!user) throw new ServerRpcError(400, 'ACCESS_TOKEN_INVALID');
    return signIn(user, context);
  });

  handlers.register('auth.sendCode', (query, context) => {
    if (!context.server.users.byPhone(query.phoneNumber)) throw new ServerRpcError(400, 'PHONE_NUMBER_INVALID');
    return { _: 'auth.sentCode', type: { _: 'auth.sentCodeTypeApp', length: TEST_PHONE_CODE.length }, phoneCodeHash: TEST_PHONE_CODE_HASH };
  });

  handlers.register('auth.signIn', (query, context) => {
    const user = context.server.users.byPhone(query.phoneNumber);
    if (!user) throw new ServerRpcError(400, 'PHONE_NUMBER_UNOCCUPIED');
    if (query.phoneCodeHash !== TEST_PHONE_CODE_HASH) throw new ServerRpcError(400, 'PHONE_CODE_EXPIRED');
    if (query.phoneCode !== TEST_PHONE_CODE) throw new ServerRpcError(400, 'PHONE_CODE_INVALID');
    return signIn(user, context);
  });

  handlers.register('auth.logOut', (_query, context) => {
    context.requireUser();
    context.unbindUser();
    return { _: 'auth.loggedOut' };
  });
}
