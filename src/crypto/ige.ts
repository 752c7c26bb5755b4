/**
 * AES-IGE (Infinite Garble Extension), the cipher mode of MTProto 2.0 messages and of the
 * auth-key handshake. With blocks p_i (plaintext) and c_i (ciphertext):
 *
 *   encrypt: c_i = AES_enc(p_i ^ c_{i-1}) ^ p_{i-1}
 *   decrypt: p_i = AES_dec(c_i ^ p_{i-1}) ^ c_{i-1}
 *
 * and the 32-byte IV holds c_0 = iv[0:16] and p_0 = iv[16:32] (OpenSSL's AES_ige_encrypt convention,
 * also Telegram's, tdlib's, mtcute's, gramjs's). IGE adds no padding: lengths must be multiples of 16.
 * Keys of 32 bytes (AES-256, what MTProto uses) and 16 bytes (AES-128, for the OpenSSL vectors).
 *
 * Two implementations with identical results: generated WebAssembly (./ige-wasm.ts), the default,
 * and plain TypeScript (./ige-portable.ts) where WebAssembly is unavailable. Both chain block by block
 * through our own AES core: each block's input depends on the previous block's output, and one native
 * call per 16-byte block is far slower than either. Long encryptions are the exception: they are
 * rewritten as one AES-CBC call where node:crypto exists (./ige-cbc.ts).
 */
import { MtwireError } from '../base/errors.js';
import { expandKey, invertKey } from './aes-core.js';
import { igePortable } from './ige-portable.js';
import { IGE_CBC_MIN_BYTES, igeEncryptCbc } from './ige-cbc.js';
import { createWasmIge } from './ige-wasm.js';

/** Bad arguments to a crypto primitive: wrong key, IV or data length. */
export class CryptoInputError extends MtwireError {
  constructor(message: string) {
    super('CRYPTO_INPUT', message);
  }
}

/** AES-IGE under one key: the encryption schedule is computed once, the decryption one on first decrypt. */
export interface AesIge {
  encrypt(data: Uint8Array, iv: Uint8Array): Uint8Array;
  decrypt(data: Uint8Array, iv: Uint8Array): Uint8Array;
}

/** One implementation of the whole API; `igeBackends` exposes both for tests and benchmarks. */
export interface IgeBackend {
  readonly name: 'wasm' | 'portable';
  /** `into` as for aesIgeEncrypt: where the result goes (it may be data itself), else a new array. */
  encrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array, into?: Uint8Array): Uint8Array;
  decrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array, into?: Uint8Array): Uint8Array;
  create(key: Uint8Array): AesIge;
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || (key.length !== 32 && key.length !== 16)) {
    throw new CryptoInputError(`AES-IGE key must be 16 or 32 bytes, got ${describe(key)}`);
  }
}

function checkDataIv(data: Uint8Array, iv: Uint8Array, into?: Uint8Array): void {
  if (!(data instanceof Uint8Array) || data.length % 16 !== 0) {
    throw new CryptoInputError(`AES-IGE data length must be a multiple of 16, got ${describe(data)}`);
  }
  if (!(iv instanceof Uint8Array) || iv.length !== 32) {
    throw new CryptoInputError(`AES-IGE IV must be 32 bytes, got ${describe(iv)}`);
  }
  if (into !== undefined && (!(into instanceof Uint8Array) || into.length !== data.length)) {
    throw new CryptoInputError(`AES-IGE output must be ${data.length} bytes like the input, got ${describe(into)}`);
  }
}

const describe = (x: unknown): string => (x instanceof Uint8Array ? `${x.length} bytes` : typeof x);

type WithSchedule = (dec: boolean, rk: Int32Array, data: Uint8Array, iv: Uint8Array) => Uint8Array;

/** A cached-schedule AesIge over `run`; the decryption schedule is derived on first decrypt. */
function keyed(key: Uint8Array, run: WithSchedule): AesIge {
  checkKey(key);
  const ek = expandKey(key);
  let dk: Int32Array | undefined;
  return {
    encrypt(data, iv) {
      checkDataIv(data, iv);
      return run(false, ek, data, iv);
    },
    decrypt(data, iv) {
      checkDataIv(data, iv);
      return run(true, (dk ??= invertKey(ek)), data, iv);
    },
  };
}

const portableBackend: IgeBackend = {
  name: 'portable',
  encrypt(data, key, iv, into) {
    checkKey(key);
    checkDataIv(data, iv, into);
    return igePortable(false, expandKey(key), data, iv, into);
  },
  decrypt(data, key, iv, into) {
    checkKey(key);
    checkDataIv(data, iv, into);
    return igePortable(true, invertKey(expandKey(key)), data, iv, into);
  },
  create: (key) => keyed(key, igePortable),
};

function makeWasmBackend(): IgeBackend | null {
  let wasm;
  try {
    wasm = createWasmIge();
  } catch {
    return null; // no WebAssembly here (or it is disabled, e.g. by a CSP): the portable path serves
  }
  const w = wasm;
  return {
    name: 'wasm',
    encrypt(data, key, iv, into) {
      checkKey(key);
      checkDataIv(data, iv, into);
      return w.withKey(false, key, data, iv, into);
    },
    decrypt(data, key, iv, into) {
      checkKey(key);
      checkDataIv(data, iv, into);
      return w.withKey(true, key, data, iv, into);
    },
    create: (key) => keyed(key, w.withSchedule),
  };
}

let wasmBackend: IgeBackend | null | undefined;

/** Compiles the module on first use rather than at import (a few milliseconds not every user needs). */
function wasmOrNull(): IgeBackend | null {
  if (wasmBackend === undefined) wasmBackend = makeWasmBackend();
  return wasmBackend;
}

/** Both implementations; `wasm` is null where WebAssembly cannot be used. */
export const igeBackends: { readonly wasm: IgeBackend | null; readonly portable: IgeBackend } = {
  get wasm() {
    return wasmOrNull();
  },
  portable: portableBackend,
};

/**
 * AES-IGE encryption; `iv` is not modified. The ciphertext goes into `into` when given (same length as
 * data; it may be data itself, encrypting in place), else into a new array and `data` is not modified.
 */
export function aesIgeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array, into?: Uint8Array): Uint8Array {
  return run(false, data, key, iv, into);
}

/** AES-IGE decryption, with `into` as for aesIgeEncrypt. */
export function aesIgeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array, into?: Uint8Array): Uint8Array {
  return run(true, data, key, iv, into);
}

function run(dec: boolean, data: Uint8Array, key: Uint8Array, iv: Uint8Array, into: Uint8Array | undefined): Uint8Array {
  const cbc = !dec && data instanceof Uint8Array && data.length >= IGE_CBC_MIN_BYTES ? igeEncryptCbc() : null;
  if (cbc) {
    checkKey(key);
    checkDataIv(data, iv, into);
    return cbc(data, key, iv, into);
  }
  const backend = wasmOrNull() ?? portableBackend;
  return dec ? backend.decrypt(data, key, iv, into) : backend.encrypt(data, key, iv, into);
}

/**
 * AES-IGE under a fixed key with the key schedule computed once: for many messages under one key.
 * (MTProto derives a new key per message, so the one-shot functions above are the usual path; they
 * compute the schedule inside WebAssembly and are nearly as fast.)
 */
export function createAesIge(key: Uint8Array): AesIge {
  const ige = (wasmOrNull() ?? portableBackend).create(key);
  const cbc = igeEncryptCbc();
  if (!cbc) return ige;
  const ownKey = key.slice();
  return {
    encrypt: (data, iv) => {
      if (!(data instanceof Uint8Array && data.length >= IGE_CBC_MIN_BYTES)) return ige.encrypt(data, iv);
      checkDataIv(data, iv);
      return cbc(data, ownKey, iv);
    },
    decrypt: (data, iv) => ige.decrypt(data, iv),
  };
}
