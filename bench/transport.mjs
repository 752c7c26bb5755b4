// Transport cases: a payload framed by the client codec and read back by the server codec (and the
// reverse), for each framing, plain and obfuscated (AES-256-CTR over the whole stream). mtwire only:
// the peers' transports are tied to their sockets.
import { randomBytes } from 'node:crypto';
import { assertBytes, defineCase } from './peers.mjs';

export const title = 'Transport codecs (encode + decode, both directions)';
export const notes = ['mtwire only; bytes = payload size per direction, one op = up + down'];

function codecCase(framing, obfuscated, size) {
  const payload = new Uint8Array(randomBytes(size));
  return () =>
    defineCase({ bytes: size * 2 }, ({ transport }) => {
      if (!transport) return undefined;
      const { up, down } = transport.pipe(framing, obfuscated);
      // Padded intermediate appends 0..15 random bytes that only the MTProto layer can tell apart.
      const head = (bytes) => bytes.subarray(0, payload.length);
      assertBytes(head(up(payload)), payload, 'client → server');
      assertBytes(head(down(payload)), payload, 'server → client');
      return () => {
        up(payload);
        down(payload);
      };
    });
}

export const cases = {};
for (const framing of ['abridged', 'intermediate', 'padded', 'full']) {
  for (const obfuscated of framing === 'full' ? [false] : [false, true]) {
    for (const size of [1024, 65536]) {
      cases[`${framing}${obfuscated ? '+obf' : ''} ${size / 1024} KiB`] = codecCase(framing, obfuscated, size);
    }
  }
}
