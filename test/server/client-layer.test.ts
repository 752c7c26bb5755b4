/** The layer a request declares, read from its bytes before any schema decodes it. */
import { expect, test } from 'vitest';
import { encodeObject, type TlObject } from '../../src/api/index.js';
import { declaredLayer, isServableLayer } from '../../src/server/client-layer.js';

const getConfig = { _: 'help.getConfig' } as TlObject;
const withLayer = (layer: number, query: TlObject = getConfig) => ({ _: 'invokeWithLayer', layer, query }) as TlObject;

test('invokeWithLayer at the top, or under invokeWithoutUpdates / invokeAfterMsg, declares its layer', () => {
  expect(declaredLayer(encodeObject(withLayer(144)))).toBe(144);
  expect(declaredLayer(encodeObject({ _: 'invokeWithoutUpdates', query: withLayer(98) } as TlObject))).toBe(98);
  expect(declaredLayer(encodeObject({ _: 'invokeAfterMsg', msgId: 5n, query: withLayer(229) } as TlObject))).toBe(229);
  expect(
    declaredLayer(encodeObject({ _: 'invokeWithoutUpdates', query: { _: 'invokeAfterMsg', msgId: 1n, query: withLayer(-1) } } as TlObject)),
  ).toBe(-1);
});

test('a request without invokeWithLayer, or cut short before its layer, declares none', () => {
  expect(declaredLayer(encodeObject(getConfig))).toBeUndefined();
  expect(declaredLayer(encodeObject({ _: 'invokeWithoutUpdates', query: getConfig } as TlObject))).toBeUndefined();
  expect(declaredLayer(encodeObject(withLayer(144)).subarray(0, 6))).toBeUndefined();
  expect(declaredLayer(new Uint8Array(0))).toBeUndefined();
});

test('98 to 228 are servable; below, above and fractions are not', () => {
  expect([97, 98, 141, 228, 229, 150.5, -1].map(isServableLayer)).toEqual([false, true, true, true, false, false, false]);
});
