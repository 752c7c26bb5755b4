/**
 * One client connection of the test server: the transport codec (any framing, obfuscated or not, TCP or
 * WebSocket; plain over WebSocket unless the server was told to refuse it), a handshake state machine for unencrypted messages, and the route from encrypted messages
 * to their auth key and session. Whatever the client sends, the server survives it: bad framing or a
 * message that fails decryption closes this connection only, an unknown auth key or a refused handshake
 * gets transport error -404 first, a source starting handshakes too fast -429. What a connection may
 * cost is bounded (limits.ts): frame size, buffered bytes, time to authenticate, time between frames.
 */
import { decryptMessage, type DecryptedMessage } from '../crypto/message.js';
import { SecurityError } from '../crypto/security-error.js';
import type { AuthKeyServerStep } from '../mtproto/auth-key-server.js';
import { createServerCodec, type Connection, type ServerCodec } from '../transport/index.js';
import { deliver, type FrameSink } from './auth-keys.js';
import type { ServerCore } from './core.js';
import type { Handshake, HandshakeRunner } from './handshakes.js';

export class ServerConnection implements FrameSink {
  private readonly codec: ServerCodec;
  private handshake: Handshake | undefined;
  private closed = false;
  /** Bytes this connection held (codec and transport) when last counted in the server's budget. */
  private buffered = 0;
  /** Bytes the transport holds before the codec sees them (ws buffers whole messages); 0 over TCP. */
  private transportHeld = 0;
  private disconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Runs until a handshake completes here or a message decrypts under a known key. */
  private readonly handshakeTimer: ReturnType<typeof setTimeout>;
  /** Restarted by every frame. */
  private readonly idleTimer: ReturnType<typeof setTimeout>;

  /** `connection` was admitted by core.connections, which this connection releases when it closes. */
  constructor(
    private readonly connection: Connection,
    private readonly core: ServerCore,
    private readonly handshakes: HandshakeRunner,
  ) {
    const { crypto, random, limits } = core.options;
    this.codec = createServerCodec({
      crypto,
      random,
      requireObfuscation: connection.transport === 'websocket' && !core.options.webSocketPlain,
      maxFrame: limits.maxFrame,
      maxAnonymousFrame: limits.maxAnonymousFrame,
      isKnownAuthKey: (authKeyId) => core.keys.get(authKeyId) !== undefined,
    });
    this.handshakeTimer = setTimeout(() => this.abort('no handshake in time'), limits.handshakeTimeoutMs);
    this.idleTimer = setTimeout(() => this.abort('idle'), limits.idleTimeoutMs);
    this.handshakeTimer.unref?.();
    this.idleTimer.unref?.();
    connection.onData((chunk) => this.onData(chunk));
    connection.onHeldBytes?.((bytes) => {
      this.transportHeld = bytes;
      this.countBuffered();
    });
    connection.onClose((error) => {
      if (error && !this.closed) this.log('debug', 'connection failed', { error: error.message });
      this.closed = true;
      clearTimeout(this.disconnectTimer);
      clearTimeout(this.handshakeTimer);
      clearTimeout(this.idleTimer);
      this.handshake?.end();
      core.connections.buffer(-this.buffered);
      this.buffered = 0;
      core.connections.release();
    });
  }

  get open(): boolean {
    return !this.closed;
  }

  sendFrame(frame: Uint8Array): void {
    if (!this.closed) this.connection.send(this.codec.encode(frame));
  }

  /** Flushes what is queued, then closes; the idle timer still ends a close the peer holds open by not reading. */
  close(reason: string): void {
    if (this.closed) return;
    this.log('debug', `closing connection: ${reason}`);
    this.closed = true;
    this.connection.close();
  }

  /** Closes at once, dropping what is queued: for a peer over a limit. */
  private abort(reason: string): void {
    this.log('debug', `aborting connection: ${reason}`);
    this.closed = true;
    this.connection.abort();
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
      this.abort('bad input');
    }
    this.countBuffered();
  }

  /** Brings this connection's share of the server's buffer budget up to date; over budget, it is closed. */
  private countBuffered(): void {
    if (this.closed) return;
    const held = this.codec.buffered + this.transportHeld;
    const withinBudget = this.core.connections.buffer(held - this.buffered);
    this.buffered = held;
    if (!withinBudget) this.abort('server buffer budget exceeded');
  }

  private onFrame(payload: Uint8Array, quickAck: boolean): void {
    this.idleTimer.refresh();
    if (payload.length < 8) return this.refuse(404, 'frame shorter than an auth_key_id');
    const authKeyId = payload.subarray(0, 8);
    if (authKeyId.every((b) => b === 0)) return this.onPlainMessage(payload);
    const key = this.core.keys.get(authKeyId);
    if (!key) return this.refuse(404, 'unknown auth key');
    let message: DecryptedMessage;
    try {
      // In place: the codec cut this frame from received bytes that nothing else reads.
      const options = { provider: this.core.options.crypto, quickAckToken: quickAck, inPlace: true };
      message = decryptMessage(key.authKey, key.authKeyId, payload, 0, options);
    } catch (err) {
      if (!(err instanceof SecurityError)) throw err;
      this.log('warn', 'message failed decryption checks', { check: err.check });
      return this.close('undecryptable message');
    }
    clearTimeout(this.handshakeTimer);
    if (message.quickAckToken !== undefined) this.connection.send(this.codec.encodeQuickAck(message.quickAckToken));
    const slot = this.core.keys.session(key, message.sessionId);
    slot.connection = this;
    for (const event of slot.session.receive(message)) {
      if (event.type === 'query') this.core.runQuery(key, slot, event);
      else if (event.type === 'disconnectAfter') this.disconnectAfter(event.seconds);
      else this.log('debug', `message ${event.type}`, { ...event, msgId: String(event.msgId) });
    }
    // Service answers (pong, notices, new_session_created...) leave in one frame with the answers of handlers
    // that settle before the microtask queue drains (see deliver).
    deliver(slot);
  }

  private onPlainMessage(message: Uint8Array): void {
    if (!this.handshake) {
      // One handshake per connection, so counting new handshakes per source counts their RSA and DH work.
      const source = this.connection.remoteAddress ?? 'unknown';
      if (!this.core.handshakeRate.take(source)) return this.refuse(429, `handshake rate limit for ${source}`);
      this.handshake = this.handshakes.start();
    }
    // Steps come back in order; by then the connection may have closed.
    void this.handshake.receive(message).then((step) => this.closed || this.onHandshakeStep(step));
  }

  private onHandshakeStep(step: AuthKeyServerStep): void {
    if ('error' in step) return this.refuse(-step.error, 'handshake refused');
    this.connection.send(this.codec.encode(step.send));
    if (!step.done) return;
    clearTimeout(this.handshakeTimer);
    const { framing, obfuscated } = this.codec;
    this.log('info', 'auth key created', { authKeyId: this.core.keys.add(step.done).idHex, framing, obfuscated });
  }

  /** Transport error (404, 429, 444) and close, as Telegram does. */
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
