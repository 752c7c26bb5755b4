/**
 * The rpc_result bodies a server keeps so that a request repeated with the same msg_id gets its answer
 * again instead of running twice. Each session's store is bounded in count and bytes, and all stores
 * that share a StoredAnswerBudget are bounded together: over the total, the oldest answer of any session
 * goes first, so a few busy sessions cannot keep the server's memory.
 */

interface StoredAnswer {
  readonly store: StoredAnswers;
  readonly msgId: bigint;
  readonly body: Uint8Array;
}

/** The byte total shared by every session of a server. */
export class StoredAnswerBudget {
  /** Every stored answer of every session, oldest first (a Set keeps insertion order). */
  private readonly entries = new Set<StoredAnswer>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes of answers stored across all sessions. */
  get totalBytes(): number {
    return this.bytes;
  }

  add(entry: StoredAnswer): void {
    this.entries.add(entry);
    this.bytes += entry.body.length;
    for (const oldest of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      oldest.store.forget(oldest.msgId);
    }
  }

  remove(entry: StoredAnswer): void {
    if (this.entries.delete(entry)) this.bytes -= entry.body.length;
  }
}

export interface StoredAnswersLimits {
  /** Most answers kept (default 128). */
  readonly maxCount?: number;
  /** Most bytes of answers kept (default 1 MiB). */
  readonly maxBytes?: number;
  /** The total shared with other sessions, if any. */
  readonly budget?: StoredAnswerBudget;
}

/** One session's answers by the msg_id of their request, oldest first. */
export class StoredAnswers {
  private readonly answers = new Map<bigint, StoredAnswer>();
  private bytes = 0;
  private readonly maxCount: number;
  private readonly maxBytes: number;
  private readonly budget: StoredAnswerBudget | undefined;

  constructor(limits: StoredAnswersLimits = {}) {
    this.maxCount = limits.maxCount ?? 128;
    this.maxBytes = limits.maxBytes ?? 1024 * 1024;
    this.budget = limits.budget;
  }

  get(msgId: bigint): Uint8Array | undefined {
    return this.answers.get(msgId)?.body;
  }

  /** Keeps `body`, dropping the oldest answers while over a limit (an answer above maxBytes is not kept). */
  add(msgId: bigint, body: Uint8Array): void {
    this.forget(msgId);
    if (body.length > this.maxBytes) return;
    const entry: StoredAnswer = { store: this, msgId, body };
    this.answers.set(msgId, entry);
    this.bytes += body.length;
    for (const oldest of this.answers.keys()) {
      if (this.answers.size <= this.maxCount && this.bytes <= this.maxBytes) break;
      this.forget(oldest);
    }
    // Last, so that the budget counts only what this store kept.
    if (this.answers.has(msgId)) this.budget?.add(entry);
  }

  forget(msgId: bigint): void {
    const entry = this.answers.get(msgId);
    if (!entry) return;
    this.answers.delete(msgId);
    this.bytes -= entry.body.length;
    this.budget?.remove(entry);
  }

  /** Drops every answer: the session is gone. */
  clear(): void {
    for (const msgId of [...this.answers.keys()]) this.forget(msgId);
  }
}
