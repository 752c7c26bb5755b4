/**
 * The in-process MTProto test server (Node only), for end-to-end tests of clients: see test-server.ts.
 */
export { startTestServer } from './test-server.js';
export { startTestCluster, type TestCluster, type TestClusterOptions } from './cluster.js';
export type { FloodLimit, DcEndpoint } from './cluster-state.js';
export type { ServerState, TestServer, TestServerOptions, TestServerTransport, TestServerUsage } from './test-server.js';
export { DEFAULT_SERVER_LIMITS } from './limits.js';
export type { ServerLimits } from './limits.js';
export { ServerRpcError, RpcHandlers } from './rpc.js';
export type { LogLevel, MethodName, MethodOf, RpcContext, RpcHandler, ServerLog, ServerServices } from './rpc.js';
export { DEFAULT_TEST_USERS, TestUsers } from './users.js';
export type { TestUser } from './users.js';
export {
  DH_CONFIG_G,
  DH_CONFIG_VERSION,
  MIN_CALL_LAYER,
  TEST_PHONE_CODE,
  TEST_PHONE_CODE_HASH,
  TEST_REFLECTOR,
  testConfig,
} from './handlers/index.js';
