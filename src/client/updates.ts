import type { TlObject } from '../api/index.js';

/**
 * Updates the server pushes (anything not tied to a request): as listeners, or as an async iterator
 * that ends when the client closes. Iterators buffer what arrives between two `next` calls.
 */
export class UpdateStream implements AsyncIterable<TlObject> {
  private readonly listeners = new Set<(update: TlObject) => void>();
  private readonly iterators = new Set<{ buffer: TlObject[]; wake?: () => void }>();
  private ended = false;

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
    const it: { buffer: TlObject[]; wake?: () => void } = { buffer: [] };
    this.iterators.add(it);
    try {
      for (;;) {
        const next = it.buffer.shift();
        if (next) yield next;
        else if (this.ended) return;
        else await new Promise<void>((resolve) => (it.wake = resolve));
      }
    } finally {
      this.iterators.delete(it);
    }
  }
}
