/**
 * One portable string for a whole session: every data center's permanent key and salt, the home data
 * center, the clock offset and (once signed in) the user id. Temporary keys are never saved: perfect
 * forward secrecy means they die with the process.
 *
 * Layout ("mtw1" + unpadded URL-safe base64 of, little-endian):
 *   u8 version = 1 | u8 flags (1: test DCs, 2: user id follows) | u16 home DC | i32 time offset
 *   [i64 user id] | u8 DC count | per DC: u16 id, u8 has-address, [u8 host length, host, u16 port],
 *   256-byte key, i64 salt | u32 CRC-32 of everything before it
 * The checksum makes any corruption (a truncated paste, a changed character) an error, not a wrong key.
 */
import { crc32 } from '../base/crc32.js';
import { MtwireError } from '../base/errors.js';
import { base64Decode, base64UrlEncode } from './base64.js';
import { SessionStringError } from './session-errors.js';

export interface DcAddress {
  readonly host: string;
  readonly port: number;
}

/** One data center's permanent auth key. */
export interface DcKey {
  readonly dcId: number;
  /** 256 bytes. */
  readonly authKey: Uint8Array;
  readonly serverSalt: bigint;
  /** Where it was reached, when the session came from somewhere that recorded it. */
  readonly address?: DcAddress;
}

export interface SessionData {
  /** The data center the account lives on: requests go there unless a migration says otherwise. */
  readonly homeDc: number;
  /** Seconds to add to the local clock to get the server's. */
  readonly timeOffset: number;
  readonly testMode: boolean;
  readonly userId?: bigint;
  readonly dcs: readonly DcKey[];
}

const PREFIX = 'mtw1';
const VERSION = 1;
const KEY_SIZE = 256;
const FLAG_TEST = 1;
const FLAG_USER = 2;

/** Writes the string; a session that breaks the rules (no home key, a short key) is an MtwireError. */
export function encodeSessionString(session: SessionData): string {
  checkSession(session, (field, detail) => new MtwireError('SESSION_INVALID', `session: ${field}: ${detail}`));
  const parts: number[] = [];
  const view = new DataView(new ArrayBuffer(8));
  const put = (size: 1 | 2 | 4 | 8, value: number | bigint): void => {
    if (size === 8) view.setBigInt64(0, BigInt.asIntN(64, value as bigint), true);
    else if (size === 4) view.setInt32(0, value as number, true);
    else if (size === 2) view.setUint16(0, value as number, true);
    else view.setUint8(0, value as number);
    for (let i = 0; i < size; i++) parts.push(view.getUint8(i));
  };
  put(1, VERSION);
  put(1, (session.testMode ? FLAG_TEST : 0) | (session.userId !== undefined ? FLAG_USER : 0));
  put(2, session.homeDc);
  put(4, session.timeOffset);
  if (session.userId !== undefined) put(8, session.userId);
  put(1, session.dcs.length);
  for (const dc of session.dcs) {
    put(2, dc.dcId);
    put(1, dc.address ? 1 : 0);
    if (dc.address) {
      const host = new TextEncoder().encode(dc.address.host);
      put(1, host.length);
      parts.push(...host);
      put(2, dc.address.port);
    }
    parts.push(...dc.authKey);
    put(8, dc.serverSalt);
  }
  const body = Uint8Array.from(parts);
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body), true);
  return PREFIX + base64UrlEncode(out);
}

/** Parses a whole session string or throws SessionStringError; nothing is returned half-read. */
export function decodeSessionString(text: string): SessionData {
  if (!text.startsWith(PREFIX)) {
    throw new SessionStringError(
      'prefix',
      0,
      `expected "${PREFIX}" (an mtwire session string; gramjs and Telethon strings have importers)`,
    );
  }
  const bytes = base64Decode(text.slice(PREFIX.length), PREFIX.length);
  if (bytes.length < 5) throw new SessionStringError('length', 0, `${bytes.length} bytes is too short`, 'byte');
  const bodyLength = bytes.length - 4;
  const stored = new DataView(bytes.buffer).getUint32(bodyLength, true);
  if (stored !== crc32(bytes.subarray(0, bodyLength)))
    throw new SessionStringError('checksum', bodyLength, 'CRC-32 mismatch: the string was changed or cut', 'byte');
  const r = new RecordReader(bytes.subarray(0, bodyLength));
  const version = r.u8('version');
  if (version !== VERSION)
    throw new SessionStringError('version', 0, `version ${version} is not supported (this mtwire reads ${VERSION})`, 'byte');
  const flags = r.u8('flags');
  if (flags & ~(FLAG_TEST | FLAG_USER)) throw new SessionStringError('flags', 1, `unknown flags 0x${flags.toString(16)}`, 'byte');
  const homeDc = r.u16('homeDc');
  const timeOffset = r.i32('timeOffset');
  const userId = flags & FLAG_USER ? r.i64('userId') : undefined;
  const dcs: DcKey[] = [];
  for (let count = r.u8('dcCount'), i = 0; i < count; i++) {
    const dcId = r.u16(`dcs[${i}].dcId`);
    const hasAddress = r.u8(`dcs[${i}].hasAddress`);
    if (hasAddress > 1) throw new SessionStringError(`dcs[${i}].hasAddress`, r.offset - 1, `${hasAddress} is not 0 or 1`, 'byte');
    const address = hasAddress ? { host: r.text(`dcs[${i}].host`), port: r.u16(`dcs[${i}].port`) } : undefined;
    const authKey = r.take(KEY_SIZE, `dcs[${i}].authKey`);
    const serverSalt = r.i64(`dcs[${i}].serverSalt`);
    dcs.push(address ? { dcId, authKey, serverSalt, address } : { dcId, authKey, serverSalt });
  }
  if (r.offset !== bodyLength)
    throw new SessionStringError('end', r.offset, `${bodyLength - r.offset} bytes after the last data center`, 'byte');
  const session: SessionData = { homeDc, timeOffset, testMode: (flags & FLAG_TEST) !== 0, dcs, ...(userId !== undefined && { userId }) };
  checkSession(session, (field, detail) => new SessionStringError(field, 0, detail, 'byte'));
  return session;
}

/** The rules both directions share: a session that breaks them is neither written nor loaded. */
export function checkSession(session: SessionData, fail: (field: string, detail: string) => Error): void {
  const ids = new Set<number>();
  for (const [i, dc] of session.dcs.entries()) {
    if (!Number.isInteger(dc.dcId) || dc.dcId < 1 || dc.dcId > 0xffff) throw fail(`dcs[${i}].dcId`, `${dc.dcId} is not a data center id`);
    if (ids.has(dc.dcId)) throw fail(`dcs[${i}].dcId`, `data center ${dc.dcId} appears twice`);
    ids.add(dc.dcId);
    if (dc.authKey.length !== KEY_SIZE) throw fail(`dcs[${i}].authKey`, `${dc.authKey.length} bytes, not ${KEY_SIZE}`);
    if (dc.address && (!Number.isInteger(dc.address.port) || dc.address.port < 1 || dc.address.port > 0xffff))
      throw fail(`dcs[${i}].port`, `${dc.address.port} is not a port`);
    if (dc.address && new TextEncoder().encode(dc.address.host).length > 255) throw fail(`dcs[${i}].host`, 'longer than 255 bytes');
  }
  if (session.dcs.length > 255) throw fail('dcCount', `${session.dcs.length} data centers, at most 255`);
  if (!ids.has(session.homeDc)) throw fail('homeDc', `no key for the home data center ${session.homeDc}`);
  if (!Number.isInteger(session.timeOffset) || Math.abs(session.timeOffset) > 2 ** 31 - 1)
    throw fail('timeOffset', `${session.timeOffset} is not a 32-bit number of seconds`);
}

/** Reads the record's fields in order, naming the field and byte offset of anything missing. */
class RecordReader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  take(size: number, field: string): Uint8Array {
    if (this.offset + size > this.bytes.length) {
      throw new SessionStringError(field, this.offset, `needs ${size} bytes, ${this.bytes.length - this.offset} left`, 'byte');
    }
    this.offset += size;
    return this.bytes.slice(this.offset - size, this.offset);
  }

  u8 = (field: string): number => this.number(1, field, () => this.view.getUint8(this.offset));
  u16 = (field: string): number => this.number(2, field, () => this.view.getUint16(this.offset, true));
  i32 = (field: string): number => this.number(4, field, () => this.view.getInt32(this.offset, true));

  i64(field: string): bigint {
    this.take(8, field);
    return this.view.getBigInt64(this.offset - 8, true);
  }

  text(field: string): string {
    const length = this.u8(`${field} length`);
    const at = this.offset;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(this.take(length, field));
    } catch (error) {
      if (error instanceof SessionStringError) throw error;
      throw new SessionStringError(field, at, 'not UTF-8', 'byte');
    }
  }

  private number(size: number, field: string, read: () => number): number {
    if (this.offset + size > this.bytes.length) {
      throw new SessionStringError(field, this.offset, `needs ${size} bytes, ${this.bytes.length - this.offset} left`, 'byte');
    }
    const value = read();
    this.offset += size;
    return value;
  }
}
