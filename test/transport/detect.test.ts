import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../src/crypto/node.js';
import { createClientCodec } from '../../src/transport/codec.js';
import { detectTransport } from '../../src/transport/detect.js';
import { FRAMINGS } from './helpers.js';

const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));

describe('detectTransport', () => {
  it.each([
    ['ef', { kind: 'plain', framing: 'abridged', initLength: 1 }],
    ['ef7f000100', { kind: 'plain', framing: 'abridged', initLength: 1 }],
    ['eeeeeeee', { kind: 'plain', framing: 'intermediate', initLength: 4 }],
    ['dddddddd08000000', { kind: 'plain', framing: 'padded', initLength: 4 }],
    ['0c0000000000000026ca8d32', { kind: 'plain', framing: 'full', initLength: 0 }],
    ['1122334455667788', { kind: 'obfuscated', initLength: 64 }],
    ['16030102', { kind: 'unsupported', protocol: 'tls' }],
  ])('%s', (bytes, expected) => {
    expect(detectTransport(unhex(bytes))).toEqual(expected);
  });

  it.each(['HEAD', 'POST', 'GET ', 'OPTIONS'])('HTTP %s', (method) => {
    expect(detectTransport(ascii(`${method} /api HTTP/1.1`))).toEqual({ kind: 'unsupported', protocol: 'http' });
  });

  it.each(['', 'ee', 'eeeeee', 'dd', '0c000000', '0c000000000000', '11223344556677'])('need more after "%s"', (bytes) => {
    expect(detectTransport(unhex(bytes))).toEqual({ kind: 'need-more' });
  });

  it('what each client codec sends first is detected as that framing', () => {
    for (const framing of FRAMINGS) {
      const client = createClientCodec({ framing, crypto: nodeCrypto });
      const first = new Uint8Array([...client.start(), ...client.encode(new Uint8Array(8))]);
      expect(detectTransport(first)).toMatchObject({ kind: 'plain', framing });
    }
  });

  it('obfuscated headers are always detected as obfuscated (the generator rejects the rest)', () => {
    for (let i = 0; i < 500; i++) {
      const client = createClientCodec({ framing: 'abridged', obfuscation: { dcId: 1 }, crypto: nodeCrypto });
      expect(detectTransport(client.start()).kind).toBe('obfuscated');
    }
  });
});
