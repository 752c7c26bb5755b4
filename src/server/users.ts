/**
 * The test server's in-memory accounts. A client becomes one of them by signing in (see
 * handlers/auth.ts); the call handlers look callees up here and honour their call settings.
 */
import type { Api } from '../api/index.js';
import { ServerRpcError } from './rpc.js';

export interface TestUser {
  readonly id: bigint;
  readonly accessHash: bigint;
  readonly firstName: string;
  readonly lastName?: string;
  readonly username?: string;
  /** Digits only, as Telegram stores it (`42000000001`); auth.signIn accepts it with or without `+`. */
  readonly phone: string;
  /** The data center the account lives on, in a multi-DC cluster (startTestCluster); any DC when absent. */
  readonly homeDc?: number;
  /** A cloud password: signing in then needs auth.checkPassword with its SRP proof. */
  readonly password?: string;
  /** Refuse incoming calls: 'blocked' → USER_IS_BLOCKED (the callee blocked the caller), 'privacy' → USER_PRIVACY_RESTRICTED. */
  readonly refuseCalls?: 'blocked' | 'privacy';
}

/** Alice and Bob call each other; Carol's privacy settings refuse calls; Dave has blocked everyone. */
export const DEFAULT_TEST_USERS: readonly TestUser[] = [
  { id: 1000001n, accessHash: 0x1111_0000_0000_0001n, firstName: 'Alice', username: 'alice', phone: '42000000001' },
  { id: 1000002n, accessHash: 0x2222_0000_0000_0002n, firstName: 'Bob', username: 'bob', phone: '42000000002' },
  { id: 1000003n, accessHash: 0x3333_0000_0000_0003n, firstName: 'Carol', phone: '42000000003', refuseCalls: 'privacy' },
  { id: 1000004n, accessHash: 0x4444_0000_0000_0004n, firstName: 'Dave', phone: '42000000004', refuseCalls: 'blocked' },
];

export class TestUsers {
  private readonly byId = new Map<bigint, TestUser>();

  constructor(users: readonly TestUser[] = DEFAULT_TEST_USERS) {
    for (const user of users) this.add(user);
  }

  add(user: TestUser): void {
    this.byId.set(user.id, user);
  }

  get(id: bigint): TestUser | undefined {
    return this.byId.get(id);
  }

  byPhone(phone: string): TestUser | undefined {
    const digits = phone.replace(/^\+/, '');
    return [...this.byId.values()].find((u) => u.phone === digits);
  }

  all(): TestUser[] {
    return [...this.byId.values()];
  }

  /** The user an InputUser names, as seen by `viewer`: inputUserSelf is the viewer, inputUser needs the right access hash. */
  find(input: Api.TypeInputUser, viewer: bigint): TestUser | undefined {
    if (input._ === 'inputUserSelf') return this.byId.get(viewer);
    if (input._ !== 'inputUser') return undefined;
    const user = this.byId.get(input.userId);
    return user?.accessHash === input.accessHash ? user : undefined;
  }

  /** Like `find`, but a user that is not found is USER_ID_INVALID. */
  resolve(input: Api.TypeInputUser, viewer: bigint): TestUser {
    const user = this.find(input, viewer);
    if (!user) throw new ServerRpcError(400, 'USER_ID_INVALID');
    return user;
  }

  /** The `user` object `viewer` receives. */
  toApi(user: TestUser, viewer: bigint | undefined): Api.User {
    const api: Api.User = {
      _: 'user',
      id: user.id,
      accessHash: user.accessHash,
      firstName: user.firstName,
      phone: user.phone,
      status: { _: 'userStatusRecently' },
    };
    if (user.id === viewer) api.self = true;
    if (user.lastName !== undefined) api.lastName = user.lastName;
    if (user.username !== undefined) api.username = user.username;
    return api;
  }
}
