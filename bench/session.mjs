// Session cases: what one request costs on the wire path, beside mtcute's AuthKey (the class its
// SessionConnection encrypts and decrypts with). The server side of each exchange (the frame a server
// sends, the check of what a client sent) is mtwire's, built and checked outside the timed calls.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as mtwire from './adapters/mtwire.mjs';
import { assertBytes, defineCase } from './peers.mjs';

const payload = (file) => new URL(`./payloads/${file}`, import.meta.url);
const bytes = (name, layer) => Uint8Array.from(Buffer.from(readFileSync(payload(`${name}.${layer}.hex`), 'utf8').trim(), 'hex'));
const requestJson = JSON.parse(readFileSync(payload('a.L228.json'), 'utf8'));

const authKey = new Uint8Array(randomBytes(256));
const salt = 0x1122334455667788n;
const sessionId = 0x0102030405060708n;
const msgId = BigInt(Math.floor(Date.now() / 1000)) << 32n;

/** `inputs(peer)` gives the request and answer bytes in the peer's own layer. */
function exchange(size, inputs, send, receive) {
  const server = mtwire.session.open(authKey, salt, sessionId);
  return defineCase({ bytes: size }, (peer) => {
    if (!peer.session) return undefined;
    const [requestBytes, answerBytes] = inputs(peer);
    const answerFrame = server.serverFrame(answerBytes, msgId + 1n);
    const client = peer.session.open(authKey, salt, sessionId);
    const request = send(peer, client, requestBytes);
    const answer = receive(peer, client);
    assertBytes(server.serverRead(request.run()), requestBytes, 'the request the server decrypts');
    assertBytes(answer.check(answer.run(answerFrame)), answerBytes, 'the answer the client decrypts');
    return () => {
      request.run();
      return answer.run(answerFrame);
    };
  });
}

// The request is phone.requestCall (payload a, 108 B), the answer a users-and-chats object (payload b1, 252 B).
const objectRequest = (peer, client, input) => {
  const obj = peer.tl.request(input, requestJson);
  return { run: () => client.encrypt(obj, msgId, 1) };
};
const objectAnswer = (peer, client) => ({ run: (frame) => client.decrypt(frame), check: (obj) => peer.tl.encode(obj) });
const bytesRequest = (_peer, client, input) => ({ run: () => client.encryptBytes(input, msgId, 1) });
const bytesAnswer = (_peer, client) => ({ run: (frame) => client.decryptBytes(frame), check: (body) => body });

export const title = 'Session: encrypted messages (one op = client encrypt + client decrypt)';
export const notes = [
  'request: phone.requestCall (108 B) encoded + encrypted, a 252 B answer decrypted + decoded; ' +
    'mtcute = AuthKey.encryptMessage/decryptMessage with TlBinaryWriter/TlBinaryReader (layer-227 twins of the payloads).',
  'message 1 KiB: 1 KiB of message data encrypted and 1 KiB decrypted, no TL. mtcute uses @mtcute/wasm IGE and node:crypto ' +
    'SHA-256 and randomFillSync, as its Node provider does.',
  "Every peer's request frame was decrypted by mtwire's server side and its decrypted answer compared byte for byte before timing.",
];
const kib = [new Uint8Array(randomBytes(1024)), new Uint8Array(randomBytes(1024))];
export const cases = {
  request: () => exchange(108 + 252, (peer) => [bytes('a', peer.tl.payload), bytes('b1', peer.tl.payload)], objectRequest, objectAnswer),
  'message-1KiB': () => exchange(2048, () => kib, bytesRequest, bytesAnswer),
};
