/**
 * What `exportSession` gives and the `session` option takes back: the key, salt and clock offset that
 * let a client skip the handshake, the session id that lets the server find the answers it stored, and
 * the requests that had no answer yet. A client restored from it sends those again (under their
 * original msg_id when they were sent, so the server answers from its store instead of running them
 * twice) and reports each one's outcome through `restoredOutcomes()`.
 */
import { encodeMethod, type TlObject } from '../api/index.js';
import type { ClientSession } from '../mtproto/client-session.js';
import { bytesToHex, hexToBytes } from '../base/hex.js';
import type { PendingRequest, PendingRequests } from './pending.js';
import { requestFromJson, requestToJson, type RequestJson } from './request-json.js';

export interface SavedSession {
  dcId: number;
  /** 256 bytes, hex. */
  authKey: string;
  /** Decimal. */
  serverSalt: string;
  timeOffset: number;
  /**
   * Decimal, recorded when requests are pending: a restored client goes on in the same server session,
   * where their answers are stored. Otherwise it starts a new one (its clock may have gone back since).
   */
  sessionId?: string;
  /** Requests without an answer when the session was exported. */
  pending?: SavedRequest[];
}

export interface SavedRequest {
  /**
   * The request object as self-describing JSON (see request-json.ts): what its result is read against
   * and what `restoredOutcomes()` reports. Not its TL bytes: rebuilding an object from those needs the
   * reader of every method, which a client does not carry.
   */
  request: RequestJson;
  /** What went (or was to go) on the wire, wrappers and gzip_packed included, hex. */
  body: string;
  /** Decimal, when it was sent: it goes out again under this msg_id and seq_no. */
  msgId?: string;
  seqNo?: number;
}

/** How a request recorded in a saved session ended: its result, or the typed error (OutcomeUnknownError when lost). */
export type RestoredOutcome =
  { readonly request: TlObject; readonly result: unknown } | { readonly request: TlObject; readonly error: Error };

/** The records of every unanswered request the caller made (the session's, then those not yet given to it). */
export function saveUnanswered(session: ClientSession | undefined, requests: PendingRequests): SavedRequest[] {
  const saved: SavedRequest[] = [];
  for (const r of session?.unanswered() ?? []) {
    const pending = requests.get(r.requestId);
    if (!pending || pending.background) continue;
    const sent = r.msgId === undefined ? {} : { msgId: r.msgId.toString(), seqNo: r.seqNo };
    saved.push({ request: requestToJson(pending.request), body: bytesToHex(r.body), ...sent });
  }
  for (const pending of requests.waitingRequests()) {
    saved.push({ request: requestToJson(pending.request), body: bytesToHex(encodeMethod(pending.request)) });
  }
  return saved;
}

/** The requests of a saved session, from the client's construction until each has its outcome. */
export class RestoredRequests {
  readonly outcomes: Promise<RestoredOutcome[]>;
  private entries: { record: SavedRequest; pending: PendingRequest }[];

  constructor(records: readonly SavedRequest[]) {
    const entries: { record: SavedRequest; pending: PendingRequest }[] = [];
    // A record that cannot be rebuilt throws here (SavedSessionError), from the client's constructor.
    const outcomes = records.map((record, i) => {
      const request = requestFromJson(record.request, `pending[${i}].request`);
      return new Promise<RestoredOutcome>((settle) => {
        const pending = {
          request,
          resolve: (result: unknown) => settle({ request, result }),
          reject: (error: Error) => settle({ request, error }),
        };
        entries.push({ record, pending });
      });
    });
    this.entries = entries;
    this.outcomes = Promise.all(outcomes);
  }

  /** Gives the requests to the session (sent ones under their msg_id) and their callbacks to `requests`; once. */
  resume(session: ClientSession, requests: PendingRequests): void {
    const records = this.entries.splice(0).map(({ record, pending }, i) => {
      requests.markSent(i + 1, pending);
      const sent = record.msgId === undefined ? {} : { msgId: BigInt(record.msgId), seqNo: record.seqNo };
      return { requestId: i + 1, body: hexToBytes(record.body), ...sent };
    });
    session.restoreUnanswered(records);
  }

  /** Settles with `error` what was never resumed (the client closed first). */
  abandon(error: () => Error): void {
    for (const { pending } of this.entries.splice(0)) pending.reject(error());
  }
}
