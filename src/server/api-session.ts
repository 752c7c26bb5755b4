/**
 * A server session that speaks the full API: the MTProto layer's ServerSession, which knows only the
 * service schema and passes query and answer bodies as bytes, plus what needs the layer-228 API —
 * decoding each query, taking off the invokeWithLayer / initConnection / invokeWithoutUpdates wrappers
 * (and remembering what they said), and encoding results and updates.
 */
import { Api, encodeObject, encodeResult, readMethod, TlDecodeError, type TlObject } from '../api/index.js';
import { Api as Service } from '../generated/service/index.js';
import { constructorIdOf } from '../mtproto/envelope.js';
import { encodeRpcError, ServerSession, type ServerSessionEvent, type ServerSessionOptions } from '../mtproto/server-session.js';
import type { DecryptedMessage } from '../crypto/message.js';
import { decodeWith } from '../tl/define.js';

/** initConnection's parameters, without the query it wraps. */
export type ConnectionInfo = Omit<Api.initConnection, 'query'>;

/** An API call to run; answer it with `reply(reqMsgId, ...)`. */
export interface ServerQuery {
  readonly reqMsgId: bigint;
  /** The method with invokeWithLayer, initConnection, invokeWithoutUpdates and the like taken off. */
  readonly query: TlObject;
  /** The layer of the last invokeWithLayer on this session. */
  readonly layer: number | undefined;
  /** The last initConnection on this session. */
  readonly connection: ConnectionInfo | undefined;
  /** Wrapped in invokeWithoutUpdates. */
  readonly withoutUpdates: boolean;
}

export type ApiSessionEvent = ({ type: 'query' } & ServerQuery) | Exclude<ServerSessionEvent, { type: 'query' }>;

/** RPC error answers: what `reply` takes besides results. */
export function rpcError(code: number, message: string): Api.RpcError {
  return { _: 'rpc_error', errorCode: code, errorMessage: message };
}

export class ApiServerSession {
  /** The layer and initConnection most recently seen on this session. */
  layer: number | undefined;
  connection: ConnectionInfo | undefined;
  private readonly session: ServerSession;
  /** Queries handed out, by msg_id: the unwrapped method, whose result type `reply` encodes with. */
  private readonly queries = new Map<bigint, TlObject>();

  constructor(options: ServerSessionOptions) {
    this.session = new ServerSession(options);
  }

  get sessionId(): bigint {
    return this.session.sessionId;
  }

  /** Queries handed out by `receive` and not answered yet. */
  get pendingCount(): number {
    return this.session.pendingCount;
  }

  /** ServerSession.receive, with each query decoded and unwrapped; one that does not decode is answered with rpc_error 400. */
  receive(message: DecryptedMessage): ApiSessionEvent[] {
    return this.session
      .receive(message)
      .flatMap((event) => (event.type === 'query' ? this.startQuery(event.reqMsgId, event.body) : [event]));
  }

  /**
   * Answers a query from `receive` with its result or an rpc_error. False when the query is unknown or
   * was dropped (rpc_drop_answer). Throws TlEncodeError, queueing nothing, if `result` does not fit the
   * method's result type: the caller may then answer with an error instead.
   */
  reply(reqMsgId: bigint, result: unknown): boolean {
    const request = this.queries.get(reqMsgId);
    if (!request || !this.session.isPending(reqMsgId)) {
      this.queries.delete(reqMsgId);
      return false;
    }
    const body = Service.RpcError.is(result) ? Service.RpcError.encode(result) : encodeResult(request, result);
    this.queries.delete(reqMsgId);
    return this.session.reply(reqMsgId, body);
  }

  /** Queues a server-initiated object (an update): content-related, msg_id ≡ 3 (mod 4). */
  push(object: TlObject): void {
    this.session.push(encodeObject(object));
  }

  /** The session is being forgotten: gives back what it holds in shared budgets. */
  close(): void {
    this.queries.clear();
    this.session.close();
  }

  /** Encrypted frames for everything queued plus the acks due. */
  flush(): Uint8Array[] {
    return this.session.flush();
  }

  private startQuery(reqMsgId: bigint, body: Uint8Array): ApiSessionEvent[] {
    let call: TlObject;
    try {
      call = decodeWith(readMethod, body);
    } catch (err) {
      if (!(err instanceof TlDecodeError)) throw err;
      // An id we have no method for, or a known method whose fields do not parse: answered, never left hanging.
      const unknownMethod = err.problem === 'unknown-constructor' && err.offset === 0;
      const message = unknownMethod ? `INPUT_METHOD_INVALID_${constructorIdOf(body) >>> 0}` : 'INPUT_FETCH_ERROR';
      this.session.reply(reqMsgId, encodeRpcError(400, message));
      return [];
    }
    let withoutUpdates = false;
    while (isWrapper(call)) {
      if (Api.invokeWithLayer.is(call)) this.layer = call.layer;
      if (Api.initConnection.is(call)) this.connection = withoutQuery(call);
      if (Api.invokeWithoutUpdates.is(call)) withoutUpdates = true;
      call = call.query;
    }
    this.queries.set(reqMsgId, call);
    return [{ type: 'query', reqMsgId, query: call, layer: this.layer, connection: this.connection, withoutUpdates }];
  }
}

/** invokeWithLayer, initConnection, invokeAfterMsg and the other `query:!X` methods. */
function isWrapper(call: TlObject): call is TlObject & { query: TlObject } {
  const query = (call as { query?: unknown }).query;
  return typeof query === 'object' && query !== null && '_' in query;
}

function withoutQuery(call: Api.initConnection): ConnectionInfo {
  const { query: _query, ...info } = call;
  return info;
}
