/**
 * Free bytes around a view, handed from the code that allocated its buffer to the code that wraps it.
 *
 * An encrypted message is built in a buffer with spare bytes before and after it, so that the transport
 * can write its frame header and trailer there instead of copying the message into a new frame. Only
 * the allocator knows those bytes belong to nobody: the wrapper may not assume it of an arbitrary
 * view (a subarray of a user's buffer has the user's data around it). So the allocator registers the
 * view here, and the wrapper claims it. A claim succeeds once: a view framed twice (sent again) would
 * otherwise have its first frame's header rewritten while that frame may still sit in a socket queue.
 */

/**
 * The most recent offers, newest last, in a small ring: a frame is claimed within a few offers of being
 * made (the session's flush hands its frames straight to the transport), and a lookup that misses only
 * costs a copy. A WeakMap did the same job at ~10% of a small message's encrypt + decrypt (measured: its
 * insertions are not cheap). A claimed slot is cleared; an unclaimed view is held until RING_SIZE later
 * offers overwrite it.
 */
const RING_SIZE = 32;
const offeredViews: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(RING_SIZE).fill(undefined);
const offeredBefore = new Int32Array(RING_SIZE);
const offeredAfter = new Int32Array(RING_SIZE);
let next = 0;

/** Marks `before` bytes in front of `view` and `after` bytes behind it (inside its buffer) as free to write. */
export function offerRoom(view: Uint8Array, before: number, after: number): void {
  if (view.byteOffset < before || view.byteOffset + view.length + after > view.buffer.byteLength) {
    throw new Error(`offerRoom: ${before}/${after} bytes of room do not fit around the view`); // internal bug
  }
  offeredViews[next] = view;
  offeredBefore[next] = before;
  offeredAfter[next] = after;
  next = (next + 1) % RING_SIZE;
}

/**
 * True when `view` was offered at least `before` and `after` bytes of room and not claimed yet; the room
 * is then the caller's, and no later claim of it succeeds.
 */
export function claimRoom(view: Uint8Array, before: number, after: number): boolean {
  for (let k = 1; k <= RING_SIZE; k++) {
    const i = (next - k + RING_SIZE) % RING_SIZE;
    if (offeredViews[i] !== view) continue;
    offeredViews[i] = undefined;
    return offeredBefore[i]! >= before && offeredAfter[i]! >= after;
  }
  return false;
}
