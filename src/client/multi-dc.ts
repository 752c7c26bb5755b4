/**
 * A client for an account that lives on one data center among several: one MtprotoClient per DC,
 * created when first needed, and the rules Telegram's errors ask for.
 *
 * - PHONE_MIGRATE_X, USER_MIGRATE_X, NETWORK_MIGRATE_X: the account's home is DC X; the request is sent
 *   again there and X stays home for what follows.
 * - FILE_MIGRATE_X, STATS_MIGRATE_X: this one request goes to DC X; home does not move.
 * - A DC other than home is authorized before its first request by auth.exportAuthorization at home and
 *   auth.importAuthorization there.
 * - FLOOD_WAIT_X: slept through and retried up to a threshold, a FloodWaitError above it.
 * - The session (every DC's key and salt, home, clock offset, user id) goes to `storage` after a sign-in,
 *   a migration and a new key, and comes from it on connect.
 */
import { bytesToHex, hexToBytes } from '../base/hex.js';
import { MtwireError } from '../base/errors.js';
import type { TlObject } from '../api/index.js';
// Types only: requests are plain objects, since a value in a nested namespace (`Api.auth.x`) keeps every
// entry of `Api.auth` in a bundle, each with its reader and writer.
import type * as Api from '../generated/api/types/index.js';
import { MtprotoClient } from './client.js';
import type { ClientOptions } from './options.js';
import type { SavedSession } from './saved-session.js';
import { defaultCrypto } from '../crypto/default.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { RpcError } from './errors.js';
import { createBoundTempKey, createPermanentKey } from './temp-key.js';
import { withFloodWait, type FloodWaitPolicy } from './flood-wait.js';
import type { TransportOptions } from './link.js';
import type { SessionStorage } from './session-storage.js';
import type { DcKey, SessionData } from './session-string.js';
import { UpdateStream } from './updates.js';

export interface MultiDcClientOptions extends Omit<ClientOptions, 'transport' | 'dcId' | 'session'> {
  /** The DC to start on when the session names no home (Telegram's clients start on DC 2). */
  dcId: number;
  /** How to reach DCs; a DC not listed is looked up in the home DC's help.getConfig (TCP, IPv4). */
  addresses?: Readonly<Record<number, TransportOptions>>;
  /** A session to start from; when absent, `storage` is asked on connect. */
  session?: SessionData;
  storage?: SessionStorage;
  floodWait?: FloodWaitPolicy;
  /**
   * Perfect forward secrecy (default on, 24-hour keys): traffic runs on temporary keys bound to the
   * permanent one, each replaced by a new one after 80% of its life. `false` uses the permanent keys.
   */
  tempKeys?: false | { expiresIn?: number };
}

/** A replaced client keeps answering what it was asked for this long before it closes. */
const RENEWAL_GRACE_MS = 30_000;
const DEFAULT_TEMP_KEY_SECONDS = 24 * 3600;

/** Migrations followed for one request before giving up (a DC sending us back and forth is a server bug). */
const MAX_HOPS = 3;
const HOME_MOVES = /^(?:PHONE|USER|NETWORK)_MIGRATE_\d+$/;

export class MultiDcClient {
  private home: number;
  private user: bigint | undefined;
  private timeOffset = 0;
  private readonly clients = new Map<number, Promise<MtprotoClient>>();
  /** The clients whose connect() finished: what exportSession reads (never waiting on one still connecting). */
  private readonly ready = new Map<number, { client: MtprotoClient; transport: TransportOptions }>();
  /** DCs whose key is signed in as `user` (home, and those an import succeeded on). */
  private readonly authorized = new Map<number, Promise<void>>();
  /** Permanent keys: from the loaded session, and those made here. */
  private readonly savedKeys = new Map<number, DcKey>();
  private readonly renewals = new Map<number, ReturnType<typeof setTimeout>>();
  /** Clients replaced by a renewal, closing after their grace period (or with the pool). */
  private readonly retiring = new Set<MtprotoClient>();
  private readonly crypto: CryptoProvider;
  private readonly now: () => number;
  private config: Promise<Api.TypeConfig> | undefined;
  private closed = false;
  /** Updates from the home DC's connection (Telegram sends an account's updates there). */
  readonly updates: UpdateStream;

  constructor(private readonly options: MultiDcClientOptions) {
    this.updates = new UpdateStream({ maxBuffered: options.maxBufferedUpdates });
    this.crypto = options.crypto ?? defaultCrypto();
    this.now = options.now ?? Date.now;
    this.home = options.dcId;
    if (options.session) this.adopt(options.session);
  }

  /** The account's data center now. */
  get homeDc(): number {
    return this.home;
  }

  /** The signed-in user, once auth.signIn / checkPassword / importBotAuthorization answered. */
  get userId(): bigint | undefined {
    return this.user;
  }

  /** Loads the stored session (if no session was given) and connects to the home DC. */
  async connect(): Promise<void> {
    if (!this.options.session && this.options.storage) {
      const stored = await this.options.storage.load();
      if (stored) this.adopt(stored);
    }
    await this.clientFor(this.home);
  }

  /** Sends `request` to the home DC (or `options.dcId`), following migrations and flood waits. */
  invoke<M extends TlObject>(request: M, options: { dcId?: number } = {}): Promise<Api.ResultOf<M>> {
    // Routed as a plain TlObject: inferring ResultOf<M> through the retry helpers is too much for tsc.
    return withFloodWait(() => this.route(request, options.dcId, 0), request._, this.options.floodWait) as Promise<Api.ResultOf<M>>;
  }

  /** The client of one DC, connected (and authorized when signed in): for updates or direct use. */
  async clientFor(dcId: number): Promise<MtprotoClient> {
    if (this.closed) throw new MtwireError('CLIENT_CLOSED', 'the client was closed');
    let client = this.clients.get(dcId);
    if (!client) {
      client = this.open(dcId);
      this.clients.set(dcId, client);
      client.catch(() => this.clients.delete(dcId));
    }
    return client;
  }

  /** Every DC's key and salt, the home DC, clock offset and user: what `storage` keeps. */
  exportSession(): SessionData | undefined {
    const dcs = new Map(this.savedKeys);
    for (const [dcId, { client, transport }] of this.ready) {
      const saved = client.exportSession();
      if (!saved) continue;
      if (dcId === this.home) this.timeOffset = saved.timeOffset;
      const address = transport.kind === 'tcp' ? { host: transport.host, port: transport.port } : undefined;
      // A temporary key is never saved (that is the point of it): its DC's permanent key is.
      const permanent = this.options.tempKeys === false ? undefined : dcs.get(dcId);
      const key = permanent ?? { dcId, authKey: hexToBytes(saved.authKey), serverSalt: BigInt(saved.serverSalt) };
      dcs.set(dcId, { ...key, ...(address && { address }) });
    }
    if (!dcs.has(this.home)) return undefined;
    return {
      homeDc: this.home,
      timeOffset: this.timeOffset,
      testMode: this.options.test ?? false,
      dcs: [...dcs.values()],
      ...(this.user !== undefined && { userId: this.user }),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.renewals.values()) clearTimeout(timer);
    const clients = [...this.clients.values(), ...[...this.retiring].map((c) => Promise.resolve(c))];
    this.clients.clear();
    this.ready.clear();
    this.updates.end();
    await Promise.all(clients.map((c) => c.then((client) => client.close()).catch(() => undefined)));
  }

  private async route(request: TlObject, dcId: number | undefined, hops: number): Promise<unknown> {
    const target = dcId ?? this.home;
    const client = await this.clientFor(target);
    if (this.user !== undefined) await this.authorize(target);
    try {
      const result: unknown = await client.invoke(request);
      await this.observe(result, target);
      return result;
    } catch (error) {
      const to = error instanceof RpcError ? error.migrateTo : undefined;
      if (to === undefined || hops >= MAX_HOPS || to === target) throw error;
      if (!HOME_MOVES.test((error as RpcError).errorMessage)) return this.route(request, to, hops + 1);
      this.home = to;
      this.authorized.clear();
      await this.save();
      return this.route(request, undefined, hops + 1);
    }
  }

  /** A sign-in on `dcId` makes it home and the account's only authorized DC so far. */
  private async observe(result: unknown, dcId: number): Promise<void> {
    const answer = result as Partial<Api.auth.Authorization>;
    if (answer._ !== 'auth.authorization' || !answer.user) return;
    this.user = answer.user.id;
    this.home = dcId;
    this.authorized.clear();
    this.authorized.set(dcId, Promise.resolve());
    await this.save();
  }

  /** Signs a non-home DC's key in by exporting the authorization at home and importing it there (once). */
  private authorize(dcId: number): Promise<void> {
    if (dcId === this.home) return Promise.resolve();
    let done = this.authorized.get(dcId);
    if (!done) {
      done = (async () => {
        const home = await this.clientFor(this.home);
        const exported = await home.invoke({ _: 'auth.exportAuthorization', dcId } satisfies Api.auth.exportAuthorization);
        const client = await this.clientFor(dcId);
        const imported: Api.auth.importAuthorization = { _: 'auth.importAuthorization', id: exported.id, bytes: exported.bytes };
        await client.invoke(imported);
      })();
      this.authorized.set(dcId, done);
      done.catch(() => this.authorized.delete(dcId));
    }
    return done;
  }

  private async open(dcId: number): Promise<MtprotoClient> {
    const { addresses: _a, session: _s, storage: _st, floodWait: _f, ...base } = this.options;
    const saved = this.savedKeys.get(dcId);
    const remembered: TransportOptions | undefined = saved?.address && { kind: 'tcp', ...saved.address };
    const transport = this.options.addresses?.[dcId] ?? remembered ?? (await this.lookUp(dcId));
    const session = await this.keyFor(dcId, transport, saved);
    const client = new MtprotoClient({ ...base, transport, dcId, ...(session && { session }) });
    try {
      await client.connect();
    } catch (error) {
      await client.close();
      throw error;
    }
    this.ready.set(dcId, { client, transport });
    client.updates.on((update) => {
      if (dcId === this.home && this.ready.get(dcId)?.client === client) this.updates.push(update);
    });
    if (!saved) await this.save(); // a new key: keep it before anything else can go wrong
    return client;
  }

  /**
   * The key a DC's client runs on: with temporary keys, a new one bound to the DC's permanent key (made
   * first if there is none), renewal scheduled; without, the saved permanent key, or none (the client's
   * own handshake makes one).
   */
  private async keyFor(dcId: number, transport: TransportOptions, saved: DcKey | undefined): Promise<SavedSession | undefined> {
    const temp = this.options.tempKeys;
    if (temp === false) {
      return saved && { dcId, authKey: bytesToHex(saved.authKey), serverSalt: saved.serverSalt.toString(), timeOffset: this.timeOffset };
    }
    const { framing, obfuscated, proxySecret, test, connectTimeoutMs, publicKeys } = this.options;
    const keyOptions = {
      transport,
      framing,
      obfuscated,
      proxySecret,
      test,
      connectTimeoutMs,
      publicKeys,
      dcId,
      crypto: this.crypto,
      now: this.now,
    };
    let permanent = saved;
    if (!permanent) {
      const made = await createPermanentKey(keyOptions);
      permanent = { dcId, authKey: made.authKey, serverSalt: made.serverSalt };
      this.savedKeys.set(dcId, permanent);
    }
    const expiresIn = temp?.expiresIn ?? DEFAULT_TEMP_KEY_SECONDS;
    const authKeyId = this.crypto.sha1(permanent.authKey).subarray(12, 20);
    const key = await createBoundTempKey({ ...keyOptions, expiresIn, permanent: { authKey: permanent.authKey, authKeyId } });
    const timer = setTimeout(() => void this.renew(dcId), expiresIn * 800);
    timer.unref?.();
    this.renewals.set(dcId, timer);
    return { dcId, authKey: bytesToHex(key.authKey), serverSalt: key.serverSalt.toString(), timeOffset: key.timeOffset };
  }

  /** Moves a DC to a client on a fresh temporary key; the old one finishes what it was asked, then closes. */
  private async renew(dcId: number): Promise<void> {
    const old = this.ready.get(dcId)?.client;
    if (this.closed || !old) return;
    const fresh = this.open(dcId);
    try {
      await fresh;
    } catch (error) {
      this.options.logger?.('warn', 'temporary key renewal failed; retrying in a minute', { dcId, error: String(error) });
      this.renewals.set(
        dcId,
        setTimeout(() => void this.renew(dcId), 60_000),
      );
      return;
    }
    this.clients.set(dcId, fresh);
    this.retiring.add(old);
    const retire = () => void old.close().finally(() => this.retiring.delete(old));
    setTimeout(retire, RENEWAL_GRACE_MS).unref?.();
  }

  /** A DC's IPv4 TCP address from help.getConfig, asked of any DC already connected. */
  private async lookUp(dcId: number): Promise<TransportOptions> {
    const [connected] = this.ready.values();
    if (!connected && !this.config)
      throw new MtwireError('NO_DC_ADDRESS', `no address for data center ${dcId}: pass it in options.addresses`);
    this.config ??= connected!.client.invoke({ _: 'help.getConfig' } satisfies Api.help.getConfig);
    const config = await this.config;
    const option = config.dcOptions.find((o) => o.id === dcId && !o.ipv6 && !o.mediaOnly && !o.cdn && !o.tcpoOnly);
    if (!option) throw new MtwireError('NO_DC_ADDRESS', `help.getConfig lists no IPv4 address for data center ${dcId}`);
    return { kind: 'tcp', host: option.ipAddress, port: option.port };
  }

  private adopt(session: SessionData): void {
    this.home = session.homeDc;
    this.user = session.userId;
    this.timeOffset = session.timeOffset;
    for (const dc of session.dcs) this.savedKeys.set(dc.dcId, dc);
  }

  private async save(): Promise<void> {
    const storage = this.options.storage;
    if (!storage) return;
    const session = this.exportSession();
    if (session) await storage.save(session);
  }
}
