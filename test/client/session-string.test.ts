import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/base/crc32.js';
import { MtwireError } from '../../src/base/errors.js';
import { SessionStringError } from '../../src/client/session-errors.js';
import { importGramjsSession, importTelethonSession } from '../../src/client/session-import.js';
import { decodeSessionString, encodeSessionString, type SessionData } from '../../src/client/session-string.js';
import { fixtureJson } from '../helpers.js';

const dcKey = fc.record(
  {
    dcId: fc.integer({ min: 1, max: 0xffff }),
    authKey: fc.uint8Array({ minLength: 256, maxLength: 256 }),
    serverSalt: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    address: fc.record({ host: fc.string({ maxLength: 60 }), port: fc.integer({ min: 1, max: 0xffff }) }),
  },
  { requiredKeys: ['dcId', 'authKey', 'serverSalt'] },
);

const sessionArb: fc.Arbitrary<SessionData> = fc
  .uniqueArray(dcKey, { minLength: 1, maxLength: 5, selector: (dc) => dc.dcId })
  .chain((dcs) =>
    fc.record(
      {
        homeDc: fc.constantFrom(...dcs.map((dc) => dc.dcId)),
        timeOffset: fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }),
        testMode: fc.boolean(),
        userId: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        dcs: fc.constant(dcs),
      },
      { requiredKeys: ['homeDc', 'timeOffset', 'testMode', 'dcs'] },
    ),
  );

const errorOf = (fn: () => unknown): SessionStringError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SessionStringError) return error;
    throw error;
  }
  throw new Error('no error thrown');
};

const key = Uint8Array.from({ length: 256 }, (_, i) => (7 * i + 3) & 255);
const twoDcs: SessionData = {
  homeDc: 4,
  timeOffset: -3,
  testMode: true,
  userId: 777000n,
  dcs: [
    { dcId: 2, authKey: key, serverSalt: -5n, address: { host: '127.0.0.1', port: 10443 } },
    { dcId: 4, authKey: key.map((b) => b ^ 0xff), serverSalt: 0x1122334455667788n },
  ],
};

describe('the mtwire session string', () => {
  it('round-trips every session', () => {
    fc.assert(
      fc.property(sessionArb, (session) => {
        expect(decodeSessionString(encodeSessionString(session))).toEqual(session);
      }),
    );
  });

  it('is "mtw1" and URL-safe base64 of the documented record', () => {
    const text = encodeSessionString(twoDcs);
    expect(text).toMatch(/^mtw1[A-Za-z0-9_-]+$/);
    const bytes = Buffer.from(text.slice(4), 'base64url');
    // version 1, flags test|user, home DC 4, time offset -3, user id, 2 DCs
    expect([...bytes.subarray(0, 8)]).toEqual([1, 3, 4, 0, 0xfd, 0xff, 0xff, 0xff]);
    expect(bytes.readBigInt64LE(8)).toBe(777000n);
    expect(bytes[16]).toBe(2);
    expect(bytes.readUInt16LE(17)).toBe(2);
    expect(bytes[19]).toBe(1);
    expect(bytes.subarray(20, 30).toString()).toBe('\x09127.0.0.1');
    expect(bytes.readUInt16LE(30)).toBe(10443);
    expect(bytes.length).toBe(32 + 256 + 8 + 3 + 256 + 8 + 4);
  });

  it('refuses every single-character change, never loading half a session', () => {
    const text = encodeSessionString(twoDcs);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.constantFrom(...alphabet, '!', '='), (at, c) => {
        fc.pre(text[at] !== c);
        const changed = text.slice(0, at) + c + text.slice(at + 1);
        expect(() => decodeSessionString(changed)).toThrow(SessionStringError);
      }),
    );
  });

  it('refuses every truncation', () => {
    const text = encodeSessionString(twoDcs);
    for (let length = 0; length < text.length; length++) {
      expect(() => decodeSessionString(text.slice(0, length)), `length ${length}`).toThrow(SessionStringError);
    }
  });

  it('names the field and place of what is wrong', () => {
    const text = encodeSessionString(twoDcs);
    expect(errorOf(() => decodeSessionString('1' + text)).field).toBe('prefix');
    const bad = errorOf(() => decodeSessionString(text.slice(0, 10) + '*' + text.slice(11)));
    expect([bad.field, bad.offset, bad.unit]).toEqual(['character', 10, 'character']);
    expect(bad.message).toContain('"*" is not a base64 character');
    expect(errorOf(() => decodeSessionString(text.slice(0, 20) + (text[20] === 'A' ? 'B' : 'A') + text.slice(21))).field).toBe('checksum');
  });

  it('checks the record behind a valid checksum too (version, home key, trailing bytes)', () => {
    const bytes = Buffer.from(encodeSessionString(twoDcs).slice(4), 'base64url');
    const reseal = (edit: (b: Buffer) => Buffer): string => {
      const body = edit(Buffer.from(bytes.subarray(0, bytes.length - 4)));
      const crc = Buffer.alloc(4);
      crc.writeUInt32LE(crc32(body));
      return 'mtw1' + Buffer.concat([body, crc]).toString('base64url');
    };
    expect(errorOf(() => decodeSessionString(reseal((b) => (b.writeUInt8(2, 0), b)))).field).toBe('version');
    expect(errorOf(() => decodeSessionString(reseal((b) => (b.writeUInt16LE(3, 2), b)))).field).toBe('homeDc');
    expect(errorOf(() => decodeSessionString(reseal((b) => Buffer.concat([b, Buffer.from([0])])))).field).toBe('end');
    const cut = errorOf(() => decodeSessionString(reseal((b) => b.subarray(0, 100))));
    expect([cut.field, cut.offset, cut.unit]).toEqual(['dcs[0].authKey', 32, 'byte']);
  });

  it('will not write a session it could not read back', () => {
    expect(() => encodeSessionString({ ...twoDcs, homeDc: 9 })).toThrow(MtwireError);
    expect(() => encodeSessionString({ ...twoDcs, dcs: [{ ...twoDcs.dcs[1]!, authKey: key.subarray(1) }] })).toThrow(/authKey: 255 bytes/);
  });
});

describe('importers', () => {
  const { cases } = fixtureJson<{ cases: { format: string; text: string; dcId: number; host: string; port: number }[] }>(
    'string-sessions.json',
  );

  it.each(cases)('$format $host', (c) => {
    const session = (c.format === 'gramjs' ? importGramjsSession : importTelethonSession)(c.text);
    expect(session).toEqual({
      homeDc: c.dcId,
      timeOffset: 0,
      testMode: false,
      dcs: [{ dcId: c.dcId, authKey: key, serverSalt: 0n, address: { host: c.host, port: c.port } }],
    });
    expect(decodeSessionString(encodeSessionString(session))).toEqual(session);
  });

  it('refuses truncated and foreign strings with a typed error', () => {
    for (const c of cases) {
      const importer = c.format === 'gramjs' ? importGramjsSession : importTelethonSession;
      expect(() => importer(c.text.slice(0, 200))).toThrow(SessionStringError);
      expect(() => importer('2' + c.text.slice(1))).toThrow(/version at character 0/);
      expect(() => importer(c.text.slice(0, 50) + '.' + c.text.slice(51))).toThrow(/character 50/);
    }
    // A gramjs record is a Telethon one only when its lengths happen to match (a 14-character IPv4
    // host has exactly Telethon's IPv6 size); this 20-character host does not.
    expect(() => importTelethonSession(cases[1]!.text)).toThrow(/length at byte 0: 281 bytes/);
  });
});
