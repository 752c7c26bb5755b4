/**
 * The figures the README compares between Chromium and Node, measured by the same code on both: bundled
 * for the page by the browser harness and for Node by bench/browser.mjs. Each host uses its defaults
 * (defaultCrypto: OpenSSL on Node, @noble/hashes and WebAssembly AES in the browser).
 */
import { Api } from '../src/api/index.js';
import { MtprotoClient } from '../src/client/index.js';
import { defaultCrypto } from '../src/crypto/default.js';
import { aesIgeDecrypt, aesIgeEncrypt } from '../src/crypto/ige.js';
import { clientOptions, type ConnectOptions } from './party.js';

/** Milliseconds from `new MtprotoClient` to help.getConfig's answer (auth-key exchange included), one fresh client a run. */
export async function handshakeAndGetConfig(options: ConnectOptions, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const client = new MtprotoClient(clientOptions(options));
    await client.connect();
    const config = await client.invoke(new Api.help.getConfig());
    times.push(performance.now() - started);
    await client.close();
    if (config.thisDc !== options.server.dcId) throw new Error(`help.getConfig answered DC ${config.thisDc}`);
  }
  return times;
}

export interface Throughput {
  /** MB/s (10^6 bytes) over `size`-byte inputs. */
  aesIgeEncrypt: number;
  aesIgeDecrypt: number;
  sha256: number;
  size: number;
}

/** Runs `work` over and over for about `ms` after a warm-up and returns MB/s of `bytes` per call. */
function rate(bytes: number, ms: number, work: () => void): number {
  for (let i = 0; i < 20; i++) work();
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 10; i++) work();
    calls += 10;
    elapsed = performance.now() - started;
  }
  return (calls * bytes) / 1e6 / (elapsed / 1000);
}

export function cryptoThroughput(size: number, ms: number): Throughput {
  const crypto = defaultCrypto();
  const data = crypto.randomBytes(size);
  const key = crypto.randomBytes(32);
  const iv = crypto.randomBytes(32);
  const cipher = aesIgeEncrypt(data, key, iv);
  return {
    aesIgeEncrypt: rate(size, ms, () => aesIgeEncrypt(data, key, iv)),
    aesIgeDecrypt: rate(size, ms, () => aesIgeDecrypt(cipher, key, iv)),
    sha256: rate(size, ms, () => crypto.sha256(data)),
    size,
  };
}
