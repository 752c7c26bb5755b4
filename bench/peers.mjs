// The peers and the one way a case is built for them.
import * as gramjs from './adapters/gramjs.mjs';
import * as mtcute from './adapters/mtcute.mjs';
import * as mtwire from './adapters/mtwire.mjs';

const adapters = { mtwire, mtcute, gramjs };

/**
 * Builds a case of the registry. For each peer, `make(adapter)` checks the peer's output once and
 * returns the function to time, or returns undefined when the adapter lacks what the case needs
 * (`skipped`); a peer whose check throws is not timed either (`failed`).
 */
export function defineCase({ reference, ...meta }, make) {
  const c = { ...meta, peers: {}, skipped: {}, failed: {} };
  // A machine baseline timed with the peers (the `node` column), e.g. OpenSSL's own DH for modPow.
  if (reference) c.peers.node = reference;
  for (const [peer, adapter] of Object.entries(adapters)) {
    try {
      const fn = make(adapter);
      if (fn) c.peers[peer] = fn;
      else c.skipped[peer] = adapter.missing ?? 'not provided by its adapter';
    } catch (e) {
      c.failed[peer] = e.message;
    }
  }
  return c;
}

export function assertBytes(actual, expected, what) {
  if (Buffer.compare(Buffer.from(actual), Buffer.from(expected)) !== 0) {
    throw new Error(`${what}: output differs from the expected ${expected.length} bytes (got ${actual.length})`);
  }
}
