/**
 * The smoke test a non-Node runtime runs (runtimes/smoke.mjs starts it under Deno and Bun): sign in to the
 * test server over the runtime's own WebSocket, ask help.getConfig, and print what happened as one JSON line.
 * The server's details come as the first argument.
 */
import { Api } from '../src/api/index.js';
import { defaultCrypto } from '../src/crypto/default.js';
import { defaultCompression } from '../src/platform/default.js';
import { portableCompression } from '../src/platform/portable-compression.js';
import { signedInParty, type ServerInfo } from './party.js';

interface Runtime {
  Deno?: { args: string[]; version: { deno: string } };
  Bun?: { version: string };
  process?: { argv: string[] };
}
const runtime = globalThis as Runtime;
const args = runtime.Deno?.args ?? runtime.process?.argv.slice(2) ?? [];
const server = JSON.parse(args[0] ?? '{}') as ServerInfo;

const { client, userId } = await signedInParty({ server, phone: '42000000001' });
try {
  const config = await client.invoke(new Api.help.getConfig());
  console.log(
    JSON.stringify({
      runtime: runtime.Deno ? `deno ${runtime.Deno.version.deno}` : runtime.Bun ? `bun ${runtime.Bun.version}` : 'unknown',
      userId,
      thisDc: config.thisDc,
      crypto: defaultCrypto().name,
      compression: defaultCompression() === portableCompression ? 'portable' : 'node',
    }),
  );
} finally {
  await client.close();
}
