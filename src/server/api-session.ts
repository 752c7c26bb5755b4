/**
 * A server session that speaks the full API: the MTProto layer's ServerSession, which knows only the
 * service schema and passes query and answer bodies as bytes, plus what needs the API — decoding each
 * query in the layer its client declared and converting it to layer 228, taking off the invokeWithLayer /
 * initConnection / invokeWithoutUpdates wrappers (and remembering what they said), and encoding results
 * and updates back in the client's layer (client-layer.ts).
 */
import { Api, encodeObject, encodeResult, readMethod, TlDecodeError, type TlObject } from '../api/index.js';
import { LayerConversionError } from '../layers/errors.js';
import { ClientLayerCodec, conversionErrorMessage, declaredLayer, isServableLayer } from './client-layer.js';
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
  /** The layer of the last invokeWithLayer under this auth key (on any of its sessions). */
  readonly layer: number | undefined;
  /** The last initConnection on this session. */
  readonly connection: ConnectionInfo | undefined;
  /** Wrapped in invokeWithoutUpdates. */
  readonly withoutUpdates: boolean;
}

/** Where a client's declared layer is kept: the auth key, so every session of the key is served in it. */
export interface ClientLayer {
  layer: number | undefined;
}

export type ApiServerSessionOptions = ServerSessionOptions & {
  /** Shared by the sessions of one auth key; a session of its own when absent. */
  client?: ClientLayer;
};

export type ApiSessionEvent = ({ type: 'query' } & ServerQuery) | Exclude<ServerSessionEvent, { type: 'query' }>;

/** RPC error answers: what `reply` takes besides results. */
export function rpcError(code: number, message: string): Api.RpcError {
  return { _: 'rpc_error', errorCode: code, errorMessage: message };
}

export class ApiServerSession {
  /** The initConnection most recently seen on this session. */
  connection: ConnectionInfo | undefined;
  private readonly session: ServerSession;
  private readonly client: ClientLayer;
  /** The codec for the client's layer (undefined while it is served as 228), and the declared layer it is for. */
  private layerCodec: ClientLayerCodec | undefined;
  private codecLayer: number | undefined;
  /** Queries handed out, by msg_id: the unwrapped method (layer 228), whose result type `reply` encodes with, and the codec of the layer it came in. */
  private readonly queries = new Map<bigint, { call: TlObject; codec: ClientLayerCodec | undefined }>();

  constructor(options: ApiServerSessionOptions) {
    this.session = new ServerSession(options);
    this.client = options.client ?? { layer: undefined };
  }

  /** The layer the client declared last (in invokeWithLayer), on this session or another of its auth key. */
  get layer(): number | undefined {
    return this.client.layer;
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
    const { call, codec } = request;
    let body: Uint8Array;
    try {
      if (Service.RpcError.is(result)) body = Service.RpcError.encode(result);
      else body = codec ? codec.encodeResult(call, result) : encodeResult(call, result);
    } catch (err) {
      if (!(err instanceof LayerConversionError)) throw err;
      body = encodeRpcError(400, conversionErrorMessage(err));
    }
    this.queries.delete(reqMsgId);
    return this.session.reply(reqMsgId, body);
  }

  /**
   * Queues a server-initiated object (an update): content-related, msg_id ≡ 3 (mod 4). An update with no
   * form in the client's layer is sent as updatesTooLong, which tells the client to fetch the difference.
   */
  push(object: TlObject): void {
    const codec = this.codec();
    let body: Uint8Array;
    try {
      body = codec ? codec.encodeObject(object) : encodeObject(object);
    } catch (err) {
      if (!(err instanceof LayerConversionError)) throw err;
      body = encodeObject({ _: 'updatesTooLong' });
    }
    this.session.push(body);
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

  /** The codec for the layer the client declared last, on this session or (through the auth key) another. */
  private codec(): ClientLayerCodec | undefined {
    const layer = this.client.layer;
    if (layer !== this.codecLayer) {
      this.codecLayer = layer;
      this.layerCodec = layer === undefined ? undefined : ClientLayerCodec.for(layer);
    }
    return this.layerCodec;
  }

  private startQuery(reqMsgId: bigint, body: Uint8Array): ApiSessionEvent[] {
    const declared = declaredLayer(body);
    if (declared !== undefined) {
      if (!isServableLayer(declared)) {
        this.session.reply(reqMsgId, encodeRpcError(400, 'CONNECTION_LAYER_INVALID'));
        return [];
      }
      this.client.layer = declared;
    }
    const codec = this.codec();
    let call: TlObject;
    try {
      call = codec ? codec.decodeCall(body) : decodeWith(readMethod, body);
    } catch (err) {
      if (err instanceof LayerConversionError) {
        this.session.reply(reqMsgId, encodeRpcError(400, conversionErrorMessage(err)));
        return [];
      }
      if (!(err instanceof TlDecodeError)) throw err;
      // An id we have no method for, or a known method whose fields do not parse: answered, never left hanging.
      const unknownMethod = err.problem === 'unknown-constructor' && err.offset === 0;
      const message = unknownMethod ? `INPUT_METHOD_INVALID_${constructorIdOf(body) >>> 0}` : 'INPUT_FETCH_ERROR';
      this.session.reply(reqMsgId, encodeRpcError(400, message));
      return [];
    }
    let withoutUpdates = false;
    while (isWrapper(call)) {
      if (Api.initConnection.is(call)) this.connection = withoutQuery(call);
      if (Api.invokeWithoutUpdates.is(call)) withoutUpdates = true;
      call = call.query;
    }
    this.queries.set(reqMsgId, { call, codec });
    return [{ type: 'query', reqMsgId, query: call, layer: this.client.layer, connection: this.connection, withoutUpdates }];
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
