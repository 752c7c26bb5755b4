/**
 * The client session's requests between `send` and their answer: queued, then sent under a msg_id
 * (alone or inside a container), then taken by the message that answers or refuses them, or put back
 * in the queue to go out again under a new msg_id. A request keeps its request id through all of it.
 */

export interface Outgoing {
  readonly requestId: number;
  readonly body: Uint8Array;
  readonly contentRelated: boolean;
}

export class ClientRequests {
  private queue: Outgoing[] = [];
  /** Requests on the wire, by the msg_id they went out under. */
  private readonly sent = new Map<bigint, Outgoing>();
  /** Containers we sent, by their msg_id: the msg_ids inside. */
  private readonly containers = new Map<bigint, bigint[]>();
  private nextRequestId = 1;

  get hasQueued(): boolean {
    return this.queue.length > 0;
  }

  /** Requests queued or sent that have no answer yet. */
  get unansweredCount(): number {
    return this.queue.length + this.sent.size;
  }

  add(body: Uint8Array, contentRelated: boolean): number {
    const requestId = this.nextRequestId++;
    this.queue.push({ requestId, body, contentRelated });
    return requestId;
  }

  cancel(requestId: number): void {
    this.queue = this.queue.filter((o) => o.requestId !== requestId);
    for (const [msgId, o] of this.sent) if (o.requestId === requestId) this.sent.delete(msgId);
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

  markSent(msgId: bigint, request: Outgoing): void {
    this.sent.set(msgId, request);
  }

  markContainer(containerMsgId: bigint, innerMsgIds: bigint[]): void {
    this.containers.set(containerMsgId, innerMsgIds);
  }

  /** Whether `msgId` is a request or container we sent and still wait on. */
  isOurs(msgId: bigint): boolean {
    return this.sent.has(msgId) || this.containers.has(msgId);
  }

  /** Removes and returns the request sent as `msgId`. */
  take(msgId: bigint): Outgoing | undefined {
    const request = this.sent.get(msgId);
    this.sent.delete(msgId);
    return request;
  }

  /** Removes and returns the requests sent as `msgId`, or inside the container sent as `msgId`. */
  takeAll(msgId: bigint): Outgoing[] {
    return (this.containers.get(msgId) ?? [msgId]).flatMap((id) => this.take(id) ?? []);
  }

  /** Puts the requests sent as these msg_ids (or inside these containers) back at the head of the queue. */
  requeue(msgIds: bigint[]): void {
    const again = msgIds.flatMap((id) => {
      const requests = this.takeAll(id);
      this.containers.delete(id);
      return requests;
    });
    again.sort((a, b) => a.requestId - b.requestId);
    this.queue.unshift(...again);
  }

  /** Every request sent and not answered goes back in the queue. */
  requeueSent(): void {
    this.requeue([...this.sent.keys()]);
  }

  /** Requeues what was sent under a msg_id below `msgId` (what a new server session may never have seen). */
  requeueSentBefore(msgId: bigint): void {
    this.requeue([...this.sent.keys()].filter((id) => id < msgId));
  }

  /** Moves every unanswered request, with its request id, to the head of `next`'s queue. */
  moveUnansweredTo(next: ClientRequests): void {
    this.requeueSent();
    next.queue.unshift(...this.queue);
    next.nextRequestId = Math.max(next.nextRequestId, this.nextRequestId);
    this.queue = [];
  }
}
