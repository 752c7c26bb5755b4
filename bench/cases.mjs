// The case registry, by group. A group module exports { title, notes, cases }, `cases` mapping each
// case name to a function that builds the case (only in the process that times it). A case is
// { bytes?, peers: { mtwire?, mtcute?, gramjs? }, skipped: { peer: reason }, failed: { peer: reason } },
// each peer entry a zero-argument function timed as one operation (see peers.mjs defineCase); `bytes` gives MB/s.
const hook = (title) => async () => ({ title, notes: [], cases: {} });

export const groups = {
  tl: () => import('./tl.mjs'),
  crypto: () => import('./crypto.mjs'),
  // Hooks for the lead: transport throughput (framing + obfuscation + encryption of a message stream)
  // and full handshakes against a local server. Empty until those benches are written.
  transport: hook('Transport throughput'),
  handshake: hook('Handshake'),
};
