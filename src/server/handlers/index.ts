/** The handlers every test server starts with; `registerHandler` adds to or replaces them. */
import type { RpcHandlers } from '../rpc.js';
import { registerAccountHandlers } from './accounts.js';
import { registerAuthHandlers } from './auth.js';
import { registerCallHandlers } from './calls.js';
import { registerConfigHandlers } from './config.js';
import { registerUserHandlers } from './users.js';

export function registerBuiltinHandlers(handlers: RpcHandlers): void {
  registerAuthHandlers(handlers);
  registerAccountHandlers(handlers);
  registerConfigHandlers(handlers);
  registerUserHandlers(handlers);
  registerCallHandlers(handlers);
}

export { TEST_PHONE_CODE, TEST_PHONE_CODE_HASH } from './auth.js';
export { MIN_CALL_LAYER, TEST_REFLECTOR } from './calls.js';
export { DH_CONFIG_G, DH_CONFIG_VERSION, testConfig } from './config.js';
