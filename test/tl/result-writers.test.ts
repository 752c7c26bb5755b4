import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createArbitraries } from '../../src/testing/index.js';
import { Api, DESCRIPTOR, decodeResult, encodeResult, TlEncodeError, type TlObject } from '../../src/api/index.js';

describe('encodeResult (the server side of readResultOf)', () => {
  const layered = { _: 'invokeWithLayer', layer: 228, query: { _: 'contacts.getContactIDs', hash: 0n } } as TlObject;
  test.each<[string, TlObject, unknown, string]>([
    ['Bool', { _: 'phone.receivedCall', peer: { _: 'inputPhoneCall', id: 1n, accessHash: 2n } } as TlObject, true, 'b5757299'],
    ['Vector<long>', { _: 'messages.receivedQueue', maxQts: 0 } as TlObject, [1n, -2n], '15c4b51c020000000100000000000000feffffffffffffff'],
    ['Vector<int> through invokeWithLayer', layered, [7], '15c4b51c0100000007000000'],
  ])('%s', (_name, request, value, hex) => {
    const bytes = encodeResult(request, value);
    expect(Buffer.from(bytes).toString('hex')).toBe(hex);
    expect(decodeResult(request, bytes)).toEqual(value);
  });

  test('boxed results round-trip through readResultOf', () => {
    const arbitraries = createArbitraries<Api.TypesByName>(DESCRIPTOR);
    const request: Api.phone.requestCall = {
      _: 'phone.requestCall',
      userId: { _: 'inputUserSelf' },
      randomId: 1,
      gAHash: new Uint8Array(32),
      protocol: { _: 'phoneCallProtocol', minLayer: 65, maxLayer: 92, libraryVersions: [] },
    };
    fc.assert(
      fc.property(arbitraries.arbitraryFor('phone.PhoneCall'), (value) => {
        expect(decodeResult(request, encodeResult(request, value))).toEqual(value);
      }),
      { numRuns: 50 },
    );
  });

  test('a value of another type is a TlEncodeError', () => {
    expect(() => encodeResult({ _: 'help.getNearestDc' }, { _: 'boolTrue' })).toThrow(TlEncodeError);
    expect(() => encodeResult({ _: 'no.suchMethod' }, true)).toThrow(TlEncodeError);
  });
});
