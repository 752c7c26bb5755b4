import type { TlObject } from '../api/index.js';
import { MtwireError } from '../base/errors.js';

/** How many updates an iterator holds for a consumer that does not keep up, by default. */
export const DEFAULT_MAX_BUFFERED_UPDATES = 10_000;

/** One iterator's updates not yet taken: an array read from `head`, compacted as it drains. */
interface IteratorState {
  buffer: TlObject[];
  head: number;
  wake?: () => void;
}

/**
 * Updates the server pushes (anything not tied to a request): as listeners, or as an async iterator
 * that ends when the client closes. Iterators buffer what arrives between two `next` calls, up to
 * `maxBuffered` updates each; past that, a consumer that does not keep up gets what Telegram itself sends
 * when there are too many updates to push: everything buffered is replaced by one `updatesTooLong`, which
 * tells it to catch up with updates.getDifference. So a stalled iterator never holds more than
 * `maxBuffered` updates in memory.
 */
export class UpdateStream implements AsyncIterable<TlObject> {
  private readonly listeners = new Set<(update: TlObject) => void>();
  private readonly iterators = new Set<IteratorState>();
  private readonly maxBuffered: number;
  private ended = false;

  /** `maxBuffered`: an integer of at least 2 (room for the `updatesTooLong` and the update after it). */
  constructor(options: { maxBuffered?: number | undefined } = {}) {
    const max = options.maxBuffered ?? DEFAULT_MAX_BUFFERED_UPDATES;
    if (!Number.isInteger(max) || max < 2) {
      throw new MtwireError('INVALID_ARGUMENT', `maxBufferedUpdates must be an integer of at least 2, got ${max}`);
    }
    this.maxBuffered = max;
  }

  on(listener: (update: TlObject) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Delivers `update` to every listener and iterator. A listener that throws does not keep the update
   * from the others: every one is called, and then the first error is rethrown to the caller.
   */
  push(update: TlObject): void {
    let failure: { error: unknown } | undefined;
    for (const listener of this.listeners) {
      try {
        listener(update);
      } catch (error) {
        failure ??= { error };
      }
    }
    for (const it of this.iterators) {
      if (it.buffer.length - it.head >= this.maxBuffered) {
        it.buffer = [{ _: 'updatesTooLong' }];
        it.head = 0;
      }
      it.buffer.push(update);
      it.wake?.();
    }
    if (failure) throw failure.error;
  }

  end(): void {
    this.ended = true;
    for (const it of this.iterators) it.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TlObject> {
    const it: IteratorState = { buffer: [], head: 0 };
    this.iterators.add(it);
    try {
      for (;;) {
        if (it.head < it.buffer.length) {
          const next = it.buffer[it.head++]!;
          // Drop the taken part once it is most of the array (shift() would make draining quadratic).
          if (it.head > 1024 && it.head * 2 > it.buffer.length) {
            it.buffer = it.buffer.slice(it.head);
            it.head = 0;
          }
          yield next;
        } else if (this.ended) return;
        else await new Promise<void>((resolve) => (it.wake = resolve));
      }
    } finally {
      this.iterators.delete(it);
    }
  }
}
