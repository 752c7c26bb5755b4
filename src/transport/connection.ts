/**
 * A connected byte stream, whatever carries it. MTProto framing is done by the codecs on top; the
 * adapters (tcp.ts, websocket.ts) only move bytes.
 */
export interface Connection {
  /** WebSocket endpoints require obfuscation; callers choose their codec options from this. */
  readonly transport: 'tcp' | 'websocket';
  /** The peer's IP address, when the socket knows it: what a server counts per source. */
  readonly remoteAddress: string | undefined;
  /** False while the outgoing buffer is above its high-water mark: stop sending until onDrain. */
  readonly writable: boolean;
  /**
   * Queues bytes for sending; a no-op once the connection is closed (onClose tells why). An adapter may hold
   * them unsent, uncopied, for a while: the caller leaves them unchanged.
   */
  send(bytes: Uint8Array): void;
  /** Flushes queued bytes, then closes. */
  close(): void;
  /** Closes at once, dropping whatever is still queued (a peer that does not read would hold a flushing close open). */
  abort(): void;
  /**
   * Received bytes in arrival order; chunk boundaries carry no meaning. Each chunk is handed over: the
   * adapter never writes to it or reuses its memory, since the codecs keep views of it, frames are
   * decrypted inside it in place, and the results decoded from them are views of it (no pooled read buffer).
   */
  onData(handler: (bytes: Uint8Array) => void): void;
  /** Called exactly once, with the error if the connection failed rather than closed cleanly. */
  onClose(handler: (error?: Error) => void): void;
  /** The outgoing buffer fell back below the high-water mark. */
  onDrain(handler: () => void): void;
  /**
   * For transports that hold bytes before onData sees them (ws buffers a whole message): called with how
   * many bytes of undelivered messages the connection holds now, an upper bound, whenever that changes.
   */
  onHeldBytes?(handler: (bytes: number) => void): void;
}

/** The connection servers hand to their callback, plus a way to stop listening. */
export interface Listener {
  readonly host: string;
  readonly port: number;
  /** Stops accepting and closes every connection still open. */
  close(): Promise<void>;
}

/**
 * Event plumbing shared by the adapters: data that arrives before a handler is registered is held
 * for it, and the close event is delivered once, even if registered after the fact. A data handler
 * that throws (typically a codec's FramingError) closes the connection with that error, so bad
 * input ends up in onClose instead of escaping as an uncaught exception from a socket event.
 */
export abstract class ConnectionEvents {
  private dataHandler: ((bytes: Uint8Array) => void) | undefined;
  private closeHandler: ((error?: Error) => void) | undefined;
  private drainHandler: (() => void) | undefined;
  private early: Uint8Array[] = [];
  private closed: { error: Error | undefined } | undefined;
  private closeReported = false;

  onData(handler: (bytes: Uint8Array) => void): void {
    this.dataHandler = handler;
    const early = this.early;
    this.early = [];
    for (const bytes of early) this.deliver(handler, bytes);
  }

  onClose(handler: (error?: Error) => void): void {
    this.closeHandler = handler;
    this.reportClose();
  }

  onDrain(handler: () => void): void {
    this.drainHandler = handler;
  }

  abort(): void {
    this.destroy();
  }

  protected get isClosed(): boolean {
    return this.closed !== undefined;
  }

  /** Tears the transport down at once, without reporting (emitClose already did). */
  protected abstract destroy(): void;

  protected emitData(bytes: Uint8Array): void {
    if (this.closed !== undefined) return;
    if (this.dataHandler === undefined) this.early.push(bytes);
    else this.deliver(this.dataHandler, bytes);
  }

  protected emitDrain(): void {
    this.drainHandler?.();
  }

  protected emitClose(error?: Error): void {
    if (this.closed !== undefined) return;
    this.closed = { error };
    this.reportClose();
  }

  private deliver(handler: (bytes: Uint8Array) => void, bytes: Uint8Array): void {
    if (this.closed !== undefined) return;
    try {
      handler(bytes);
    } catch (error) {
      this.emitClose(error instanceof Error ? error : new Error(String(error)));
      this.destroy();
    }
  }

  private reportClose(): void {
    if (this.closed === undefined || this.closeHandler === undefined || this.closeReported) return;
    this.closeReported = true;
    this.closeHandler(this.closed.error);
  }
}
