/**
 * Several data centers in one process: each a test server with its own ports and RSA key, all sharing
 * one ClusterState (dcOptions, users and their home DCs, passwords, exported authorizations, calls in
 * progress, flood limits). What a client meets on Telegram in its first minutes: PHONE_MIGRATE_X on
 * sign-in, a cloud password, FILE_MIGRATE_X, a callee on another DC.
 *
 * ```ts
 * const cluster = await startTestCluster({ users: [{ ...alice, homeDc: 4, password: 'hunter2' }] });
 * // a client on cluster.dc(2) signing in as Alice gets PHONE_MIGRATE_4
 * await cluster.close();
 * ```
 */
import { MtwireError } from '../base/errors.js';
import { nodeCrypto } from '../crypto/node.js';
import type { RsaPrivateKey, RsaPublicKey } from '../crypto/rsa.js';
import { readInt64LE } from '../crypto/bigint.js';
import type { Api } from '../api/index.js';
import { ClusterState } from './cluster-state.js';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';
import { TestUsers } from './users.js';

type RsaKey = { publicKey: RsaPublicKey; privateKey: RsaPrivateKey; publicKeyPem?: string };

export interface TestClusterOptions extends Omit<TestServerOptions, 'port' | 'wsPort' | 'dcId' | 'cluster' | 'rsaKey'> {
  /** Default 1 to 5, as Telegram's. */
  dcIds?: readonly number[];
  /** Keys by DC id; a DC without one generates its own (about a second each). */
  rsaKeys?: Readonly<Record<number, RsaKey>>;
}

export interface TestCluster {
  readonly dcs: ReadonlyMap<number, TestServer>;
  /** The server of one data center (an error for an id not in the cluster). */
  dc(id: number): TestServer;
  /** Every DC's key, for a client's `publicKeys`. */
  readonly publicKeys: readonly RsaPublicKey[];
  readonly users: TestUsers;
  /** Stores a file on `dcId`; the location it returns answers FILE_MIGRATE_<dcId> on the other DCs. */
  addFile(dcId: number, bytes: Uint8Array): Api.InputDocumentFileLocation;
  close(): Promise<void>;
}

export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const { dcIds = [1, 2, 3, 4, 5], rsaKeys = {}, ...serverOptions } = options;
  const crypto = options.crypto ?? nodeCrypto;
  const random = options.random ?? ((n: number) => crypto.randomBytes(n));
  const state = new ClusterState(new TestUsers(options.users), crypto, random, options.floodLimits);
  const dcs = new Map<number, TestServer>();
  try {
    for (const dcId of dcIds) {
      const rsaKey = rsaKeys[dcId];
      dcs.set(dcId, await startTestServer({ ...serverOptions, dcId, cluster: state, ...(rsaKey && { rsaKey }) }));
    }
  } catch (error) {
    await Promise.all([...dcs.values()].map((dc) => dc.close()));
    throw error;
  }
  return {
    dcs,
    dc(id) {
      const server = dcs.get(id);
      if (!server) throw new MtwireError('NO_SUCH_DC', `no data center ${id} in this cluster (${[...dcs.keys()].join(', ')})`);
      return server;
    },
    publicKeys: [...dcs.values()].map((dc) => dc.publicKey),
    users: state.users,
    addFile(dcId, bytes) {
      const id = readInt64LE(random(8));
      const accessHash = readInt64LE(random(8));
      state.files.set(id, { dcId, accessHash, bytes });
      return { _: 'inputDocumentFileLocation', id, accessHash, fileReference: new Uint8Array(0), thumbSize: '' };
    },
    async close() {
      await Promise.all([...dcs.values()].map((dc) => dc.close()));
    },
  };
}
