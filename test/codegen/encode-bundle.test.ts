/**
 * Issue 15 part 5: a program that only sends a call must not carry the readers of its result. A browser
 * bundle that encodes the seed's phone.requestCall is built with esbuild (minified) and weighed gzipped.
 */
import { describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { root } from './emitters-helpers.js';

const types = (module: string) => JSON.stringify(join(root, 'src/generated/api/types', module));

/** The seed's request, built and encoded; `extra` is appended to the module. */
const program = (extra = '') => `
import * as phone from ${types('phone.js')};
import { InputUser, PhoneCallProtocol } from ${types('index.js')};
${extra}
const request = new phone.requestCall({
  video: true,
  userId: new InputUser({ userId: 123456789, accessHash: -1234567890123456789n }),
  randomId: 3511366,
  gAHash: new Uint8Array(32),
  protocol: new PhoneCallProtocol({ udpP2p: true, udpReflector: true, minLayer: 65, maxLayer: 92, libraryVersions: ['2.4.4'] }),
});
console.log(phone.requestCall.encode(request));
`;

function bundle(code: string): { text: string; gzipBytes: number } {
  const out = buildSync({
    stdin: { contents: code, loader: 'ts', resolveDir: root },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const text = out.outputFiles[0]!.text;
  return { text, gzipBytes: gzipSync(text).length };
}

describe('a browser bundle that only encodes phone.requestCall', () => {
  it('is at most 10 KB gzipped, with no import of node: modules', () => {
    const { text, gzipBytes } = bundle(program());
    expect(gzipBytes).toBeLessThanOrEqual(10 * 1024);
    expect(text).toContain('"phone.requestCall"');
    expect(text).not.toMatch(/from\s*"node:/);
  });

  it('holds no reader of the result: phone.PhoneCall, User and the rest come only with readResultOf', () => {
    const encodeOnly = bundle(program()).text;
    // Constructors that only the result's reader names (each reader builds objects with its TL name).
    const resultOnly = ['"phoneCallWaiting"', '"phone.phoneCall"', '"userStatusOnline"'];
    for (const name of resultOnly) expect(encodeOnly).not.toContain(name);
    const reading = bundle(
      program(`import { readResultOf } from ${JSON.stringify(join(root, 'src/generated/api/codec.js'))};\nconsole.log(readResultOf);`),
    );
    for (const name of resultOnly) expect(reading.text).toContain(name);
  });
});
