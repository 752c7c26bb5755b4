/**
 * The client's requests from `invoke` to their outcome: first waiting for a ready session, then sent
 * and known by the session's request id. Each settles exactly once, whichever comes first of its
 * answer, its timeout and the client's close.
 */
import type { TlObject } from '../api/index.js';
import { RequestTimeoutError } from './errors.js';

export interface PendingRequest {
  readonly request: TlObject;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer?: ReturnType<typeof setTimeout>;
  /** The client's own (keepalive pings): not recorded in a saved session. */
  background?: boolean;
}

/** What a settled request's callbacks become, so that a second outcome is a no-op. */
const settled = (): void => undefined;

export class PendingRequests {
  /** By the request id the session gave each one. */
  private readonly sent = new Map<number, PendingRequest>();
  private waiting: PendingRequest[] = [];

  /**
   * A new request waiting for a session. With `timeoutMs` it rejects with RequestTimeoutError after
   * that long, and `onExpire` gets the request ids it was sent under, for the session to forget them.
   */
  add(pending: PendingRequest, timeoutMs: number | undefined, onExpire: (requestIds: number[]) => void): void {
    if (timeoutMs !== undefined) pending.timer = setTimeout(() => onExpire(this.expire(pending, timeoutMs)), timeoutMs);
    this.waiting.push(pending);
  }

  /** The waiting requests that are still open, in order; none wait afterwards. */
  takeWaiting(): PendingRequest[] {
    return this.waiting.splice(0).filter((pending) => pending.resolve !== settled);
  }

  /** The open requests not yet given to a session. */
  waitingRequests(): readonly PendingRequest[] {
    return this.waiting.filter((pending) => pending.resolve !== settled);
  }

  /** The request the session knows as `requestId`, left in place. */
  get(requestId: number): PendingRequest | undefined {
    return this.sent.get(requestId);
  }

  markSent(requestId: number, pending: PendingRequest): void {
    this.sent.set(requestId, pending);
  }

  /** Removes and returns the request the session knows as `requestId`. */
  take(requestId: number): PendingRequest | undefined {
    const pending = this.sent.get(requestId);
    this.sent.delete(requestId);
    return pending;
  }

  /** Resolves or rejects exactly once. */
  settle(pending: PendingRequest, error: Error | undefined, value?: unknown): void {
    if (pending.resolve === settled) return;
    clearTimeout(pending.timer);
    const { resolve, reject } = pending;
    pending.resolve = settled;
    pending.reject = settled;
    if (error) reject(error);
    else resolve(value);
  }

  /** Rejects every request, sent or waiting, each with its own `error()`. */
  rejectAll(error: () => Error): void {
    for (const pending of [...this.sent.values(), ...this.waiting]) this.settle(pending, error());
    this.sent.clear();
    this.waiting = [];
  }

  /** Forgets a request that timed out and rejects it; returns the request ids it was sent under. */
  private expire(pending: PendingRequest, timeoutMs: number): number[] {
    const requestIds = [...this.sent].filter(([, p]) => p === pending).map(([id]) => id);
    for (const id of requestIds) this.sent.delete(id);
    this.waiting = this.waiting.filter((p) => p !== pending);
    this.settle(pending, new RequestTimeoutError(pending.request._, timeoutMs));
    return requestIds;
  }
}
