import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TlObject } from '../../src/api/index.js';
import { UpdateStream } from '../../src/client/updates.js';

const update = (n: number): TlObject & { n: number } => ({ _: 'updateTest', n });
const ns = (list: TlObject[]): number[] => list.map((u) => (u as TlObject & { n: number }).n);
/** Lets pending promise callbacks (the iterators' wake-ups) run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};
/** Collects everything an iterator yields until the stream ends. */
async function collect(stream: UpdateStream, out: TlObject[] = []): Promise<TlObject[]> {
  for await (const u of stream) out.push(u);
  return out;
}

describe('UpdateStream listeners', () => {
  it('each listener gets every update, in push order, synchronously', () => {
    const stream = new UpdateStream();
    const a: TlObject[] = [];
    const b: TlObject[] = [];
    stream.on((u) => a.push(u));
    stream.on((u) => b.push(u));
    stream.push(update(1));
    expect(ns(a)).toEqual([1]); // delivered before push returns
    stream.push(update(2));
    stream.push(update(3));
    expect(ns(a)).toEqual([1, 2, 3]);
    expect(ns(b)).toEqual([1, 2, 3]);
  });

  it('listeners are called in subscription order, with the same object', () => {
    const stream = new UpdateStream();
    const calls: string[] = [];
    const seen: TlObject[] = [];
    stream.on((u) => (calls.push('first'), seen.push(u)));
    stream.on((u) => (calls.push('second'), seen.push(u)));
    const u = update(1);
    stream.push(u);
    expect(calls).toEqual(['first', 'second']);
    expect(seen[0]).toBe(u);
    expect(seen[1]).toBe(u);
  });

  it('the returned function unsubscribes that listener only; calling it twice is harmless', () => {
    const stream = new UpdateStream();
    const a: TlObject[] = [];
    const b: TlObject[] = [];
    const offA = stream.on((u) => a.push(u));
    stream.on((u) => b.push(u));
    stream.push(update(1));
    offA();
    offA();
    stream.push(update(2));
    expect(ns(a)).toEqual([1]);
    expect(ns(b)).toEqual([1, 2]);
  });

  it('a listener may unsubscribe itself while being called', () => {
    const stream = new UpdateStream();
    const got: number[] = [];
    const off = stream.on((u) => {
      got.push(ns([u])[0]!);
      off();
    });
    const later: TlObject[] = [];
    stream.on((u) => later.push(u));
    stream.push(update(1));
    stream.push(update(2));
    expect(got).toEqual([1]);
    expect(ns(later)).toEqual([1, 2]);
  });

  it('the same function subscribed twice is one subscription', () => {
    const stream = new UpdateStream();
    const got: TlObject[] = [];
    const listener = (u: TlObject): void => void got.push(u);
    const off1 = stream.on(listener);
    stream.on(listener);
    stream.push(update(1));
    expect(got).toHaveLength(1);
    off1();
    stream.push(update(2));
    expect(got).toHaveLength(1);
  });
});

describe('UpdateStream listener that throws', () => {
  it('does not keep the update from later listeners or iterators, and push reports the error', async () => {
    const stream = new UpdateStream();
    const after: TlObject[] = [];
    const failure = new Error('listener bug');
    stream.on(() => {
      throw failure;
    });
    stream.on((u) => after.push(u));
    const iterated = collect(stream);
    await settle();
    expect(() => stream.push(update(1))).toThrow(failure);
    expect(ns(after)).toEqual([1]);
    stream.end();
    expect(ns(await iterated)).toEqual([1]);
  });

  it('stays subscribed: later updates still reach it and everyone else', () => {
    const stream = new UpdateStream();
    const seen: number[] = [];
    stream.on((u) => {
      seen.push(ns([u])[0]!);
      if (seen.length === 1) throw new Error('first one fails');
    });
    const other: TlObject[] = [];
    stream.on((u) => other.push(u));
    expect(() => stream.push(update(1))).toThrow('first one fails');
    stream.push(update(2));
    expect(seen).toEqual([1, 2]);
    expect(ns(other)).toEqual([1, 2]);
  });

  it('when several listeners throw, all run and the first error is reported', () => {
    const stream = new UpdateStream();
    let calls = 0;
    stream.on(() => {
      calls++;
      throw new Error('one');
    });
    stream.on(() => {
      calls++;
      throw new Error('two');
    });
    expect(() => stream.push(update(1))).toThrow('one');
    expect(calls).toBe(2);
  });
});

describe('UpdateStream iteration', () => {
  it('yields pushed updates in order and finishes when the stream ends', async () => {
    const stream = new UpdateStream();
    const done = collect(stream);
    await settle();
    for (let i = 1; i <= 5; i++) stream.push(update(i));
    stream.end();
    expect(ns(await done)).toEqual([1, 2, 3, 4, 5]);
  });

  it('buffers what arrives while the consumer is busy, and drains it before ending', async () => {
    const stream = new UpdateStream();
    const got: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const done = (async () => {
      for await (const u of stream) {
        got.push(ns([u])[0]!);
        if (got.length === 1) await gate; // a slow consumer
      }
    })();
    await settle();
    stream.push(update(1));
    await settle();
    for (let i = 2; i <= 100; i++) stream.push(update(i)); // all while the consumer is stuck on update 1
    stream.end(); // ended while 99 updates wait in the buffer
    expect(got).toEqual([1]);
    release();
    await done;
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('several iterators each get every update, independently of each other', async () => {
    const stream = new UpdateStream();
    const fast = collect(stream);
    const slowGot: number[] = [];
    const slow = (async () => {
      for await (const u of stream) {
        await settle();
        slowGot.push(ns([u])[0]!);
      }
    })();
    await settle();
    stream.push(update(1));
    stream.push(update(2));
    await settle();
    stream.push(update(3));
    stream.end();
    expect(ns(await fast)).toEqual([1, 2, 3]);
    await slow;
    expect(slowGot).toEqual([1, 2, 3]);
  });

  it('an iterator sees only updates pushed after it started', async () => {
    const stream = new UpdateStream();
    stream.push(update(1));
    const done = collect(stream);
    await settle();
    stream.push(update(2));
    stream.end();
    expect(ns(await done)).toEqual([2]);
  });

  it('breaking out of the loop unsubscribes the iterator; the others keep going', async () => {
    const stream = new UpdateStream();
    const firstTwo: number[] = [];
    const broken = (async () => {
      for await (const u of stream) {
        firstTwo.push(ns([u])[0]!);
        if (firstTwo.length === 2) break;
      }
    })();
    const all = collect(stream);
    await settle();
    for (let i = 1; i <= 4; i++) {
      stream.push(update(i));
      await settle();
    }
    await broken;
    expect(firstTwo).toEqual([1, 2]);
    const iterators = (stream as unknown as { iterators: Set<unknown> }).iterators;
    expect(iterators.size).toBe(1); // the broken iterator no longer buffers anything
    stream.end();
    expect(ns(await all)).toEqual([1, 2, 3, 4]);
    expect(iterators.size).toBe(0);
  });

  it('after end, a new iterator finishes at once, and end is idempotent', async () => {
    const stream = new UpdateStream();
    stream.end();
    stream.end();
    const it = stream[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(await collect(stream)).toEqual([]);
  });

  it('a waiting iterator is woken by end without any update', async () => {
    const stream = new UpdateStream();
    const it = stream[Symbol.asyncIterator]();
    const next = it.next();
    await settle();
    stream.end();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('listeners still hear pushes after end (end only finishes the iterators)', () => {
    const stream = new UpdateStream();
    const got: TlObject[] = [];
    stream.on((u) => got.push(u));
    stream.end();
    stream.push(update(1));
    expect(ns(got)).toEqual([1]);
  });

  it('listeners and iterators see the same sequence, for any interleaving of pushes and waits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.nat(1000), fc.constant(-1)), { maxLength: 40 }), async (steps) => {
        const stream = new UpdateStream();
        const heard: TlObject[] = [];
        stream.on((u) => heard.push(u));
        const iterated = collect(stream);
        await settle();
        for (const step of steps) {
          if (step < 0) await settle();
          else stream.push(update(step));
        }
        stream.end();
        const expected = steps.filter((s) => s >= 0);
        expect(ns(heard)).toEqual(expected);
        expect(ns(await iterated)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });
});

describe('UpdateStream bounds what a stalled iterator holds', () => {
  it('past maxBuffered, the buffer becomes one updatesTooLong followed by what came after', async () => {
    const stream = new UpdateStream({ maxBuffered: 10 });
    const iterator = stream[Symbol.asyncIterator]();
    const first = iterator.next(); // starts the iterator: it buffers from here on
    await settle();
    stream.push(update(0));
    expect(ns([(await first).value as TlObject])).toEqual([0]);
    for (let i = 1; i <= 25; i++) stream.push(update(i)); // nobody takes them
    stream.end();
    const rest: TlObject[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value);
    // 1..10 filled the buffer; 11 found it full: [marker, 11]; 12..19 filled it again (the marker counts);
    // 20 found it full: [marker, 20], then 21..25.
    expect(rest[0]).toEqual({ _: 'updatesTooLong' });
    expect(ns(rest.slice(1))).toEqual([20, 21, 22, 23, 24, 25]);
  });

  it('never holds more than maxBuffered updates, and a consumer that keeps up loses none', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 50 }), fc.integer({ min: 0, max: 200 }), async (max, count) => {
        const stream = new UpdateStream({ maxBuffered: max });
        const done = collect(stream);
        await settle();
        for (let i = 0; i < count; i++) {
          stream.push(update(i));
          if (i % max === max - 1) await settle(); // the consumer catches up before the buffer is full
        }
        stream.end();
        expect(ns(await done)).toEqual(Array.from({ length: count }, (_, i) => i));
      }),
      { numRuns: 40 },
    );
  });

  it('maxBuffered below 2 or not an integer is refused', () => {
    for (const bad of [0, 1, 2.5, Number.NaN]) expect(() => new UpdateStream({ maxBuffered: bad })).toThrow(/at least 2/);
  });
});
