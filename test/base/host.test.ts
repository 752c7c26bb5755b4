/** Run-time lookup of Node built-ins, and the defaults that depend on it, on Node and on a host without them. */
import { afterEach, describe, expect, test } from 'vitest';
import { MtwireError } from '../../src/base/errors.js';
import { nodeBuiltin, requireNodeBuiltin } from '../../src/base/host.js';
import { defaultCrypto } from '../../src/crypto/default.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { portableCrypto } from '../../src/crypto/portable.js';
import { nodeCompression } from '../../src/platform/compression.js';
import { defaultCompression } from '../../src/platform/default.js';
import { portableCompression } from '../../src/platform/portable-compression.js';
import { connectTcp } from '../../src/transport/tcp.js';

/** Makes this process look like a browser's: no process.getBuiltinModule. */
function withoutNodeBuiltins(): void {
  Object.defineProperty(process, 'getBuiltinModule', { value: undefined, configurable: true, writable: true });
}

const original = process.getBuiltinModule;
afterEach(() => {
  Object.defineProperty(process, 'getBuiltinModule', { value: original, configurable: true, writable: true });
});

describe('on Node', () => {
  test('built-ins are found, and the defaults are the node:crypto and node:zlib implementations', () => {
    expect(nodeBuiltin<{ gzipSync: unknown }>('node:zlib')?.gzipSync).toBeTypeOf('function');
    expect(nodeBuiltin('node:no-such-module')).toBeUndefined();
    expect(defaultCrypto()).toBe(nodeCrypto);
    expect(defaultCompression()).toBe(nodeCompression);
  });
});

describe('on a host without Node built-ins', () => {
  test('the defaults are the portable providers', () => {
    withoutNodeBuiltins();
    expect(nodeBuiltin('node:zlib')).toBeUndefined();
    expect(defaultCrypto()).toBe(portableCrypto);
    expect(defaultCompression()).toBe(portableCompression);
  });

  test('what cannot work without one fails with a typed error naming the module and the caller', async () => {
    withoutNodeBuiltins();
    expect(() => requireNodeBuiltin('node:net', 'connectTcp')).toThrow('connectTcp needs node:net, which this host does not provide');
    await expect(connectTcp({ host: '127.0.0.1', port: 1 })).rejects.toMatchObject({ code: 'HOST_UNSUPPORTED' });
    expect(() => nodeCompression.gzip(new Uint8Array(1))).toThrow(MtwireError);
  });
});
