/**
 * What the data centers of one test cluster share: where each DC listens (help.getConfig's dcOptions),
 * which DC each user lives on, authorizations exported from one DC for another, cloud passwords and
 * the per-method flood limits. A lone startTestServer gets a cluster of one, where every user is at home.
 */
import { bigIntFromBytes, bigIntToBytes, readInt64LE } from '../crypto/bigint.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { TELEGRAM_DH_PRIME } from '../crypto/dh.js';
import type { CryptoProvider, RandomSource } from '../crypto/provider.js';
import { srpChallenge, srpPasswordHash, srpVerifier, srpVerify, type SrpAlgo } from '../crypto/srp.js';
import type { Api } from '../api/index.js';
import { registerBuiltinHandlers } from './handlers/index.js';
import { RpcHandlers, ServerRpcError } from './rpc.js';
import type { TestUser, TestUsers } from './users.js';

export interface DcEndpoint {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

/** At most `max` calls of a method per auth key within `perSeconds`; more get FLOOD_WAIT_X. */
export interface FloodLimit {
  readonly max: number;
  readonly perSeconds: number;
}

/** A file the cluster stores on one DC (upload.getFile elsewhere answers FILE_MIGRATE_X). */
export interface StoredFile {
  readonly dcId: number;
  readonly accessHash: bigint;
  readonly bytes: Uint8Array;
}

interface Exported {
  readonly userId: bigint;
  readonly dcId: number;
  readonly bytes: Uint8Array;
}

interface Challenge {
  readonly userId: bigint;
  readonly b: bigint;
  readonly srpB: Uint8Array;
}

interface Password {
  readonly algo: SrpAlgo;
  readonly verifier: bigint;
}

/** Outstanding srp_ids and exported authorizations kept at once; older ones are forgotten first. */
const MAX_OUTSTANDING = 1024;

/** What a data center's core offers the others: updates for a user who may be signed in there. */
export interface ClusterMember {
  pushUpdate(userId: bigint, updates: Api.TypeUpdates): void;
}

export class ClusterState {
  readonly endpoints = new Map<number, DcEndpoint>();
  readonly members = new Set<ClusterMember>();
  readonly handlers = new RpcHandlers();
  readonly floodLimits: ReadonlyMap<string, FloodLimit>;
  /** By document id. */
  readonly files = new Map<bigint, StoredFile>();
  private readonly exported = new Map<bigint, Exported>();
  private readonly challenges = new Map<bigint, Challenge>();
  private readonly passwords = new Map<bigint, Password>();
  /** Calls by method and auth key: the server-clock seconds of each within the window. */
  private readonly calls = new Map<string, number[]>();

  constructor(
    readonly users: TestUsers,
    private readonly crypto: CryptoProvider,
    private readonly random: RandomSource,
    floodLimits: Readonly<Record<string, FloodLimit>> = {},
  ) {
    this.floodLimits = new Map(Object.entries(floodLimits));
    registerBuiltinHandlers(this.handlers);
  }

  /** Updates reach the user on whichever data centers they are signed in. */
  pushUpdate(userId: bigint, updates: Api.TypeUpdates): void {
    for (const member of this.members) member.pushUpdate(userId, updates);
  }

  /** The user's home DC, or undefined when any DC serves them (a cluster of one, or no home given). */
  homeOf(user: TestUser): number | undefined {
    return this.endpoints.size > 1 ? user.homeDc : undefined;
  }

  /** 303 `<kind>_MIGRATE_<home>` when `user` lives elsewhere than `dcId`. */
  requireHome(user: TestUser, dcId: number, kind: 'PHONE' | 'USER'): void {
    const home = this.homeOf(user);
    if (home !== undefined && home !== dcId) throw new ServerRpcError(303, `${kind}_MIGRATE_${home}`);
  }

  exportAuthorization(userId: bigint, dcId: number): Api.auth.ExportedAuthorization {
    if (!this.endpoints.has(dcId)) throw new ServerRpcError(400, 'DC_ID_INVALID');
    const bytes = this.random(64);
    const id = readInt64LE(this.random(8));
    remember(this.exported, id, { userId, dcId, bytes });
    return { _: 'auth.exportedAuthorization', id, bytes };
  }

  /** The user an exported authorization names, once, on the DC it was exported for. */
  importAuthorization(id: bigint, bytes: Uint8Array, dcId: number): bigint {
    const entry = this.exported.get(id);
    if (!entry || entry.dcId !== dcId || !constantTimeEqual(entry.bytes, bytes)) throw new ServerRpcError(400, 'AUTH_BYTES_INVALID');
    this.exported.delete(id);
    return entry.userId;
  }

  hasPassword(user: TestUser): boolean {
    return user.password !== undefined;
  }

  /** account.password for `user`, with a fresh SRP challenge (srp_B, srp_id) when they have a password. */
  passwordInfo(user: TestUser): Api.account.Password {
    const base = {
      _: 'account.password' as const,
      newAlgo: this.algoOf(user)[1],
      newSecureAlgo: { _: 'securePasswordKdfAlgoPBKDF2HMACSHA512iter100000' as const, salt: this.random(8) },
      secureRandom: this.random(32),
    };
    if (user.password === undefined) return base;
    const { algo, verifier } = this.passwordOf(user);
    const b = bigIntFromBytes(this.random(256));
    const srpB = srpChallenge(algo, verifier, b, this.crypto);
    const srpId = readInt64LE(this.random(8));
    remember(this.challenges, srpId, { userId: user.id, b, srpB });
    return {
      ...base,
      hasPassword: true,
      currentAlgo: { _: 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow', ...algo },
      srpB,
      srpId,
    };
  }

  /** Checks an inputCheckPasswordSRP for `user`: SRP_ID_INVALID for an unknown or used srp_id, PASSWORD_HASH_INVALID for a wrong proof. */
  checkPassword(user: TestUser, input: Api.TypeInputCheckPasswordSRP): void {
    if (input._ !== 'inputCheckPasswordSRP') throw new ServerRpcError(400, 'PASSWORD_HASH_INVALID');
    const challenge = this.challenges.get(input.srpId);
    if (!challenge || challenge.userId !== user.id) throw new ServerRpcError(400, 'SRP_ID_INVALID');
    this.challenges.delete(input.srpId); // one proof per challenge, right or wrong
    const { algo, verifier } = this.passwordOf(user);
    if (!srpVerify(algo, { verifier, b: challenge.b, srpB: challenge.srpB }, { A: input.A, M1: input.M1 }, this.crypto)) {
      throw new ServerRpcError(400, 'PASSWORD_HASH_INVALID');
    }
  }

  /** Seconds the caller must wait before calling `method` again under this key, or 0 (and the call counts). */
  floodWait(method: string, authKeyId: string, nowSeconds: number): number {
    const limit = this.floodLimits.get(method);
    if (!limit) return 0;
    const key = `${method} ${authKeyId}`;
    const recent = (this.calls.get(key) ?? []).filter((t) => t > nowSeconds - limit.perSeconds);
    if (recent.length >= limit.max) {
      this.calls.set(key, recent);
      return Math.max(1, Math.ceil(recent[0]! + limit.perSeconds - nowSeconds));
    }
    recent.push(nowSeconds);
    this.calls.set(key, recent);
    return 0;
  }

  /** The salts are fixed per user, so every DC and every challenge agree on them; the verifier is computed once. */
  private algoOf(user: TestUser): [SrpAlgo, Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow] {
    const seed = bigIntToBytes(user.id, 8);
    const algo: SrpAlgo = {
      salt1: this.crypto.sha256(seed, new Uint8Array([1])),
      salt2: this.crypto.sha256(seed, new Uint8Array([2])).subarray(0, 16),
      g: 3,
      p: bigIntToBytes(TELEGRAM_DH_PRIME, 256),
    };
    return [algo, { _: 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow', ...algo }];
  }

  private passwordOf(user: TestUser): Password {
    let entry = this.passwords.get(user.id);
    if (!entry) {
      const [algo] = this.algoOf(user);
      const x = srpPasswordHash(new TextEncoder().encode(user.password ?? ''), algo, this.crypto);
      entry = { algo, verifier: srpVerifier(algo, x, this.crypto) };
      this.passwords.set(user.id, entry);
    }
    return entry;
  }
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= MAX_OUTSTANDING) break;
    map.delete(oldest);
  }
}
