/** Saved sessions record pending requests as self-describing JSON: every method object comes back equal, and bad records are typed errors. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { requestFromJson, requestToJson } from '../../src/client/request-json.js';
import { SavedSessionError } from '../../src/client/session-errors.js';
import { Api, encodeMethod } from '../../src/api/index.js';
import { allEntryNames, arbitraryFor } from '../../src/testing/index.js';

const methods = allEntryNames('method');

describe('request JSON', () => {
  test('any method object, through JSON text, comes back equal and encodes to the same bytes', () => {
    const anyMethod = fc.constantFrom(...methods).chain((name) => arbitraryFor(name));
    fc.assert(
      fc.property(anyMethod, (request) => {
        const back = requestFromJson(JSON.parse(JSON.stringify(requestToJson(request))));
        expect(back).toEqual(request);
        expect(encodeMethod(back)).toEqual(encodeMethod(request));
      }),
      { numRuns: 300 },
    );
  });

  test('longs, bytes and doubles JSON cannot hold are tagged; absent fields are left out', () => {
    const request = new Api.messages.sendMessage({ peer: new Api.InputPeerSelf(), message: 'hi', randomId: -(2n ** 63n) });
    expect(requestToJson(request)).toEqual({
      _: 'messages.sendMessage',
      peer: { _: 'inputPeerSelf' },
      message: 'hi',
      randomId: { $long: '-9223372036854775808' },
    });
    expect(requestToJson({ _: 'x', b: new Uint8Array([0, 255]), d: [NaN, -Infinity, -0, 0.5] })).toEqual({
      _: 'x',
      b: { $bytes: '00ff' },
      d: [{ $double: 'NaN' }, { $double: '-Infinity' }, { $double: '-0' }, 0.5],
    });
    expect(requestFromJson({ _: 'x', d: [{ $double: 'NaN' }, { $double: 'Infinity' }, { $double: '-0' }] })).toEqual({
      _: 'x',
      d: [NaN, Infinity, -0],
    });
  });

  test('what no TL object holds, and records that do not fit, are SavedSessionErrors naming where', () => {
    expect(() => requestToJson({ _: 'x', f: () => 1 })).toThrow(expect.objectContaining({ name: 'SavedSessionError', path: 'request.f' }));
    const bad: [unknown, string][] = [
      [{ _: 'x', a: [{ $long: '12a' }] }, 'pending[0].request.a[0]'],
      [{ _: 'x', b: { $bytes: 'abc' } }, 'pending[0].request.b'],
      [{ _: 'x', d: { $double: 5 } }, 'pending[0].request.d'],
      [{ _: 'x', d: { $double: '1e3' } }, 'pending[0].request.d'],
      [{ id: 1 }, 'pending[0].request'],
      ['messages.sendMessage', 'pending[0].request'],
      [null, 'pending[0].request'],
    ];
    for (const [json, path] of bad) {
      expect(() => requestFromJson(json, 'pending[0].request'), path).toThrow(SavedSessionError);
      expect(() => requestFromJson(json, 'pending[0].request'), path).toThrow(expect.objectContaining({ path }));
    }
  });
});
