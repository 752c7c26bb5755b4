export { MtprotoClient, type ClientOptions, type ClientState, type Logger, type LogLevel, type SavedSession } from './client.js';
export { RpcError, ClientClosedError, RequestRejectedError, RequestTimeoutError } from './errors.js';
export type { TransportOptions } from './link.js';
