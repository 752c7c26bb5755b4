/** The TL tests' shared pieces: ids as they are laid on the wire, and a check that a decode fails as the runtime promises. */
import { TlDecodeError, objectToJson } from '../../src/api/index.js';
import { toHex } from '../helpers.js';

/** An id as it is laid on the wire. */
export const wire = (id: number): string => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, id, true);
  return toHex(b);
};

/** A decoded value as JSON, cut to a length that fits an error message. */
export function describeValue(v: unknown): string {
  const json = JSON.stringify(objectToJson(v));
  return json.length > 300 ? json.slice(0, 300) + '…' : json;
}

/** Runs a decode that must fail with TlDecodeError, and returns the error. */
export function decodeFails(run: () => unknown, what: string): TlDecodeError {
  let result: unknown;
  try {
    result = run();
  } catch (e) {
    if (e instanceof TlDecodeError) return e;
    throw new Error(`${what}: threw ${String(e)} instead of a TlDecodeError`);
  }
  throw new Error(`${what}: returned ${describeValue(result)} instead of throwing`);
}
