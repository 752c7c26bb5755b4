/**
 * mtwire: a small, exact MTProto 2.0 core. This entry point has the TL layer, the client and the call
 * helpers; the other layers are subpaths (`mtwire/api` tree-shakable API, `mtwire/tl` runtime,
 * `mtwire/crypto`, `mtwire/transport`, `mtwire/mtproto`, `mtwire/server` test server, `mtwire/testing`
 * arbitraries, `mtwire/codegen`).
 */
export * from './api/index.js';
export * from './client/index.js';
export * from './calls/index.js';
export { MtwireError } from './base/errors.js';
