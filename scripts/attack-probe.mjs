// An established session in a process of its own, for scripts/attack-once.mjs: connects to the port
// given (argv[2], JSON: port, dcId, publicKey as the server child reported them), then sends one echo
// request every 50 ms until the parent sends 'stop', and replies with the latencies in ms. Its own
// process, so that the clients' handshake work in the parent does not delay it.
import { clientFor } from './attack-lib.mjs';

const server = JSON.parse(process.argv[2], (_key, value) =>
  typeof value === 'string' && /^-?\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
);
const client = clientFor(server);
await client.connect();
let running = true;
process.on('message', () => (running = false));
process.send('ready');
const latencies = [];
for (let n = 0; running; n++) {
  const start = performance.now();
  await client.invoke({ _: 'contacts.resolveUsername', username: `load_${n}` });
  latencies.push(performance.now() - start);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
process.send(latencies);
await client.close();
process.disconnect();
