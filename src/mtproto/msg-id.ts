/**
 * Message ids (spec §3): about unixtime * 2^32, the low 32 bits a fraction of the second, strictly
 * increasing per sender, and the two low bits give the sender's class: client ≡ 0 (mod 4), server ≡ 1 for a
 * response to a client message and ≡ 3 for anything else.
 */
import { MtwireError } from '../base/errors.js';

export type MsgIdKind = 'client' | 'response' | 'notification';

const KIND_RESIDUE: Record<MsgIdKind, bigint> = { client: 0n, response: 1n, notification: 3n };
const FRACTION_SCALE = 2 ** 32 / 1000;
const LOW_32 = 0xffff_ffffn;

/** Anything that hands out msg_ids; the auth-key state machines take one so tests can replay recorded ids. */
export interface MsgIdSource {
  next(kind?: MsgIdKind): bigint;
}

/** The raw (class bits not yet forced) msg_id for a time in unix milliseconds. */
export function msgIdForTime(unixMs: number): bigint {
  if (!Number.isFinite(unixMs) || unixMs < 0) throw new MtwireError('CLOCK', `clock gave ${unixMs}, not a unix time in ms`);
  const seconds = Math.floor(unixMs / 1000);
  // Rounding in `unixMs - seconds * 1000` can land a hair outside [0, 1000); the clamp keeps 32 bits.
  const fraction = Math.min(Math.max(Math.floor((unixMs - seconds * 1000) * FRACTION_SCALE), 0), 2 ** 32 - 1);
  return (BigInt(seconds) << 32n) | BigInt(fraction);
}

/** The unixtime (seconds) a msg_id claims; a peer's msg_id is how the session learns the peer's clock. */
export function msgIdSeconds(msgId: bigint): number {
  return Number(BigInt.asUintN(64, msgId) >> 32n);
}

/**
 * Whether `msgId` has the class bits of `sender`: a client sends ≡ 0 (mod 4), a server an odd id.
 */
export function hasSenderParity(msgId: bigint, sender: 'client' | 'server'): boolean {
  const low = msgId & 3n;
  return sender === 'client' ? low === 0n : (low & 1n) === 1n;
}

/**
 * The msg_ids of one sender. `now` is the local clock in ms; `timeOffset` (seconds, server time minus
 * local time) moves a client onto the server's clock once the handshake or a bad_msg_notification has
 * told it the difference.
 */
export class MsgIdGenerator implements MsgIdSource {
  timeOffset: number;
  private last = 0n;

  constructor(
    private readonly now: () => number,
    timeOffset = 0,
  ) {
    this.timeOffset = timeOffset;
  }

  /** Makes every later id greater than `msgId` (one this sender used before, e.g. in a saved session). */
  advancePast(msgId: bigint): void {
    if (msgId > this.last) this.last = msgId;
  }

  /** The next id of class `kind`: from the clock, or just above the previous id when the clock has not moved on. */
  next(kind: MsgIdKind = 'client'): bigint {
    const residue = KIND_RESIDUE[kind];
    let id = (msgIdForTime(this.now() + this.timeOffset * 1000) & ~3n) | residue;
    if (id <= this.last) id = this.last + 1n + ((residue - this.last - 1n) & 3n);
    // A client id of exactly a whole second would have zero low bits, which the spec forbids.
    if ((id & LOW_32) === 0n) id += 4n;
    this.last = id;
    return id;
  }
}
