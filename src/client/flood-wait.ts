/**
 * FLOOD_WAIT_X: the server asks the client to wait X seconds before the same call. Short waits are
 * slept through and the call retried, as a user would want; long ones become a typed error at once, so
 * a program never hangs for an hour without being told.
 */
import { MtwireError } from '../base/errors.js';
import { RpcError } from './errors.js';

export interface FloodWaitPolicy {
  /** Waits up to this many seconds are slept and retried (default 10; 0 never sleeps). */
  readonly maxSleepSeconds?: number;
  /** Retries of one call before its FLOOD_WAIT is thrown anyway (default 3). */
  readonly maxRetries?: number;
  /** Default setTimeout; tests inject a fake clock. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A flood wait longer than the policy sleeps through, or one more than it retries. */
export class FloodWaitError extends MtwireError {
  constructor(
    readonly seconds: number,
    readonly method: string,
    readonly rpcError: RpcError,
  ) {
    super('FLOOD_WAIT', `${method}: the server asks to wait ${seconds} s before calling it again`);
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `call`, sleeping through and retrying short flood waits; other errors pass unchanged. */
export async function withFloodWait<T>(call: () => Promise<T>, method: string, policy: FloodWaitPolicy = {}): Promise<T> {
  const { maxSleepSeconds = 10, maxRetries = 3, sleep = defaultSleep } = policy;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const seconds = error instanceof RpcError ? error.waitSeconds : undefined;
      if (seconds === undefined) throw error;
      if (seconds > maxSleepSeconds || attempt >= maxRetries) throw new FloodWaitError(seconds, method, error as RpcError);
      await sleep(seconds * 1000);
    }
  }
}
