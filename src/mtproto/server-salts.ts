/**
 * The server salts of one auth key (spec §3, §6): each salt is current for SALT_PERIOD seconds and still
 * accepted for GRACE seconds after that, and get_future_salts hands out the ones to come. Salts belong
 * to the key, so every session of the key shares one instance. Pure: the caller passes the time.
 */
import { readInt64LE } from '../crypto/bigint.js';
import { takeRandom, type RandomSource } from '../crypto/provider.js';
import type { Api as Service } from '../generated/service/index.js';

/** How long each salt is the current one. */
export const SALT_PERIOD = 1800;
/** How long a salt is still accepted once the next one is current. */
export const SALT_GRACE = 1800;
/** get_future_salts answers with at most this many salts. */
export const MAX_FUTURE_SALTS = 64;

interface SaltWindow {
  readonly salt: bigint;
  readonly validSince: number;
  readonly validUntil: number;
}

export class ServerSalts {
  /** Consecutive windows, oldest first; the last one always reaches past "now". */
  private windows: SaltWindow[];

  /** `first`: the salt the handshake derived, current from `nowSeconds` on. */
  constructor(
    first: bigint,
    nowSeconds: number,
    private readonly random: RandomSource,
  ) {
    const since = Math.floor(nowSeconds);
    this.windows = [{ salt: first, validSince: since, validUntil: since + SALT_PERIOD }];
  }

  /** The salt the server puts in its messages now. */
  current(nowSeconds: number): bigint {
    this.extend(nowSeconds, 1);
    // The first window not yet over: the one covering now (or the first one, if the clock went back).
    return this.windows.find((w) => nowSeconds < w.validUntil)!.salt;
  }

  /** Whether a client message may carry `salt`: the current salt, or an earlier one within its grace time. */
  accepts(salt: bigint, nowSeconds: number): boolean {
    this.extend(nowSeconds, 1);
    return this.windows.some((w) => w.salt === salt && w.validSince <= nowSeconds && nowSeconds < w.validUntil + SALT_GRACE);
  }

  /** The current salt and the ones after it, `count` in all (1..64), for future_salts. */
  future(count: number, nowSeconds: number): Service.FutureSalt[] {
    const n = Math.min(Math.max(count, 1), MAX_FUTURE_SALTS);
    this.extend(nowSeconds, n);
    return this.windows
      .filter((w) => nowSeconds < w.validUntil)
      .slice(0, n)
      .map((w) => ({ _: 'future_salt', validSince: w.validSince, validUntil: w.validUntil, salt: w.salt }));
  }

  /** Replaces every salt with a fresh one at once, so that the old salts are refused (a test's forced rotation). */
  rotate(nowSeconds: number): bigint {
    const since = Math.floor(nowSeconds);
    this.windows = [{ salt: this.randomSalt(), validSince: since, validUntil: since + SALT_PERIOD }];
    return this.windows[0]!.salt;
  }

  /** Makes sure `count` windows from the current one on exist, and forgets windows past their grace time. */
  private extend(nowSeconds: number, count: number): void {
    this.windows = this.windows.filter((w) => nowSeconds < w.validUntil + SALT_GRACE);
    if (this.windows.length === 0) this.rotate(nowSeconds);
    const upcoming = () => this.windows.filter((w) => nowSeconds < w.validUntil).length;
    while (upcoming() < count) {
      const last = this.windows[this.windows.length - 1]!;
      this.windows.push({ salt: this.randomSalt(), validSince: last.validUntil, validUntil: last.validUntil + SALT_PERIOD });
    }
  }

  private randomSalt(): bigint {
    return readInt64LE(takeRandom(this.random, 8), 0);
  }
}
