export { MtprotoClient, type ClientOptions, type ClientState, type Logger, type LogLevel } from './client.js';
export type { SavedSession, SavedRequest, RestoredOutcome } from './saved-session.js';
export { RpcError, ClientClosedError, RequestRejectedError, RequestTimeoutError, OutcomeUnknownError } from './errors.js';
export type { TransportOptions } from './link.js';
