// The case registry, by group. A group module exports { title, notes, cases }, `cases` mapping each
// case name to a function that builds the case (only in the process that times it). A case is
// { bytes?, peers: { mtwire?, mtcute?, gramjs? }, skipped: { peer: reason }, failed: { peer: reason } },
// each peer entry a zero-argument function timed as one operation (see peers.mjs defineCase); `bytes` gives MB/s.
export const groups = {
  tl: () => import('./tl.mjs'),
  crypto: () => import('./crypto.mjs'),
  transport: () => import('./transport.mjs'),
  handshake: () => import('./handshake.mjs'),
  password: () => import('./password.mjs'),
};
