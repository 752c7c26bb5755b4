/**
 * Where the test server runs auth-key exchanges: on the event loop (`inlineHandshakes`), or on a pool of
 * worker threads (`HandshakePool`), so that the RSA and DH work of many handshakes does not hold up the
 * answers of established sessions. Either way each exchange is the pure AuthKeyServer state machine.
 */
import { AuthKeyServer, type AuthKeyServerOptions, type AuthKeyServerStep } from '../mtproto/auth-key-server.js';

/** One connection's exchange: its unencrypted messages, handled in the order given. */
export interface Handshake {
  receive(message: Uint8Array): Promise<AuthKeyServerStep>;
  /** The connection is gone: its state is dropped. Call once. */
  end(): void;
}

export interface HandshakeRunner {
  start(): Handshake;
  close(): Promise<void>;
}

/** What an exchange needs besides its crypto, clock and randomness (which a worker thread takes from its own host). */
export type HandshakeSettings = Pick<AuthKeyServerOptions, 'privateKey' | 'dcId' | 'legacyRsa'>;

/** Every exchange on the event loop, with the server's own crypto, clock and randomness (which tests inject). */
export function inlineHandshakes(options: AuthKeyServerOptions): HandshakeRunner {
  return {
    start() {
      const exchange = new AuthKeyServer(options);
      return { receive: async (message) => exchange.receive(message), end: () => undefined };
    },
    close: async () => undefined,
  };
}
