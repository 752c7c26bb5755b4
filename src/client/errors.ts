import { MtwireError } from '../base/errors.js';

/**
 * An rpc_error answer. `message` is the server's text (`FLOOD_WAIT_3`, `PHONE_MIGRATE_4`); the number
 * at the end of the flood-wait and migrate errors is parsed for you.
 */
export class RpcError extends MtwireError {
  readonly errorCode: number;
  readonly errorMessage: string;
  /** Seconds to wait, from FLOOD_WAIT_X, FLOOD_PREMIUM_WAIT_X, SLOWMODE_WAIT_X. */
  readonly waitSeconds: number | undefined;
  /** The DC to go to, from PHONE_MIGRATE_X, USER_MIGRATE_X, NETWORK_MIGRATE_X, FILE_MIGRATE_X, STATS_MIGRATE_X. */
  readonly migrateTo: number | undefined;

  constructor(errorCode: number, errorMessage: string, method: string) {
    super('RPC_ERROR', `${method}: ${errorCode} ${errorMessage}`);
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.waitSeconds = trailingNumber(errorMessage, /^(?:FLOOD_WAIT|FLOOD_PREMIUM_WAIT|SLOWMODE_WAIT)_(\d+)$/);
    this.migrateTo = trailingNumber(errorMessage, /^[A-Z]+_MIGRATE_(\d+)$/);
  }
}

function trailingNumber(message: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** The client was closed before the request was answered. */
export class ClientClosedError extends MtwireError {
  constructor() {
    super('CLIENT_CLOSED', 'the client was closed');
  }
}

/** The server refused the message that carried a request (a bad_msg_notification a resend cannot fix). */
export class RequestRejectedError extends MtwireError {
  readonly badMsgCode: number;

  constructor(badMsgCode: number, method: string) {
    super('REQUEST_REJECTED', `${method}: the server rejected the message (bad_msg_notification ${badMsgCode})`);
    this.badMsgCode = badMsgCode;
  }
}

/** No answer within the request's timeout. */
export class RequestTimeoutError extends MtwireError {
  constructor(method: string, timeoutMs: number) {
    super('REQUEST_TIMEOUT', `${method}: no answer within ${timeoutMs} ms`);
  }
}

/**
 * The server may have run the request, but its answer is lost: the server no longer holds it, or
 * forgot the auth key the request went out under. It is not sent again, so it ran once or not at all.
 */
export class OutcomeUnknownError extends MtwireError {
  constructor(method: string) {
    super('OUTCOME_UNKNOWN', `${method}: the server may have run it, but its answer is lost (not sent again)`);
  }
}
