/** Calls about the signed-in user and the others: users.getUsers and updates.getState. */
import type { Api } from '../../api/index.js';
import type { RpcHandlers } from '../rpc.js';

export function registerUserHandlers(handlers: RpcHandlers): void {
  handlers.register('users.getUsers', (query, context) => {
    const viewer = context.requireUser();
    // Like Telegram, ids that resolve to nobody are left out rather than failing the whole call.
    const found: Api.TypeUser[] = [];
    for (const input of query.id) {
      const user = context.server.users.find(input, viewer);
      if (user) found.push(context.server.users.toApi(user, viewer));
    }
    return found;
  });

  // The test server keeps no update sequence: updates carry seq 0, so a client never sees a gap.
  handlers.register('updates.getState', (_query, context) => {
    context.requireUser();
    return { _: 'updates.state', pts: 1, qts: 0, date: Math.floor(context.server.nowSeconds()), seq: 0, unreadCount: 0 };
  });
}
