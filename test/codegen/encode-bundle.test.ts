/**
 * Issue 15 part 5: a program that only sends a call must not carry the readers of its result. The browser
 * bundle of scripts/check-bundles.mjs that encodes the seed's phone.requestCall is weighed and searched.
 */
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, ENCODE_REQUEST_CALL } from '../../scripts/check-bundles.mjs';

describe('a browser bundle that only encodes phone.requestCall', () => {
  it('is at most 10 KB gzipped, with no Node built-in', async () => {
    const { gzip, nodeImports, text } = await bundleForBrowser('encode', { source: ENCODE_REQUEST_CALL });
    expect(gzip).toBeLessThanOrEqual(10 * 1024);
    expect(nodeImports).toEqual([]);
    expect(text).toContain('"phone.requestCall"');
  });

  it('holds no reader of the result: phone.PhoneCall, User and the rest come only with readResultOf', async () => {
    // Constructors that only the result's reader names (each reader builds objects with its TL name).
    const resultOnly = ['"phoneCallWaiting"', '"phone.phoneCall"', '"userStatusOnline"'];
    const encodeOnly = await bundleForBrowser('encode', { source: ENCODE_REQUEST_CALL });
    for (const name of resultOnly) expect(encodeOnly.text).not.toContain(name);
    const reading = await bundleForBrowser('encode and read', {
      source: `${ENCODE_REQUEST_CALL}\nexport { readResultOf } from './src/generated/api/codec.ts';`,
    });
    for (const name of resultOnly) expect(reading.text).toContain(name);
  });
});
