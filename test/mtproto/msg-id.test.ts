import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readInt64LE } from '../../src/crypto/bigint.js';
import { MtwireError } from '../../src/base/errors.js';
import { hasSenderParity, MsgIdGenerator, msgIdForTime, msgIdSeconds, type MsgIdKind } from '../../src/mtproto/msg-id.js';
import { fixtureJson, fromHex } from '../helpers.js';

const samples = fixtureJson('samples-auth-key.json');
const T0 = 1_735_910_891_000;
const RESIDUE: Record<MsgIdKind, bigint> = { client: 0n, response: 1n, notification: 3n };

describe('msgIdForTime / msgIdSeconds', () => {
  it('puts unixtime in the high 32 bits and the fraction of the second in the low 32', () => {
    expect(msgIdForTime(T0)).toBe(BigInt(T0 / 1000) << 32n);
    expect(msgIdForTime(T0 + 500)).toBe((BigInt(T0 / 1000) << 32n) | (1n << 31n));
    expect(msgIdForTime(T0 + 999.9999) & 0xffff_ffffn).toBeLessThan(1n << 32n);
    expect(msgIdSeconds(msgIdForTime(T0 + 999))).toBe(T0 / 1000);
  });

  it("reads the time of the official samples' msg_ids (client ids, the server's ids ~ its server_time)", () => {
    const s = samples.versions[0].steps;
    expect(msgIdSeconds(readInt64LE(fromHex(s[0].message_id_wire)))).toBe(s[5].server_time);
    expect(msgIdSeconds(readInt64LE(fromHex(s[5].message_id_wire)))).toBe(s[5].server_time);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -1])('refuses a clock reading of %s with a typed error', (t) => {
    expect(() => msgIdForTime(t)).toThrow(MtwireError);
  });
});

describe('hasSenderParity', () => {
  it('client ≡ 0 (mod 4), server odd', () => {
    expect([0n, 4n, 1n, 3n, 2n].map((id) => hasSenderParity(id, 'client'))).toEqual([true, true, false, false, false]);
    expect([1n, 3n, 5n, 0n, 2n].map((id) => hasSenderParity(id, 'server'))).toEqual([true, true, true, false, false]);
  });
});

describe('MsgIdGenerator', () => {
  it('gives each kind its residue and stays strictly increasing on a frozen clock', () => {
    const ids = new MsgIdGenerator(() => T0 + 250);
    const seq = (['client', 'response', 'notification', 'response', 'client'] as const).map((kind) => [kind, ids.next(kind)] as const);
    for (const [kind, id] of seq) expect(id & 3n).toBe(RESIDUE[kind]);
    for (let i = 1; i < seq.length; i++) expect(seq[i]![1] > seq[i - 1]![1]).toBe(true);
  });

  it('never gives a client id with zero low 32 bits (a whole second)', () => {
    const id = new MsgIdGenerator(() => T0).next();
    expect(id & 0xffff_ffffn).not.toBe(0n);
    expect(id & 3n).toBe(0n);
    expect(msgIdSeconds(id)).toBe(T0 / 1000);
  });

  it('applies the time offset (seconds)', () => {
    const ids = new MsgIdGenerator(() => T0, 0);
    ids.timeOffset = -30;
    expect(msgIdSeconds(ids.next())).toBe(T0 / 1000 - 30);
    expect(msgIdSeconds(new MsgIdGenerator(() => T0, 12).next())).toBe(T0 / 1000 + 12);
  });

  it('property: any clock readings (also going backwards) and kinds give increasing ids of the right class', () => {
    const kind = fc.constantFrom<MsgIdKind>('client', 'response', 'notification');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: T0 - 5000, max: T0 + 5000, noNaN: true }), kind), { minLength: 1, maxLength: 40 }),
        (steps) => {
          let i = 0;
          const ids = new MsgIdGenerator(() => steps[i]![0]);
          let last = -1n;
          for (; i < steps.length; i++) {
            const id = ids.next(steps[i]![1]);
            expect(id > last).toBe(true);
            expect(id & 3n).toBe(RESIDUE[steps[i]![1]]);
            last = id;
          }
        },
      ),
    );
  });
});
