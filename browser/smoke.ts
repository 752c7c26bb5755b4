/**
 * The smoke test runtimes/smoke.mjs starts under Deno, Bun and Node 22: sign in to the test server over the
 * runtime's own (standard) WebSocket, ask help.getConfig, and print what happened as one JSON line. The
 * server's details come as the first argument; `plain` as the second sends the framing without obfuscation.
 */
import { Api } from '../src/api/index.js';
import { defaultCrypto } from '../src/crypto/default.js';
import { defaultCompression } from '../src/platform/default.js';
import { portableCompression } from '../src/platform/portable-compression.js';
import { signedInParty, type ServerInfo } from './party.js';

interface Runtime {
  Deno?: { args: string[]; version: { deno: string } };
  Bun?: { version: string };
  process?: { argv: string[]; versions: { node?: string } };
}
const runtime = globalThis as Runtime;
const args = runtime.Deno?.args ?? runtime.process?.argv.slice(2) ?? [];
const server = JSON.parse(args[0] ?? '{}') as ServerInfo;
const obfuscated = args[1] !== 'plain';

function runtimeName(): string {
  if (runtime.Deno) return `deno ${runtime.Deno.version.deno}`;
  if (runtime.Bun) return `bun ${runtime.Bun.version}`;
  const node = runtime.process?.versions.node;
  return node === undefined ? 'unknown' : `node ${node}`;
}

const { client, userId } = await signedInParty({ server, phone: '42000000001', obfuscated });
try {
  const config = await client.invoke(new Api.help.getConfig());
  console.log(
    JSON.stringify({
      runtime: runtimeName(),
      obfuscated,
      // The client takes the host's standard WebSocket whenever there is one (client/link.ts).
      webSocket: typeof (globalThis as { WebSocket?: unknown }).WebSocket,
      userId,
      thisDc: config.thisDc,
      crypto: defaultCrypto().name,
      compression: defaultCompression() === portableCompression ? 'portable' : 'node',
    }),
  );
} finally {
  await client.close();
}
