/** `mtwire/platform`: host implementations of what the pure layers take injected. */
export { nodeCompression } from './compression.js';
export { portableCompression } from './portable-compression.js';
export { defaultCompression } from './default.js';
