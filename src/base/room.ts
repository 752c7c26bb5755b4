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

/** The registered room of each view: `before * ROOM_SCALE + after`. Weak: a view dropped unframed costs nothing. */
const rooms = new WeakMap<Uint8Array, number>();
const ROOM_SCALE = 0x10000;

/** Marks `before` bytes in front of `view` and `after` bytes behind it (inside its buffer) as free to write. */
export function offerRoom(view: Uint8Array, before: number, after: number): void {
  if (view.byteOffset < before || view.byteOffset + view.length + after > view.buffer.byteLength || after >= ROOM_SCALE) {
    throw new Error(`offerRoom: ${before}/${after} bytes of room do not fit around the view`); // internal bug
  }
  rooms.set(view, before * ROOM_SCALE + after);
}

/**
 * True when `view` was offered at least `before` and `after` bytes of room and not claimed yet; the room
 * is then the caller's, and no later claim of it succeeds.
 */
export function claimRoom(view: Uint8Array, before: number, after: number): boolean {
  const room = rooms.get(view);
  if (room === undefined) return false;
  rooms.delete(view);
  return Math.floor(room / ROOM_SCALE) >= before && room % ROOM_SCALE >= after;
}
