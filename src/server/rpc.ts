/**
 * How the test server runs API calls: typed handlers by method name, the context they get, and the
 * rule that every call ends in a result or an rpc_error (a handler that throws something other than
 * ServerRpcError is a bug in the handler: logged, answered with 500).
 */
import { MtwireError } from '../base/errors.js';
import type { Api, TlObject } from '../api/index.js';
import { rpcError, type ConnectionInfo } from './api-session.js';
import type { ClusterState } from './cluster-state.js';
import type { TestUsers } from './users.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type ServerLog = (level: LogLevel, message: string, data?: Record<string, unknown>) => void;

/** Thrown by handlers to answer with rpc_error (e.g. `new ServerRpcError(400, 'USER_ID_INVALID')`). */
export class ServerRpcError extends MtwireError {
  constructor(
    readonly errorCode: number,
    readonly errorMessage: string,
  ) {
    super('RPC_ERROR', `${errorCode} ${errorMessage}`);
  }
}

export type MethodName = keyof Api.MethodResults;
export type MethodOf<N extends MethodName> = Extract<Api.AnyMethod, { _: N }>;
export type RpcHandler<N extends MethodName = MethodName> = (
  query: MethodOf<N>,
  context: RpcContext,
) => Api.MethodResults[N] | Promise<Api.MethodResults[N]>;

/** What the server offers every handler. */
export interface ServerServices {
  readonly users: TestUsers;
  readonly dcId: number;
  readonly host: string;
  /** The TCP port clients are told about in help.getConfig (0 when only WebSocket is served). */
  readonly tcpPort: number;
  /** What the data centers of this server's cluster share (homes, passwords, exported authorizations). */
  readonly cluster: ClusterState;
  /** Sends `updates` to every signed-in session of the user (queued for sessions that are offline). */
  pushUpdate(userId: bigint, updates: Api.TypeUpdates): void;
  /** Server clock, unix seconds. */
  nowSeconds(): number;
  randomBytes(length: number): Uint8Array;
  log: ServerLog;
}

/** One call: who made it, over which session, and what the client said in initConnection. */
export interface RpcContext {
  readonly server: ServerServices;
  /** The auth key as 16 hex digits (auth_key_id). */
  readonly authKeyId: string;
  readonly sessionId: bigint;
  /** The msg_id of the message that carried the call. */
  readonly msgId: bigint;
  readonly layer: number | undefined;
  readonly connection: ConnectionInfo | undefined;
  /** The signed-in user of this auth key, if any. */
  readonly userId: bigint | undefined;
  /** The signed-in user, or 401 AUTH_KEY_UNREGISTERED. */
  requireUser(): bigint;
  /** Signs this auth key in as `userId` (every session of the key). */
  bindUser(userId: bigint): void;
  unbindUser(): void;
  /** The user who passed the phone code on this key and still owes the cloud password. */
  passwordPendingFor: bigint | undefined;
  /** Runs auth.bindTempAuthKey's checks and binds this (temporary) key; throws the rpc_error otherwise. */
  bindTempAuthKey(query: Api.auth.bindTempAuthKey): void;
}

export class RpcHandlers {
  private readonly table = new Map<string, RpcHandler<never>>();

  register<N extends MethodName>(method: N, handler: RpcHandler<N>): void {
    this.table.set(method, handler as unknown as RpcHandler<never>);
  }

  has(method: string): boolean {
    return this.table.has(method);
  }

  /** The result of `query`, or an rpc_error object: never throws, never hangs on a missing handler. */
  async run(query: TlObject, context: RpcContext): Promise<unknown> {
    const handler = this.table.get(query._);
    if (!handler) return rpcError(400, 'METHOD_NOT_SUPPORTED');
    try {
      return await handler(query as never, context);
    } catch (err) {
      if (err instanceof ServerRpcError) return rpcError(err.errorCode, err.errorMessage);
      context.server.log('error', `handler for ${query._} threw`, { error: err instanceof Error ? err.message : String(err) });
      return rpcError(500, 'INTERNAL_SERVER_ERROR');
    }
  }
}
