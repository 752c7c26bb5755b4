/**
 * One client connection to the test server: the transport codec (framing detected from the first bytes,
 * obfuscation required over WebSocket), a handshake state machine for unencrypted messages, and the
 * route from encrypted messages to their auth key and session. Whatever the client sends, the server
 * survives it: bad framing or a message that fails decryption closes this connection only, an unknown
 * auth key or a refused handshake gets transport error -404 first.
 */
import { decryptMessage, type DecryptedMessage } from '../crypto/message.js';
import type { RsaPrivateKey, RsaPublicKey } from '../crypto/rsa.js';
import { SecurityError } from '../crypto/security-error.js';
import { AuthKeyServer } from '../mtproto/auth-key-server.js';
import { createServerCodec, type Connection, type ServerCodec } from '../transport/index.js';
import type { FrameSink } from './auth-keys.js';
import type { ServerCore } from './core.js';

export interface ConnectionSettings {
  readonly privateKey: RsaPrivateKey & RsaPublicKey;
}

export class ServerConnection implements FrameSink {
  private readonly codec: ServerCodec;
  private handshake: AuthKeyServer | undefined;
  private closed = false;
  private disconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly core: ServerCore,
    private readonly settings: ConnectionSettings,
  ) {
    const { crypto, random } = core.options;
    this.codec = createServerCodec({ crypto, random, requireObfuscation: connection.transport === 'websocket' });
    connection.onData((chunk) => this.onData(chunk));
    connection.onClose((error) => {
      if (error && !this.closed) this.log('debug', 'connection failed', { error: error.message });
      this.closed = true;
      clearTimeout(this.disconnectTimer);
    });
  }

  get open(): boolean {
    return !this.closed;
  }

  sendFrame(frame: Uint8Array): void {
    if (!this.closed) this.connection.send(this.codec.encode(frame));
  }

  close(reason: string): void {
    if (this.closed) return;
    this.log('debug', `closing connection: ${reason}`);
    this.closed = true;
    clearTimeout(this.disconnectTimer);
    this.connection.close();
  }

  private onData(chunk: Uint8Array): void {
    if (this.closed) return;
    try {
      for (const event of this.codec.decode(chunk)) {
        if (event.kind === 'frame' && !this.closed) this.onFrame(event.payload, event.quickAck);
      }
    } catch (err) {
      // Bad framing, or a bug in a handler's synchronous part: this connection ends, the server goes on.
      this.log('warn', 'dropping connection after bad input', { error: err instanceof Error ? err.message : String(err) });
      this.close('bad input');
    }
  }

  private onFrame(payload: Uint8Array, quickAck: boolean): void {
    if (payload.length < 8) return this.refuse(404, 'frame shorter than an auth_key_id');
    const authKeyId = payload.subarray(0, 8);
    if (authKeyId.every((b) => b === 0)) return this.onPlainMessage(payload);
    const key = this.core.keys.get(authKeyId);
    if (!key) return this.refuse(404, 'unknown auth key');
    let message: DecryptedMessage;
    try {
      message = decryptMessage(key.authKey, key.authKeyId, payload, 0, { provider: this.core.options.crypto, quickAckToken: quickAck });
    } catch (err) {
      if (!(err instanceof SecurityError)) throw err;
      this.log('warn', 'message failed decryption checks', { check: err.check });
      return this.close('undecryptable message');
    }
    if (message.quickAckToken !== undefined) this.connection.send(this.codec.encodeQuickAck(message.quickAckToken));
    const slot = this.core.keys.session(key, message.sessionId);
    slot.connection = this;
    slot.lastActive = this.core.options.now();
    for (const event of slot.session.receive(message)) {
      if (event.type === 'query') this.core.runQuery(key, slot, event);
      else if (event.type === 'disconnectAfter') this.disconnectAfter(event.seconds);
      else this.log('debug', `message ${event.type}`, { ...event, msgId: String(event.msgId) });
    }
    // Service answers (pong, notices, new_session_created...) leave now; query answers when their handlers finish.
    for (const frame of slot.session.flush()) this.sendFrame(frame);
  }

  private onPlainMessage(message: Uint8Array): void {
    const { crypto, random, now, dcId } = this.core.options;
    this.handshake ??= new AuthKeyServer({ crypto, random, now, privateKey: this.settings.privateKey, dcId });
    const step = this.handshake.receive(message);
    if ('error' in step) return this.refuse(-step.error, 'handshake refused');
    this.connection.send(this.codec.encode(step.send));
    if (step.done) this.log('info', 'auth key created', { authKeyId: this.core.keys.add(step.done).idHex });
  }

  /** Transport error (404, 444) and close, as Telegram does. */
  private refuse(code: number, reason: string): void {
    this.log('warn', `transport error -${code}: ${reason}`);
    this.connection.send(this.codec.encodeError(code));
    this.close(reason);
  }

  /** ping_delay_disconnect: close unless another one (which resets the timer) arrives in time. */
  private disconnectAfter(seconds: number): void {
    clearTimeout(this.disconnectTimer);
    this.disconnectTimer = setTimeout(() => this.close('ping_delay_disconnect timeout'), seconds * 1000);
    this.disconnectTimer.unref?.();
  }

  private log(level: 'debug' | 'info' | 'warn', message: string, data?: Record<string, unknown>): void {
    this.core.options.log(level, message, { transport: this.connection.transport, ...data });
  }
}
