/** `mtwire/platform`: Node implementations of what the pure layers take injected. */
export { nodeCompression } from './compression.js';
