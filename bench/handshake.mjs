// A full auth-key exchange (req_pq_multi … dh_gen_ok), client and server state machines in memory.
import { defineCase } from './peers.mjs';

export const title = 'Handshake';
export const notes = ['mtwire only (the peers have no server half); 2048-bit RSA key of our own, Telegram DH prime'];

export const cases = {
  'in-memory handshake': () =>
    defineCase({}, ({ handshake }) => {
      if (!handshake) return undefined;
      const run = handshake.prepare();
      const { client, server } = run();
      if (Buffer.compare(Buffer.from(client.authKey), Buffer.from(server.authKey)) !== 0) throw new Error('keys differ');
      return run;
    }),
};
