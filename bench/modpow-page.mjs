// The page side of bench/modpow-run.mjs.
import { modPowTable } from './modpow.mjs';

globalThis.mtwireModPow = modPowTable;
