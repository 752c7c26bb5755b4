// A test server in a process of its own (forked by bench/browser.mjs and the browser demo), so that the
// clients being measured or shown do not share its thread. Sends the page's ServerInfo over IPC once
// listening; exits when its parent disconnects.
import { importForNode, serverInfo } from './harness.mjs';

const node = await importForNode('browser/node-side.ts');
const server = await node.startTestServer({ transports: ['websocket'], host: process.argv[2] ?? '127.0.0.1' });
process.send({
  info: serverInfo(server, node.TEST_PHONE_CODE),
  users: server.users.all().map((u) => ({ id: String(u.id), accessHash: String(u.accessHash), firstName: u.firstName, phone: u.phone })),
});
process.on('disconnect', () => server.close().then(() => process.exit(0)));
