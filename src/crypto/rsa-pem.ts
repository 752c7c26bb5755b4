/**
 * Reading RSA public keys from PEM, as Telegram publishes them (PKCS#1 `BEGIN RSA PUBLIC KEY`) and as
 * most tools export them (SPKI `BEGIN PUBLIC KEY`). The DER subset involved is tiny, so it is parsed here
 * rather than through node:crypto, which the portable build cannot use.
 */
import { MtwireError } from '../base/errors.js';
import { bigIntFromBytes } from './bigint.js';
import { rsaFingerprint, type RsaPublicKey } from './rsa.js';

const TAG_INTEGER = 0x02;
const TAG_BIT_STRING = 0x03;
const TAG_NULL = 0x05;
const TAG_OID = 0x06;
const TAG_SEQUENCE = 0x30;
/** 1.2.840.113549.1.1.1 (rsaEncryption), DER-encoded. */
const RSA_ENCRYPTION_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01);

function invalid(reason: string): MtwireError {
  return new MtwireError('RSA_KEY_INVALID', `invalid RSA public key: ${reason}`);
}

/** A cursor over DER bytes that reads one tag-length-value at a time. */
class DerReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset === this.bytes.length;
  }

  /** Reads the next element, which must carry `tag`, and returns its contents. */
  read(tag: number): Uint8Array {
    const bytes = this.bytes;
    if (this.offset + 2 > bytes.length) throw invalid('truncated DER');
    if (bytes[this.offset] !== tag) throw invalid(`expected DER tag 0x${tag.toString(16)}, found 0x${bytes[this.offset]!.toString(16)}`);
    let length = bytes[this.offset + 1]!;
    let start = this.offset + 2;
    if (length & 0x80) {
      // Long form: the low bits count the length bytes. 0x80 alone (indefinite length) is not DER.
      const count = length & 0x7f;
      if (count === 0 || count > 3 || start + count > bytes.length) throw invalid('bad DER length');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]!;
      start += count;
    }
    if (start + length > bytes.length) throw invalid('truncated DER');
    this.offset = start + length;
    return bytes.subarray(start, start + length);
  }

  /** Reads a non-negative INTEGER. */
  readUnsigned(): bigint {
    const value = this.read(TAG_INTEGER);
    if (value.length === 0 || value[0]! & 0x80) throw invalid('RSA integers must be positive');
    return bigIntFromBytes(value);
  }
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
function parsePkcs1(der: Uint8Array): { n: bigint; e: bigint } {
  const outer = new DerReader(der);
  const fields = new DerReader(outer.read(TAG_SEQUENCE));
  const n = fields.readUnsigned();
  const e = fields.readUnsigned();
  if (!fields.done || !outer.done) throw invalid('trailing bytes');
  if (n < 3n || e < 3n) throw invalid('modulus or exponent too small');
  return { n, e };
}

/** SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { OID rsaEncryption, NULL }, BIT STRING (RSAPublicKey) } */
function parseSpki(der: Uint8Array): { n: bigint; e: bigint } {
  const outer = new DerReader(der);
  const info = new DerReader(outer.read(TAG_SEQUENCE));
  const algorithm = new DerReader(info.read(TAG_SEQUENCE));
  const oid = algorithm.read(TAG_OID);
  if (oid.length !== RSA_ENCRYPTION_OID.length || oid.some((b, i) => b !== RSA_ENCRYPTION_OID[i])) throw invalid('not an RSA key');
  if (!algorithm.done) algorithm.read(TAG_NULL);
  const bits = info.read(TAG_BIT_STRING);
  if (!algorithm.done || !info.done || !outer.done) throw invalid('trailing bytes');
  if (bits[0] !== 0) throw invalid('bit string with unused bits');
  return parsePkcs1(bits.subarray(1));
}

function base64Decode(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) throw invalid('bad base64');
  const binary = atob(clean);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Parses the first PKCS#1 or SPKI RSA public key in `pem` and computes its Telegram fingerprint. */
export function rsaPublicKeyFromPem(pem: string): RsaPublicKey {
  const match = /-----BEGIN (RSA PUBLIC KEY|PUBLIC KEY)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!match) throw invalid('no BEGIN RSA PUBLIC KEY or BEGIN PUBLIC KEY block');
  const der = base64Decode(match[2]!);
  const { n, e } = match[1] === 'RSA PUBLIC KEY' ? parsePkcs1(der) : parseSpki(der);
  return { n, e, fingerprint: rsaFingerprint(n, e) };
}
