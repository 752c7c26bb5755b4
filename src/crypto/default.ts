/** The provider a client or server uses when the caller names none. */
import { nodeBuiltin } from '../base/host.js';
import { nodeCrypto } from './node.js';
import { portableCrypto } from './portable.js';
import type { CryptoProvider } from './provider.js';

/**
 * node:crypto (OpenSSL) where the host has it: Node, and Deno and Bun through their Node compatibility.
 * Elsewhere (browsers, workers) the portable provider: Web Crypto's getRandomValues, @noble/hashes and
 * bigint exponentiation; AES-IGE and PQ factorization run on WebAssembly under either provider.
 */
export function defaultCrypto(): CryptoProvider {
  return nodeBuiltin('node:crypto') === undefined ? portableCrypto : nodeCrypto;
}
