import { describe, expect, it } from 'vitest';
import { StoredAnswerBudget, StoredAnswers } from '../../src/mtproto/stored-answers.js';

const bytes = (n: number) => new Uint8Array(n);

describe('StoredAnswers', () => {
  it('keeps at most maxCount answers and maxBytes, dropping the oldest', () => {
    const store = new StoredAnswers({ maxCount: 3, maxBytes: 100 });
    for (let id = 1n; id <= 4n; id++) store.add(id, bytes(10));
    expect([1n, 2n, 3n, 4n].map((id) => store.get(id) !== undefined)).toEqual([false, true, true, true]);
    store.add(5n, bytes(90));
    expect([2n, 3n, 4n, 5n].map((id) => store.get(id) !== undefined)).toEqual([false, false, true, true]); // 10 + 90 = 100 fits
    store.add(6n, bytes(101)); // larger than the whole store: not kept, nothing else dropped
    expect(store.get(6n)).toBeUndefined();
    expect(store.get(5n)).toBeDefined();
  });

  it('sessions sharing a budget stay under its total together; clear() gives their share back', () => {
    const budget = new StoredAnswerBudget(100);
    const a = new StoredAnswers({ budget });
    const b = new StoredAnswers({ budget });
    a.add(1n, bytes(60));
    b.add(1n, bytes(30));
    b.add(2n, bytes(30)); // over 100: a's answer, the oldest of all, goes
    expect(a.get(1n)).toBeUndefined();
    expect(budget.totalBytes).toBe(60);
    b.clear();
    expect(budget.totalBytes).toBe(0);
  });
});
