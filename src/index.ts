/**
 * mtwire: a small, exact MTProto 2.0 core. This entry point re-exports the layers; each is also
 * importable on its own (`mtwire/tl`, `mtwire/testing`, `mtwire/codegen`).
 */
export * from './tl/index.js';
export { MtwireError } from './errors.js';
