/**
 * How a test client becomes one of the server's users. Two ways, both real API methods:
 *
 * - `auth.importBotAuthorization` with `bot_auth_token` = `'<user id>:<anything>'` — a bot token starts
 *   with the bot's user id, so the token names the account (e.g. `'1000001:test'` signs in as Alice);
 * - the phone flow: `auth.sendCode` for the user's phone (answered with phone_code_hash
 *   TEST_PHONE_CODE_HASH), then `auth.signIn` with that hash and the code TEST_PHONE_CODE ('12345').
 *
 * Either binds the connection's auth key to the user; `auth.logOut` unbinds it. In a multi-DC cluster a
 * user homed elsewhere gets PHONE_MIGRATE_X (phone flow) or USER_MIGRATE_X (bot token); a user with a
 * cloud password gets SESSION_PASSWORD_NEEDED after the code and signs in with auth.checkPassword
 * (handlers/accounts.ts).
 */
import type { Api } from '../../api/index.js';
import { ServerRpcError, type RpcContext, type RpcHandlers } from '../rpc.js';
import type { TestUser } from '../users.js';

export const TEST_PHONE_CODE = '12345';
export const TEST_PHONE_CODE_HASH = 'mtwire-test';

export function signIn(user: TestUser, context: RpcContext): Api.auth.Authorization {
  context.passwordPendingFor = undefined;
  context.bindUser(user.id);
  return { _: 'auth.authorization', user: context.server.users.toApi(user, user.id) };
}

export function registerAuthHandlers(handlers: RpcHandlers): void {
  handlers.register('auth.importBotAuthorization', (query, context) => {
    const match = /^(\d+):/.exec(query.botAuthToken);
    const user = match ? context.server.users.get(BigInt(match[1]!)) : undefined;
    if (!user) throw new ServerRpcError(400, 'ACCESS_TOKEN_INVALID');
    context.server.cluster.requireHome(user, context.server.dcId, 'USER');
    return signIn(user, context);
  });

  handlers.register('auth.sendCode', (query, context) => {
    const user = context.server.users.byPhone(query.phoneNumber);
    if (!user) throw new ServerRpcError(400, 'PHONE_NUMBER_INVALID');
    context.server.cluster.requireHome(user, context.server.dcId, 'PHONE');
    return { _: 'auth.sentCode', type: { _: 'auth.sentCodeTypeApp', length: TEST_PHONE_CODE.length }, phoneCodeHash: TEST_PHONE_CODE_HASH };
  });

  handlers.register('auth.signIn', (query, context) => {
    const user = context.server.users.byPhone(query.phoneNumber);
    if (!user) throw new ServerRpcError(400, 'PHONE_NUMBER_UNOCCUPIED');
    context.server.cluster.requireHome(user, context.server.dcId, 'PHONE');
    if (query.phoneCodeHash !== TEST_PHONE_CODE_HASH) throw new ServerRpcError(400, 'PHONE_CODE_EXPIRED');
    if (query.phoneCode !== TEST_PHONE_CODE) throw new ServerRpcError(400, 'PHONE_CODE_INVALID');
    if (context.server.cluster.hasPassword(user)) {
      context.passwordPendingFor = user.id;
      throw new ServerRpcError(401, 'SESSION_PASSWORD_NEEDED');
    }
    return signIn(user, context);
  });

  handlers.register('auth.logOut', (_query, context) => {
    context.requireUser();
    context.unbindUser();
    return { _: 'auth.loggedOut' };
  });
}
