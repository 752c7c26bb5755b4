/**
 * Importers for other libraries' string sessions, so that a gramjs or Telethon user keeps their login.
 * Both formats hold one data center's key and address and nothing else: the salt starts at 0 (the
 * server answers bad_server_salt with the right one) and the clock offset at 0 (fixed the same way).
 *
 * gramjs:   "1" + base64(u8 dc, i16 BE address length, address text, i16 BE port, 256-byte key)
 * Telethon: "1" + URL-safe base64(u8 dc, 4- or 16-byte packed IP, u16 BE port, 256-byte key)
 * (gramjs also reads Telethon's IPv4 form, recognising it by its length.)
 */
import { base64Decode } from './base64.js';
import { SessionStringError } from './session-errors.js';
import { checkSession, type SessionData } from './session-string.js';

const KEY_SIZE = 256;

export interface ImportOptions {
  /** Whether the key belongs to Telegram's test data centers (neither format records it). */
  testMode?: boolean;
}

export function importGramjsSession(text: string, options: ImportOptions = {}): SessionData {
  const bytes = decodeVersioned(text);
  const view = new DataView(bytes.buffer);
  need(bytes, 3, 'address length');
  const hostLength = view.getInt16(1);
  if (hostLength < 1 || hostLength > 255) throw new SessionStringError('address length', 1, `${hostLength} is not a host length`, 'byte');
  need(bytes, 3 + hostLength + 2 + KEY_SIZE, 'authKey');
  let host: string;
  try {
    host = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3, 3 + hostLength));
  } catch {
    throw new SessionStringError('address', 3, 'not UTF-8', 'byte');
  }
  return single(bytes, host, view.getUint16(3 + hostLength), 3 + hostLength + 2, options);
}

export function importTelethonSession(text: string, options: ImportOptions = {}): SessionData {
  const bytes = decodeVersioned(text);
  const ipSize = bytes.length - 1 - 2 - KEY_SIZE;
  if (ipSize !== 4 && ipSize !== 16) {
    throw new SessionStringError(
      'length',
      0,
      `${bytes.length} bytes: a Telethon session has ${1 + 4 + 2 + KEY_SIZE} or ${1 + 16 + 2 + KEY_SIZE}`,
      'byte',
    );
  }
  const ip = bytes.subarray(1, 1 + ipSize);
  const host = ipSize === 4 ? ip.join('.') : ipv6Text(ip);
  return single(bytes, host, new DataView(bytes.buffer).getUint16(1 + ipSize), 1 + ipSize + 2, options);
}

function decodeVersioned(text: string): Uint8Array {
  if (text[0] !== '1') throw new SessionStringError('version', 0, `expected "1", found ${JSON.stringify(text.slice(0, 1))}`);
  return base64Decode(text.slice(1), 1);
}

function need(bytes: Uint8Array, length: number, field: string): void {
  if (bytes.length < length) throw new SessionStringError(field, bytes.length, `the record ends after ${bytes.length} bytes`, 'byte');
}

function single(bytes: Uint8Array, host: string, port: number, keyAt: number, options: ImportOptions): SessionData {
  if (bytes.length !== keyAt + KEY_SIZE) {
    throw new SessionStringError('authKey', keyAt, `${bytes.length - keyAt} bytes, not ${KEY_SIZE}`, 'byte');
  }
  const dcId = bytes[0]!;
  const session: SessionData = {
    homeDc: dcId,
    timeOffset: 0,
    testMode: options.testMode ?? false,
    dcs: [{ dcId, authKey: bytes.slice(keyAt), serverSalt: 0n, address: { host, port } }],
  };
  checkSession(session, (field, detail) => new SessionStringError(field, 0, detail, 'byte'));
  return session;
}

/** Eight groups of hex without leading zeros: a valid IPv6 text form (compression is optional). */
function ipv6Text(ip: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip[i]! << 8) | ip[i + 1]!).toString(16));
  return groups.join(':');
}
