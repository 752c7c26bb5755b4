/**
 * The client session's requests between `send` and their answer: queued, then sent under a msg_id
 * (alone or inside a container), then taken by the message that answers or refuses them, or put back
 * in the queue to go out again under a new msg_id. A request keeps its request id through all of it.
 *
 * A new msg_id is given only when the server certainly did not run the request (it refused the message,
 * or said it never received it). After a reconnect a request the server may have received goes out again
 * under its original msg_id, which the server recognises as a duplicate: it answers from its stored
 * results or, while the request still runs, answers once it finishes. When the server cannot tell (bad_msg
 * 20), the request's state is asked first (msgs_state_req), and a request whose outcome the server no
 * longer knows is given up as unknown: the caller reports it, never runs it twice.
 */

export interface Outgoing {
  readonly requestId: number;
  readonly body: Uint8Array;
  readonly contentRelated: boolean;
}

/** An unanswered request as a saved session records it: its body and, once sent, its msg_id and seq_no. */
export interface UnansweredRequest {
  readonly requestId: number;
  readonly body: Uint8Array;
  readonly msgId?: bigint;
  readonly seqNo?: number;
}

/** A request on the wire: what a resend under the same msg_id needs. */
export interface SentRequest {
  readonly out: Outgoing;
  readonly msgId: bigint;
  readonly seqNo: number;
  /** How many server messages had arrived when it went out. */
  readonly heardAtSend: number;
  /** Sent over an earlier connection that the server spoke on afterwards, so it knew the key: it may have run it. */
  earlier: boolean;
}

/** What msgs_state_info's byte says about one request (spec: low 3 bits the state, then flags). */
export type RequestState = 'not-received' | 'running' | 'answer-held' | 'unknown';

export function requestStateOf(info: number): RequestState {
  const state = info & 7;
  if (state === 2 || state === 3) return 'not-received';
  if (state !== 4) return 'unknown';
  // +64: an answer was generated and the server still holds it; +32 alone: the query is still running.
  if (info & 64) return 'answer-held';
  return info & 32 ? 'running' : 'unknown';
}

export class ClientRequests {
  private queue: Outgoing[] = [];
  /** Requests on the wire, by the msg_id they went out under. */
  private readonly sent = new Map<bigint, SentRequest>();
  /** Containers we sent, by their msg_id: the msg_ids inside. */
  private readonly containers = new Map<bigint, bigint[]>();
  /** Sent requests to send again under their original msg_id, each alone. */
  private replays: SentRequest[] = [];
  /** msg_ids of sent requests to ask the server about, and the asks on the wire (by their msg_id). */
  private toAsk: bigint[] = [];
  private readonly asks = new Map<bigint, bigint[]>();
  private nextRequestId = 1;
  /** Server messages accepted so far. */
  private heard = 0;

  get hasQueued(): boolean {
    return this.queue.length > 0 || this.replays.length > 0 || this.toAsk.length > 0;
  }

  /** Requests queued or sent that have no answer yet. */
  get unansweredCount(): number {
    return this.queue.length + this.sent.size;
  }

  add(body: Uint8Array, contentRelated: boolean, requestId = this.nextRequestId++): number {
    this.nextRequestId = Math.max(this.nextRequestId, requestId + 1);
    this.queue.push({ requestId, body, contentRelated });
    return requestId;
  }

  cancel(requestId: number): void {
    this.queue = this.queue.filter((o) => o.requestId !== requestId);
    this.replays = this.replays.filter((s) => s.out.requestId !== requestId);
    for (const [msgId, s] of this.sent) if (s.out.requestId === requestId) this.sent.delete(msgId);
  }

  /**
   * Takes queued requests from the head for one frame: at most `maxCount`, their bodies within
   * `byteBudget` bytes, except that a frame with nothing else in it (`frameEmpty`) takes the first
   * request whatever its size.
   */
  takeQueued(maxCount: number, byteBudget: number, frameEmpty: boolean): Outgoing[] {
    const taken: Outgoing[] = [];
    let size = 0;
    while (this.queue.length && taken.length < maxCount) {
      const next = this.queue[0]!;
      if ((taken.length > 0 || !frameEmpty) && size + next.body.length > byteBudget) break;
      taken.push(this.queue.shift()!);
      size += next.body.length;
    }
    return taken;
  }

  /** The next request to resend under its original msg_id; it stays sent under that id. */
  takeReplay(): SentRequest | undefined {
    // Skips a request answered or requeued since it was listed.
    for (let next = this.replays.shift(); next; next = this.replays.shift()) if (this.sent.get(next.msgId) === next) return next;
    return undefined;
  }

  /** The msg_ids to ask about now (at most `max`); the caller sends msgs_state_req and reports its id to `markAsk`. */
  takeToAsk(max: number): bigint[] {
    return this.toAsk.splice(0, max);
  }

  markAsk(askMsgId: bigint, asked: bigint[]): void {
    this.asks.set(askMsgId, asked);
  }

  markSent(msgId: bigint, out: Outgoing, seqNo: number): void {
    this.sent.set(msgId, { out, msgId, seqNo, heardAtSend: this.heard, earlier: false });
  }

  markContainer(containerMsgId: bigint, innerMsgIds: bigint[]): void {
    this.containers.set(containerMsgId, innerMsgIds);
  }

  /** Whether `msgId` is a request, container or state question we sent and still wait on. */
  isOurs(msgId: bigint): boolean {
    return this.sent.has(msgId) || this.containers.has(msgId) || this.asks.has(msgId);
  }

  /** Removes and returns the request sent as `msgId`. */
  take(msgId: bigint): Outgoing | undefined {
    const request = this.sent.get(msgId);
    this.sent.delete(msgId);
    return request?.out;
  }

  /** Removes and returns the requests sent as `msgId`, or inside the container sent as `msgId`. */
  takeAll(msgId: bigint): Outgoing[] {
    return (this.containers.get(msgId) ?? [msgId]).flatMap((id) => this.take(id) ?? []);
  }

  /**
   * Puts the requests sent as these msg_ids (or inside these containers) back at the head of the queue,
   * to go out under new msg_ids: only for messages the server certainly did not run.
   */
  requeue(msgIds: bigint[]): void {
    const again = msgIds.flatMap((id) => {
      const requests = this.takeAll(id);
      this.containers.delete(id);
      return requests;
    });
    again.sort((a, b) => a.requestId - b.requestId);
    this.queue.unshift(...again);
  }

  /** Every request sent and not answered goes back in the queue (a new session: the old one's ids mean nothing to it). */
  requeueSent(): void {
    this.requeue([...this.sent.keys()]);
  }

  /** Requeues what was sent under a msg_id below `msgId` (what a new server session may never have seen). */
  requeueSentBefore(msgId: bigint): void {
    this.requeue([...this.sent.keys()].filter((id) => id < msgId));
  }

  /** A server message was accepted. */
  serverSpoke(): void {
    this.heard++;
  }

  /**
   * After a reconnect: every request sent and not answered goes out again under its original msg_id,
   * oldest first. One the server spoke after still held that key when it arrived, so it may have run;
   * one sent into silence may have gone to a server that had already lost the key (see moveUnansweredTo).
   */
  replaySent(): void {
    this.containers.clear();
    this.toAsk = [];
    this.asks.clear();
    this.replays = [...this.sent.values()].sort((a, b) => (a.msgId < b.msgId ? -1 : 1));
    for (const s of this.replays) if (this.heard > s.heardAtSend) s.earlier = true;
  }

  /** The server could not tell whether it received `msgId` (bad_msg 20): ask before anything else. */
  askAbout(msgId: bigint): void {
    for (const id of this.containers.get(msgId) ?? [msgId]) if (this.sent.has(id)) this.toAsk.push(id);
    this.containers.delete(msgId);
  }

  /**
   * Acts on msgs_state_info for the ask sent as `askMsgId`: not received → new msg_id; answer held →
   * resend under the original msg_id; running → wait. Returns the requests whose outcome is unknown,
   * removed; undefined when `askMsgId` is no ask of ours.
   */
  answerAsk(askMsgId: bigint, info: Uint8Array): Outgoing[] | undefined {
    const asked = this.asks.get(askMsgId);
    if (!asked) return undefined;
    this.asks.delete(askMsgId);
    const unknown: Outgoing[] = [];
    asked.forEach((msgId, i) => {
      const sent = this.sent.get(msgId);
      if (!sent) return;
      const state = requestStateOf(info[i] ?? 0);
      if (state === 'not-received') this.requeue([msgId]);
      else if (state === 'answer-held') this.replays.push(sent);
      else if (state === 'unknown') unknown.push(this.take(msgId)!);
    });
    return unknown;
  }

  /**
   * Moves the requests the server cannot have run, with their request ids, to the head of `next`'s queue
   * (a session on a new key, after the server forgot ours); returns the others, removed: those sent over
   * an earlier connection that the server spoke on afterwards, whose outcome died with the key. (A server
   * that ran a request and lost the key before saying anything more cannot be told from one that never
   * got it: such a request is sent again.)
   */
  moveUnansweredTo(next: ClientRequests): Outgoing[] {
    const uncertain = [...this.sent.values()].filter((s) => s.earlier);
    for (const s of uncertain) this.sent.delete(s.msgId);
    this.requeue([...this.sent.keys()]);
    next.queue.unshift(...this.queue);
    next.nextRequestId = Math.max(next.nextRequestId, this.nextRequestId);
    this.queue = [];
    this.replays = [];
    return uncertain.map((s) => s.out);
  }

  /** Requests sent and not answered, oldest first, then the queued ones: what a saved session records. */
  unanswered(): { out: Outgoing; sent?: { msgId: bigint; seqNo: number } }[] {
    const sent = [...this.sent.values()].sort((a, b) => (a.msgId < b.msgId ? -1 : 1));
    return [...sent.map((s) => ({ out: s.out, sent: { msgId: s.msgId, seqNo: s.seqNo } })), ...this.queue.map((out) => ({ out }))];
  }

  /** A request a saved session recorded as sent: it goes out again under its original msg_id. */
  restoreSent(out: Outgoing, msgId: bigint, seqNo: number): void {
    this.nextRequestId = Math.max(this.nextRequestId, out.requestId + 1);
    const sent: SentRequest = { out, msgId, seqNo, heardAtSend: this.heard, earlier: true };
    this.sent.set(msgId, sent);
    this.replays.push(sent);
  }
}
