import { describe, expect, it } from 'vitest';
import { authKeyIdFor } from '../../src/crypto/handshake-kdf.js';
import { decryptMessage } from '../../src/crypto/message.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { constructorIdOf, ids, unpackContainer } from '../../src/mtproto/envelope.js';
import { ServerSalts } from '../../src/mtproto/server-salts.js';
import { nodeCompression } from '../../src/platform/compression.js';
import { ApiServerSession } from '../../src/server/api-session.js';
import { deliver, type SessionSlot } from '../../src/server/auth-keys.js';

const authKey = nodeCrypto.randomBytes(256);
const now = () => 1_700_000_000_000;

function slotWithSink(open = true) {
  const frames: Uint8Array[] = [];
  const session = new ApiServerSession({
    crypto: nodeCrypto,
    now,
    compression: nodeCompression,
    authKey,
    sessionId: 5n,
    salts: new ServerSalts(1n, now() / 1000, (n) => nodeCrypto.randomBytes(n)),
  });
  const slot: SessionSlot = { session, connection: { open, sendFrame: (f) => frames.push(f) }, lastActive: 0 };
  return { slot, frames };
}

const update = { _: 'updateShort', update: { _: 'updateConfig' }, date: 1 } as const;

describe('deliver', () => {
  it('sends everything queued within one microtask checkpoint as one container frame', async () => {
    const { slot, frames } = slotWithSink();
    for (let i = 0; i < 300; i++) {
      slot.session.push(update);
      deliver(slot);
    }
    expect(frames).toEqual([]); // nothing is encrypted while more may come
    await Promise.resolve();
    expect(frames).toHaveLength(1);
    const body = decryptMessage(authKey, authKeyIdFor(authKey, nodeCrypto), frames[0]!, 8, { provider: nodeCrypto }).body;
    expect(constructorIdOf(body)).toBe(ids.msgContainer);
    expect(unpackContainer(body)).toHaveLength(300);
    slot.session.push(update);
    deliver(slot);
    await Promise.resolve();
    expect(frames).toHaveLength(2); // a later checkpoint flushes again
  });

  it('keeps the queue for a session whose connection is gone', async () => {
    const { slot, frames } = slotWithSink(false);
    slot.session.push(update);
    deliver(slot);
    await Promise.resolve();
    expect(frames).toEqual([]);
    expect(slot.session.flush()).toHaveLength(1);
  });
});
